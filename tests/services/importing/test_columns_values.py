"""Columns and values: country of birth apart from nationality, entry and filing dates,
relationships to the principal, documents written with their type (stored once per person),
one-string places matched to ubigeo, a missing filing date reported, value choice by
agreement with its alternatives, the report in Spanish with unmapped columns and a hint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.importing.adjudication import person_provenance
from services.importing.report import write_report
from services.importing.service import ImportOptions, ImportReport, run_import

HEADER = (
    "N° EXPEDIENTE;NOMBRES;APELLIDO PATERNO;APELLIDO MATERNO;FECHA DE NACIMIENTO;SEXO;"
    "NACIONALIDAD;PAÍS DE NACIMIENTO;DOCUMENTO;FECHA DE INGRESO AL PERÚ;FECHA DE SOLICITUD;"
    "PARENTESCO;DEPARTAMENTO-PROVINCIA-DISTRITO;COLOR FAVORITO;TELÉFONO DE CONTACTO\n"
)
REGISTRO = HEADER + (
    "400001;Carmen Rosa;Suárez;Rojas;12/03/1980;F;Venezolana;Colombia;CI 12345678;"
    "05/06/2018;20/07/2018;Titular;LIMA-LIMA-SAN JUAN DE LURIGANCHO;azul;\n"
    "400001;Luis;Medina;Suárez;01/02/2010;M;Venezolana;Perú;;05/06/2018;20/07/2018;Hijo/a;"
    "LIMA-LIMA-SAN JUAN DE LURIGANCHO;rojo;\n"
    "400002;Pedro;Castillo;Peña;03/04/1975;M;Colombiana;Colombia;PAS AB123456;10/01/2019;;"
    "Solicitante principal;Callao / Callao / Ventanilla;;\n"
    "400002;;Castillo;Peña;03/04/1976;M;Colombiana;Colombia;;;;;;;\n"
)
RENOVACIONES = (
    "Expediente,Nombres,Apellidos,F. Nac.,Documento,Dpto/Prov/Dist\n"
    "400001,Carmen,Suárez Rojas,12/03/1980,V-12.345.678,Lima | Lima | SJL\n"
)
TODAY = date(2026, 1, 1)


def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["REGISTRO DE CITAS 2019"])
    ws.append(["Exp.", "Nombres", "Apellido paterno", "Apellido materno", "Documento"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
async def imported(
    import_engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> ImportReport:
    d = tmp_path_factory.mktemp("columnas")
    (d / "registro.csv").write_bytes(REGISTRO.encode("cp1252"))
    (d / "renovaciones.csv").write_text(RENOVACIONES, encoding="utf-8")
    workbook(d / "citas.xlsx", [["400001", "Carmne Rosa", "Suárez", "Rojas", "C.I. 12345678"]])
    workbook(d / "carnes.xlsx", [["400001", "Carmen Rosa", "Suárez", "Rojas", "12345678"]])
    return await run_import(import_engine, [d], ImportOptions(today=TODAY))


async def person(engine: AsyncEngine, pid: int) -> dict[str, object]:
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM person WHERE id = :p"), {"p": pid})).one()
    return dict(row._mapping)


async def test_country_of_birth_nationality_entry_date_and_place(
    imported: ImportReport, import_engine: AsyncEngine
) -> None:
    carmen = await person(import_engine, imported.row_person[("registro.csv", "", 2)])
    luis = await person(import_engine, imported.row_person[("registro.csv", "", 3)])
    pedro = await person(import_engine, imported.row_person[("registro.csv", "", 4)])
    assert (carmen["nationality"], carmen["country_of_birth"]) == ("VE", "CO")
    assert (luis["nationality"], luis["country_of_birth"]) == ("VE", "PE")
    assert carmen["entry_date"] == date(2018, 6, 5)
    assert (carmen["department"], carmen["province"], carmen["district"]) == (
        "Lima",
        "Lima",
        "San Juan de Lurigancho",
    )
    assert (pedro["department"], pedro["province"], pedro["district"]) == (
        "Callao",
        "Callao",
        "Ventanilla",
    )
    async with import_engine.connect() as conn:
        ubigeo: dict[int, str] = dict(
            (
                await conn.execute(
                    text("SELECT person_id, value FROM import_field_choice WHERE field = 'ubigeo'")
                )
            ).all()
        )
    assert ubigeo[int(str(carmen["id"]))] == "150132"
    assert ubigeo[int(str(pedro["id"]))] == "070106"


async def test_documents_with_their_type_are_stored_once(
    imported: ImportReport, import_engine: AsyncEngine
) -> None:
    rows = [("registro.csv", "", 2), ("renovaciones.csv", "", 2)]
    rows += [("citas.xlsx", "Sheet", 3), ("carnes.xlsx", "Sheet", 3)]
    # one person for the four rows of Carmen (typo, dropped second name, other documents)
    assert len({imported.row_person[k] for k in rows}) == 1
    carmen = imported.row_person[rows[0]]
    pedro = imported.row_person[("registro.csv", "", 4)]
    async with import_engine.connect() as conn:
        docs = (
            await conn.execute(
                text(
                    "SELECT person_id, doc_type, number FROM identity_document "
                    "WHERE person_id = ANY(:p) ORDER BY person_id"
                ),
                {"p": [carmen, pedro]},
            )
        ).all()
    assert [tuple(d) for d in docs] == [
        (carmen, "national_id", "12345678"),
        (pedro, "passport", "AB123456"),
    ]


async def test_cases_relationships_and_a_missing_filing_date(
    imported: ImportReport, import_engine: AsyncEngine
) -> None:
    async with import_engine.connect() as conn:
        members = (
            await conn.execute(
                text(
                    "SELECT c.number, c.filing_date, p.given_names, m.relationship "
                    "FROM case_member m JOIN case_file c ON c.id = m.case_id "
                    "JOIN person p ON p.id = m.person_id ORDER BY c.number, p.given_names"
                )
            )
        ).all()
        stats = (await conn.execute(text("SELECT stats FROM import_batch"))).scalar_one()
    assert [tuple(m) for m in members] == [
        (400001, date(2018, 7, 20), "Carmen Rosa", "principal"),
        (400001, date(2018, 7, 20), "Luis", "child"),
        (400002, TODAY, "Pedro", "principal"),
    ]
    # the filing date of 400002 is in no sheet: the report says so, it is not silent
    assert imported.cases_without_filing_date == [400002]
    assert stats["cases_without_filing_date"] == [400002]


async def test_value_chosen_by_agreement_with_the_alternatives_recorded(
    imported: ImportReport, import_engine: AsyncEngine
) -> None:
    pid = imported.row_person[("registro.csv", "", 2)]
    async with import_engine.connect() as conn:
        values, choices = await person_provenance(conn, pid)
    chosen = {c.field: c for c in choices}
    assert chosen["given_names"].value == "Carmen Rosa"
    assert chosen["given_names"].candidates == 4
    assert chosen["given_names"].reason.endswith("; alternativas: Carmne Rosa (1), Carmen (1)")
    written = sorted(v.raw_value for v in values if v.field == "given_names")
    assert written == ["Carmen", "Carmen Rosa", "Carmen Rosa", "Carmne Rosa"]


async def test_report_names_fields_in_spanish_and_lists_unmapped_columns(
    imported: ImportReport, tmp_path: Path
) -> None:
    write_report(imported, tmp_path)
    rejected = (tmp_path / "filas_rechazadas.csv").read_text(encoding="utf-8").splitlines()
    assert rejected == [
        "archivo,hoja,fila,campo,columna,motivo",
        "registro.csv,,5,nombres,NOMBRES,La fila no tiene nombre de la persona.",
    ]
    md = (tmp_path / "informe_importacion.md").read_text(encoding="utf-8")
    assert (
        "- registro.csv  «COLOR FAVORITO»: sin sugerencia: se ignora (asígnela con --mapping "
        "si contiene datos)" in md
    )
    assert "«TELÉFONO DE CONTACTO»: ¿teléfono? (en el archivo --mapping: «TELÉFONO DE " in md
    assert "## Expedientes sin fecha de solicitud" in md and "importación: 400002" in md
    sheets = (tmp_path / "hojas.csv").read_text(encoding="utf-8")
    assert "PAÍS DE NACIMIENTO=país de nacimiento" in sheets
    assert "NACIONALIDAD=nacionalidad" in sheets
