"""``qhub import``: dry run with a report, a mapping file, a real import, a second run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool, text
from typer.testing import CliRunner

from hub.cli import app
from hub.settings import get_settings
from tests.conftest import create_database, drop_database

SHEET = (
    "REGISTRO ODE PUNO 2019;;;;;\n"
    ";;;;;\n"
    "Exp.;Apellidos y nombres;Nac.;Pais;Documento;Código interno\n"
    "EXP-190001;Quispe Mamani, Zoraida;03/04/1990;venezolana;V-12.345.678;A1\n"
    "190001;Quispe Mamani, Luis Alberto;25/12/2012;VENEZUELA;S/D;A2\n"
    "190002;;01/01/1980;VEN;;A3\n"
)


@pytest.fixture()
def cli_db(server_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = create_database(server_url, "qhub_cli_import")
    monkeypatch.setenv("QHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    drop_database(server_url, url)


def count(url: str, sql: str) -> int:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def test_import_command(cli_db: str, tmp_path: Path) -> None:
    sheet = tmp_path / "puno.csv"
    sheet.write_bytes(SHEET.encode("cp1252"))
    mapping = tmp_path / "mapa.yaml"
    mapping.write_text(
        '"Nac.": birth_date\n"Pais": nationality\n"Código interno": null\n', encoding="utf-8"
    )
    report = tmp_path / "informe"

    dry = CliRunner().invoke(
        app, ["import", str(sheet), "--dry-run", "--report", str(report), "--mapping", str(mapping)]
    )
    assert dry.exit_code == 0, dry.output
    assert "Personas creadas" in dry.output
    md = (report / "informe_importacion.md").read_text(encoding="utf-8")
    assert (
        "simulación" in md and "| Personas creadas | 2 |" in md and "| Filas rechazadas | 1 |" in md
    )
    rejected = (report / "filas_rechazadas.csv").read_text(encoding="utf-8").splitlines()
    assert rejected == [
        "archivo,hoja,fila,campo,columna,motivo",
        "puno.csv,,6,nombres,Apellidos y nombres,La fila no tiene nombre de la persona.",
    ]
    assert count(cli_db, "SELECT count(*) FROM import_row") == 0

    real = CliRunner().invoke(app, ["import", str(sheet), "--mapping", str(mapping)])
    assert real.exit_code == 0, real.output
    assert count(cli_db, "SELECT count(*) FROM person") == 2
    assert (
        count(
            cli_db,
            "SELECT count(*) FROM case_member m JOIN case_file c ON c.id = m.case_id WHERE "
            "c.number = 190001",
        )
        == 2
    )
    assert count(cli_db, "SELECT count(*) FROM identity_document WHERE number = '12345678'") == 1
    assert (
        count(
            cli_db,
            "SELECT count(*) FROM person WHERE birth_date = '2012-12-25' AND nationality = 'VE'",
        )
        == 1
    )

    again = CliRunner().invoke(app, ["import", str(sheet), "--mapping", str(mapping)])
    assert again.exit_code == 0, again.output
    assert count(cli_db, "SELECT count(*) FROM person") == 2
    assert count(cli_db, "SELECT count(*) FROM import_batch") == 1


def test_import_command_names_bad_files(cli_db: str, tmp_path: Path) -> None:
    # given: a folder with a good sheet, an empty file and a fake workbook
    (tmp_path / "puno.csv").write_bytes(SHEET.encode("cp1252"))
    (tmp_path / "vacio.csv").write_bytes(b"")
    (tmp_path / "falso.xlsx").write_bytes(b"no soy un libro")
    # when: imported all or nothing, then normally
    strict = CliRunner().invoke(app, ["import", str(tmp_path), "--all-or-nothing"])
    assert strict.exit_code == 0, strict.output
    assert "«vacio.csv»: el archivo está vacío" in strict.output
    assert "«falso.xlsx»: no es un libro Excel" in strict.output
    assert "No se importó ningún archivo (--all-or-nothing)." in strict.output
    assert count(cli_db, "SELECT count(*) FROM import_row") == 0
    real = CliRunner().invoke(app, ["import", str(tmp_path)])
    assert real.exit_code == 0, real.output
    assert "«vacio.csv»: el archivo está vacío" in real.output
    # then: the good sheet only
    assert count(cli_db, "SELECT count(DISTINCT file_name) FROM import_row") == 1
    assert count(cli_db, "SELECT count(*) FROM person") == 2
