"""Bad files: each gets one Spanish line naming it and the reason; the other files are
imported (or, with all_or_nothing, none is); nothing of a bad file is written. A UTF-16 file
without its byte-order mark is recognised and read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.importing.report import file_lines
from services.importing.service import ImportOptions, run_import
from services.importing.synthetic import generate, write_bad_files

EXPECTED = [
    ("README.md", "no es una planilla (.md): se omite"),
    ("falso.xlsx", "no es un libro Excel: el contenido no tiene el formato .xlsx"),
    ("truncado.xlsx", "libro Excel dañado o incompleto: no se puede abrir"),
    ("vacio.csv", "el archivo está vacío"),
    ("truth.csv", "no contiene datos de personas (ninguna columna de nombres)"),
]


GOOD = "planilla_A5_00.xlsx"  # the generator's one file for this seed


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write_bad_files(tmp_path)
    (good,) = generate(tmp_path, seed=5, cases=20, files=1).files
    assert good.name == GOOD
    return tmp_path


async def rows_by_file(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return dict(
            (
                await conn.execute(
                    text("SELECT file_name, count(*) FROM import_row GROUP BY file_name")
                )
            ).all()
        )


async def test_bad_files_are_reported_and_the_others_imported(
    import_engine: AsyncEngine, folder: Path
) -> None:
    # when: the whole folder is imported
    report = await run_import(import_engine, [folder], ImportOptions(dry_run=True))
    # then: one line per bad file, in Spanish, naming it
    assert sorted(report.file_problems) == sorted(EXPECTED)
    assert file_lines(report)[0].startswith("«")
    # the good spreadsheet and the UTF-16 file without BOM are read, nothing else
    read = {s.file for s in report.sheets if not s.skipped}
    assert read == {GOOD, "utf16_sin_bom.csv"}
    utf16 = next(s for s in report.sheets if s.file == "utf16_sin_bom.csv")
    assert utf16.encoding == "utf-16-le" and utf16.rows == 1
    assert report.rows_read > 20 and report.persons_created > 0


async def test_nothing_of_a_bad_file_is_written_and_the_flag_imports_nothing(
    import_engine: AsyncEngine, folder: Path
) -> None:
    before = await rows_by_file(import_engine)
    # with the flag: nothing at all
    strict = await run_import(import_engine, [folder], ImportOptions(all_or_nothing=True))
    assert sorted(strict.file_problems) == sorted(EXPECTED)
    assert (strict.rows_read, strict.persons_created, strict.batch_id) == (0, 0, None)
    assert await rows_by_file(import_engine) == before
    # without it: the good files only
    report = await run_import(import_engine, [folder], ImportOptions())
    after = await rows_by_file(import_engine)
    new = {f: c - before.get(f, 0) for f, c in after.items() if c != before.get(f, 0)}
    assert set(new) == {GOOD, "utf16_sin_bom.csv"}
    assert new["utf16_sin_bom.csv"] == 1
    assert report.rows_read == sum(new.values())
    async with import_engine.connect() as conn:
        angela = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM person WHERE given_names = 'Ángela' AND "
                    "paternal_surname = 'Núñez'"
                )
            )
        ).scalar_one()
    assert angela == 1
