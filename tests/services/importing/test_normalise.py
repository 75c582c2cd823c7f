"""Unit tests of the normalisers, the header mapping and the header-row detection."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from services.importing import normalise as n
from services.importing.mapping import map_columns, match_header, recognise
from services.importing.reading import HeaderScorer, read_file


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Venezuela (República Bolivariana de)", "VE"),
        ("VENEZUELA", "VE"),
        ("VEN", "VE"),
        ("venezolano", "VE"),
        ("Venezolana", "VE"),
        ("COLOMBIANO ", "CO"),
        ("Haití", "HT"),
        ("AFGANISTAN", "AF"),
        ("El Salvador", "SV"),
        ("SYR", "SY"),
        ("cubana", "CU"),
        ("Perú", "PE"),
        ("", None),
        ("#¡REF!", None),
    ],
)
def test_country(raw: str, expected: str | None) -> None:
    assert n.country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("2 nov 1988", "DMY", date(1988, 11, 2)),
        ("2 de noviembre de 1988", "DMY", date(1988, 11, 2)),
        ("30-07-49", "DMY", date(1949, 7, 30)),
        ("26-09-13", "DMY", date(2013, 9, 26)),
        ("1958-10-05", "DMY", date(1958, 10, 5)),
        ("05/10/1958", "DMY", date(1958, 10, 5)),
        ("05/10/1958", "MDY", date(1958, 5, 10)),
        (datetime(2014, 6, 22), "DMY", date(2014, 6, 22)),
        (30000, "DMY", date(1982, 2, 18)),
        ("45000", "DMY", date(2023, 3, 15)),
        ("31/02/2000", "DMY", None),
        ("ayer", "DMY", None),
    ],
)
def test_parse_date(raw: object, order: str, expected: date | None) -> None:
    assert n.parse_date(raw, order, today=date(2026, 11, 22)) == expected


def test_two_digit_year_near_future_is_read_as_future() -> None:
    # so that the row is rejected as a future birth date instead of silently becoming 1931
    assert n.parse_date("02-12-31", today=date(2026, 11, 22)) == date(2031, 12, 2)


def test_date_order_evidence() -> None:
    assert n.date_order_evidence("25/12/1990") == "DMY"
    assert n.date_order_evidence("12/25/1990") == "MDY"
    assert n.date_order_evidence("05/06/1990") is None


@pytest.mark.parametrize(
    ("raw", "declared", "nat", "expected"),
    [
        ("V-10.562.619", None, "VE", ("national_id", "10562619")),
        ("V10562619", "national_id", "VE", ("national_id", "10562619")),
        ("19.421.398", None, "VE", ("national_id", "19421398")),
        ("p14415806", "passport", "CO", ("passport", "P14415806")),
        ("L37505158", None, "VE", ("passport", "L37505158")),
        ("S/D", None, None, None),
        ("NO TIENE", None, None, None),
        ("-", None, None, None),
    ],
)
def test_document(raw: str, declared: str | None, nat: str | None, expected: object) -> None:
    assert n.document(raw, declared, nat) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("51-986650356", "+51986650356"),
        ("+51 922 690 622", "+51922690622"),
        ("938945370", "+51938945370"),
        ("12", None),
        (None, None),
    ],
)
def test_phone(raw: str | None, expected: str | None) -> None:
    assert n.phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("106420", 106420),
        ("EXP-106420", 106420),
        ("106.420", 106420),
        ("N° 106420", 106420),
        (106420.0, 106420),
        ("S/N", None),
    ],
)
def test_case_number(raw: object, expected: int | None) -> None:
    assert n.case_number(raw) == expected


def test_full_name_both_orders() -> None:
    a = n.parse_full_name("ARENAS OSORIO , ROBERTO DAVID ")
    assert a is not None
    assert (a.given, a.paternal, a.maternal, a.order_known) == (
        "Roberto David",
        "Arenas",
        "Osorio",
        True,
    )
    b = n.parse_full_name("Iván Felipe Gil Moreno")
    assert b is not None
    assert (b.given, b.paternal, b.maternal) == ("Iván Felipe", "Gil", "Moreno")
    ev = n.GivenNameEvidence()
    ev.add("María Nidia", ["Fonseca"])
    c = n.parse_full_name("María Nidia Fonseca", ev)
    assert c is not None
    assert (c.given, c.paternal, c.maternal) == ("María Nidia", "Fonseca", None)
    d = n.parse_full_name("CÉSAR DÍAZ JARAMILLO", ev)
    assert d is not None
    assert (d.given, d.paternal, d.maternal) == ("César", "Díaz", "Jaramillo")
    assert n.parse_full_name("#¡REF!") is None
    assert n.parse_full_name(None) is None


def test_names_particles_and_case() -> None:
    assert n.clean_name("  maría  DE LOS ángeles ") == "María de los Ángeles"
    assert n.split_surnames("De La Cruz Pérez") == ("De La Cruz", "Pérez")
    assert n.key("Muñoz Gónzalez") == "MUNOZ GONZALEZ"


def test_office_needs_status_sex() -> None:
    assert n.office("CEBAF TUMBES") == "CEBAF"
    assert n.office("HUANCAYO") == "HYO"
    assert n.office("TUMBES") == "TBP"
    assert n.office("Desconocida") == "LIM"
    assert n.needs("victima de violencia") == ["SV-VA"]
    assert n.needs("adulto mayor, discapacidad") == ["ER-NF", "DS-PM"]
    assert n.case_status("EN EVALUACIÓN ") == "under_review"
    assert n.case_status("PRE-REGISTRO") == "pre_registered"
    assert n.sex("Femenino") == "F"
    assert n.relationship("hija") == "child"


def test_header_matching_synonyms_and_fuzzy() -> None:
    assert match_header("N° EXPEDIENTE") == ("case_number", 100.0)
    assert match_header("Fecha Nacimiento")[0] == "birth_date"  # type: ignore[index]
    assert match_header("APELIDO PATERNO")[0] == "paternal_surname"  # type: ignore[index]
    assert match_header("Color favorito") is None
    cols = map_columns(["Nombres", "Apellidos", "Documento"], {"DOCUMENTO": None})
    assert cols == {0: "given_names", 1: "surnames"}
    assert map_columns(["Col X"], {"COL X": "birth_date"}) == {0: "birth_date"}


def test_header_row_under_title_and_encodings(tmp_path: Path) -> None:
    latin = tmp_path / "a.csv"
    latin.write_bytes(
        "LISTA DE PERSONAS;;\n;;\nNOMBRES;APELLIDOS;TELÉFONO\nJosé;Pérez;999888777\n".encode(
            "cp1252"
        )
    )
    bom = tmp_path / "b.csv"
    bom.write_bytes("\ufeffNOMBRES,APELLIDOS,NACIONALIDAD\nAna,Díaz,Venezolana\n\n".encode())
    scorer = HeaderScorer(recognise)
    (a,) = read_file(latin, scorer)
    assert (a.header_row, a.headers, a.delimiter) == (3, ["NOMBRES", "APELLIDOS", "TELÉFONO"], ";")
    assert a.rows == [(4, ["José", "Pérez", "999888777"])]
    (b,) = read_file(bom, scorer)
    assert (b.header_row, b.delimiter, b.encoding) == (1, ",", "utf-8-sig")
    assert b.rows == [(2, ["Ana", "Díaz", "Venezolana"])]


def test_full_name_order_decided_per_column_from_evidence() -> None:
    ev = n.GivenNameEvidence()
    for g, s in (("Juan Carlos", "Pérez García"), ("Rosa", "Quispe Mamani"), ("Luis", "Rojas")):
        ev.add(g, [s])
    column = ["PEREZ GARCIA JUAN CARLOS", "QUISPE MAMANI ROSA", "ROJAS LUIS"]
    assert n.full_name_order(column, ev) == "SG"
    assert n.full_name_order(["JUAN CARLOS PEREZ GARCIA", "ROSA QUISPE"], ev) == "GS"
    assert n.full_name_order(["XX YY"], ev) is None
    p = n.parse_full_name("PEREZ GARCIA JUAN CARLOS", ev, "SG")
    assert p is not None
    assert (p.given, p.paternal, p.maternal) == ("Juan Carlos", "Perez", "Garcia")


async def test_sheet_without_name_columns_is_reported_not_read(tmp_path: Path) -> None:
    from services.importing.service import ImportOptions, read_sources

    book = tmp_path / "resumen.csv"
    book.write_text("Oficina;Total\nLIMA;120\nTACNA;30\n", encoding="utf-8")
    _, records, infos = read_sources([book], ImportOptions())
    assert records == []
    assert infos[0].skipped == "sin columnas de nombre: la hoja no describe personas"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Fecha de nac", "birth_date"),
        ("F. Nac.", "birth_date"),
        ("FEC. NACIMIENTO", "birth_date"),
        ("Sexo (M/F)", "sex"),
        ("Género", "sex"),
        ("NACIONALIDAD (PAIS)", "nationality"),
        ("País de origen", "nationality"),
        ("Tipo de doc.", "doc_type"),
        ("Doc. identidad", "doc_number"),
        ("N° Doc.", "doc_number"),
        ("Teléfono móvil", "phone"),
        ("Cel.", "phone"),
        ("Num. de expediente", "case_number"),
        ("EXPEDIENTE N°", "case_number"),
        ("Nombre(s)", "given_names"),
        ("Apellido(s)", "surnames"),
        ("Primer apellido", "paternal_surname"),
        ("Ap. Materno", "maternal_surname"),
        ("Nombres y Apellidos", "full_name"),
        ("Fecha ingreso Perú", "entry_date"),
        ("FECHA", "event_date"),
        ("E-mail", "email"),
        ("Nombre del padre", None),
        ("Teléfono de contacto", None),
        ("Color favorito", None),
    ],
)
def test_header_variants(header: str, field: str | None) -> None:
    found = match_header(header)
    assert (found[0] if found else None) == field
