"""The current release over GraphQL and CSV, without a token: the old shapes, the
release's metadata, codes instead of free text, no spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.readpool import libpq_url
from services.errors import ValidationFailed
from services.statistics import publish, quarter_end
from services.statistics.dimensions import Dimension, department_code
from services.statistics.tables import Cell, StatisticsTable
from tests.conftest import LiveHub
from tests.factories import make_cases

FORMULA = "=cmd|' /C calc'!A0"


async def test_statistics_over_graphql_and_csv_without_a_token(
    live_hub: LiveHub, engine: AsyncEngine, database_url: str
) -> None:
    # Given cases filed in the last closed quarter, one of them living at a "department"
    # typed as a spreadsheet formula, and the quarter's release published
    reference = quarter_end(date.today())
    made = await make_cases(engine, 6, filing_date=reference)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE person SET department = :d WHERE id = :id"),
            {"d": FORMULA, "id": made[0].person_ids[0]},
        )
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        release, _ = await publish(conn, 10)
    # When anyone asks for a table and for the release
    query = """{ statistics(dimensions: [SEX, DEPARTMENT]) {
      dimensions threshold csvUrl margin95 cells { values count suppressed reason }
      release { version referenceDate method } }
      statisticsRelease { version referenceDate method methodExplanationEs threshold
        protectionInterval tables dimensions { dimension labelEs values { code labelEs } }
        audit { cells hidden primary lpSolves rounds }
        privacy { rho rhoYear rhoSpentYear delta epsilon epsilonYear noiseSd } } }"""
    body: dict[str, Any] = httpx.post(f"{live_hub.url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    table = body["data"]["statistics"]
    meta = body["data"]["statisticsRelease"]
    # Then the table keeps its shape and names its release
    assert table["dimensions"] == ["sex", "department"] and table["threshold"] == 10
    assert table["release"] == {
        "version": release.version,
        "referenceDate": reference.isoformat(),
        "method": "differential-privacy",
    }
    # noise hides nothing: every cell is a non-negative integer, with the table's accuracy
    assert all(isinstance(c["count"], int) and c["count"] >= 0 for c in table["cells"])
    assert {(c["suppressed"], c["reason"]) for c in table["cells"]} == {(False, None)}
    assert (
        table["margin95"] == release.margin95((Dimension.SEX, Dimension.DEPARTMENT))
        and table["margin95"] > 0
    )
    assert meta["privacy"] == {k: v for k, v in release.audit["privacy"].items() if k != "year"}
    assert (meta["privacy"]["rho"], meta["privacy"]["rhoYear"]) == (0.5, 2.0)
    # places are ubigeo codes: the formula is nowhere, its person counts under 00
    departments = {c["values"][1] for c in table["cells"]}
    assert FORMULA not in departments and "00" in departments and "15" in departments
    assert meta["version"] == release.version and meta["protectionInterval"] == 5
    assert "privacidad diferencial" in meta["methodExplanationEs"]
    assert ["sex", "nationality"] in meta["tables"]
    lima = next(d for d in meta["dimensions"] if d["dimension"] == "department")
    assert {"code": "15", "labelEs": "Lima"} in lima["values"]
    # And the CSV says the same, with the release in its headers
    response = httpx.get(f"{live_hub.url}/statistics.csv", params={"dims": "sex,department"})
    assert response.headers["x-statistics-release"] == str(release.version)
    assert response.headers["x-statistics-margin95"] == str(table["margin95"])
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["sex", "department", "count", "suppressed"]
    assert len(rows) - 1 == len(table["cells"])
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    bad = httpx.get(f"{live_hub.url}/statistics.csv", params={"dims": "sex"})
    assert bad.status_code == 400 and bad.json()["problems"][0]["code"] == "DIMENSION_COUNT"
    both = httpx.get(f"{live_hub.url}/statistics.csv", params={"dims": "period,quarter"})
    assert both.status_code == 400
    assert both.json()["problems"][0]["code"] == "TABLE_NOT_PUBLISHED"


def test_csv_cells_never_start_a_formula() -> None:
    # Given a table whose labels would run in a spreadsheet
    table = StatisticsTable(
        (),
        10,
        [Cell((FORMULA, "+1", "@x", "\tx"), 12, False, None)],
        release=None,  # type: ignore[arg-type]
    )
    # Then each is written as text
    row = list(csv.reader(io.StringIO(table.to_csv())))[1]
    assert row == ["'" + FORMULA, "'+1", "'@x", "'\tx", "12", "no"]


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        ("LIMA", "15"),
        ("Lima Metropolitana", "15"),
        ("Áncash", "02"),
        ("ancash", "02"),
        ("San Martín", "22"),
        ("15", "15"),
        ("150101", "15"),
        ("Callao", "07"),
        (FORMULA, "00"),
        ("", "00"),
        (None, "00"),
        ("99", "00"),
    ],
)
def test_departments_become_ubigeo_codes(stored: str | None, code: str) -> None:
    assert department_code(stored) == code


@pytest.mark.parametrize(
    ("today", "reference"),
    [(date(2026, 11, 30), date(2026, 9, 30)), (date(2026, 1, 1), date(2025, 12, 31))],
)
def test_the_default_reference_is_the_last_closed_quarter(today: date, reference: date) -> None:
    assert quarter_end(today) == reference


@pytest.mark.parametrize(
    ("reference", "code"),
    [(date(2026, 9, 29), "NOT_QUARTER_END"), (date(2026, 12, 31), "QUARTER_NOT_CLOSED")],
)
async def test_only_closed_quarters_are_published(
    database_url: str, reference: date, code: str
) -> None:
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        before = await (await conn.execute("SELECT count(*) FROM statistics_release")).fetchone()
        with pytest.raises(ValidationFailed) as raised:
            await publish(conn, 10, reference, today=date(2026, 11, 30))
        after = await (await conn.execute("SELECT count(*) FROM statistics_release")).fetchone()
    assert raised.value.problems[0].code == code
    assert before == after
