"""Every CSV the hub writes (UNHCR's export, the import reports) neutralises formula cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import psycopg
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.case_list import CaseFilter
from services.importing.report import write_report
from services.importing.run_model import ImportReport, Rejection, SheetInfo
from services.unhcr_view import needs_export
from tests.factories import make_cases

ACNUR = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="acnur-test")
FORMULA = "=cmd|' /C calc'!A0"


async def test_unhcr_export_neutralises_a_formula_label(
    engine: AsyncEngine, database_url: str
) -> None:
    # Given a case with a need whose label (reference data) reads as a formula
    made = await make_cases(engine, 1, office_code="CUZ", needs=("ER-NF",))
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        await conn.execute(
            "UPDATE specific_need_code SET label_en = %s WHERE code = 'ER-NF'", (FORMULA,)
        )
        # When UNHCR exports it (inside the transaction, rolled back afterwards)
        export = await needs_export(conn, ACNUR, CaseFilter(need_codes=("ER-NF",)), str)
        await conn.rollback()
    rows = [
        r
        for r in csv.DictReader(io.StringIO(export.csv))
        if r["case_number"] == str(made[0].number)
    ]
    # Then the cell is text a spreadsheet will not evaluate; other cells are unchanged
    assert [r["need_label"] for r in rows] == ["'" + FORMULA]
    assert [r["need_code"] for r in rows] == ["ER-NF"]


def test_import_report_csvs_neutralise_formula_cells(tmp_path: Path) -> None:
    # Given an import whose file, sheet and rejected value look like formulas
    report = ImportReport(files=["=evil.csv"])
    report.sheets.append(
        SheetInfo("=evil.csv", "@hoja", 1, 2, {"=HYPERLINK(1)": "surname"}, [], "utf-8", ",")
    )
    report.rejected.append(Rejection("=evil.csv", "@hoja", 2, "birth_date", "+A1", "-1+1"))
    # When the report is written
    write_report(report, tmp_path)
    # Then no CSV cell starts with a formula prefix
    written = sorted(tmp_path.glob("*.csv"))
    assert written, "the report writes CSV files"
    cells = [
        cell for path in written for row in csv.reader(path.open(encoding="utf-8")) for cell in row
    ]
    assert "'=evil.csv" in cells
    assert "'-1+1" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
