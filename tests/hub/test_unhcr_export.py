"""UNHCR's specific-needs export over HTTP: as a GraphQL field and as a CSV download,
only for UNHCR's nationwide view, every exported person in the access log."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.unhcr_view import COLUMNS
from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import MadeCase, make_cases

# A filing day nobody else uses, so the filter isolates this module's cases.
FILED = date(2019, 3, 14)
PURPOSE = {"acnur": "protection-assistance", "migraciones": "deportation-protection"}
EXPORT = """query Exportacion($f: CaseFilter) { unhcrNeedsExport(filter: $f) {
  filename contentType rowCount csv } }"""


@pytest.fixture(scope="module")
async def cases(engine: AsyncEngine) -> list[MadeCase]:
    return await make_cases(
        engine, 2, office_code="CUZ", needs=("SP-PT", "DS-PM"), filing_date=FILED, family_size=2
    )


def headers(agency: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(agency)}", "X-Purpose": PURPOSE[agency]}


def graphql(hub: LiveHub, agency: str, variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": EXPORT, "variables": variables},
        headers=headers(agency),
    )
    return response.json()  # type: ignore[no-any-return]


async def exports_logged(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT agency, purpose, operation, categories, person_ids FROM access_log"
                " WHERE operation IN ('unhcrNeedsExport', 'Exportacion') ORDER BY id"
            )
        )
        return list(result.all())


DAY = {"filedFrom": FILED.isoformat(), "filedTo": FILED.isoformat()}


async def test_unhcr_exports_needs_in_its_codes_and_the_export_is_logged(
    live_hub: LiveHub, engine: AsyncEngine, cases: list[MadeCase]
) -> None:
    # Given two CUZ cases filed on FILED, each principal with two needs
    before = await exports_logged(engine)
    # When UNHCR exports that day's cases through GraphQL
    body = graphql(live_hub, "acnur", {"f": {**DAY, "officeCodes": ["CUZ"]}})
    # Then the file holds one row per need, under UNHCR's own identifiers
    export = body["data"]["unhcrNeedsExport"]
    assert export["contentType"] == "text/csv; charset=utf-8"
    assert export["filename"].startswith("acnur-necesidades-")
    rows = list(csv.DictReader(io.StringIO(export["csv"])))
    assert tuple(next(csv.reader(io.StringIO(export["csv"])))) == COLUMNS
    assert export["rowCount"] == len(rows) == 4
    assert sorted((r["case_number"], r["need_code"]) for r in rows) == sorted(
        (str(c.number), n) for c in cases for n in ("DS-PM", "SP-PT")
    )
    assert {r["person"] for r in rows} == {
        agency_person_id("acnur", c.person_ids[0]) for c in cases
    }
    assert {r["office"] for r in rows} == {"CUZ"} and {r["household_size"] for r in rows} == {"2"}
    # and the access log names UNHCR, its purpose and exactly the exported persons
    new = (await exports_logged(engine))[len(before) :]
    assert len(new) == 1
    agency, purpose, operation, categories, person_ids = new[0]
    assert (agency, purpose) == ("acnur", "protection-assistance")
    assert set(categories) >= {"needs", "status", "family", "identity"}
    assert sorted(person_ids) == sorted(c.person_ids[0] for c in cases)
    assert operation == "Exportacion"


async def test_the_csv_download_is_the_same_file_and_is_logged(
    live_hub: LiveHub, engine: AsyncEngine, cases: list[MadeCase]
) -> None:
    before = await exports_logged(engine)
    # When UNHCR downloads the same export as a file, filtering by need too
    response = httpx.get(
        f"{live_hub.url}/exports/unhcr-needs.csv",
        params={**DAY, "office": "cuz", "need": "SP-PT,DS-PM", "status": "under_review"},
        headers=headers("acnur"),
    )
    # Then it is an attachment with the GraphQL export's content
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="acnur-necesidades-'
    )
    graph = graphql(live_hub, "acnur", {"f": {**DAY, "officeCodes": ["CUZ"]}})
    assert response.text == graph["data"]["unhcrNeedsExport"]["csv"]
    new = (await exports_logged(engine))[len(before) :]
    principals = sorted(c.person_ids[0] for c in cases)
    assert [(r[0], r[1], r[2], sorted(r[4])) for r in new] == [
        ("acnur", "protection-assistance", "unhcrNeedsExport", principals),
        ("acnur", "protection-assistance", "Exportacion", principals),
    ]


async def test_other_agencies_and_anonymous_callers_get_no_file_and_nothing_is_read(
    live_hub: LiveHub, engine: AsyncEngine, cases: list[MadeCase]
) -> None:
    before = await exports_logged(engine)
    # The Migration Office's contract does not have the field at all
    body = graphql(live_hub, "migraciones", {"f": DAY})
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in body
    # and the download is refused with a stable code
    denied = httpx.get(
        f"{live_hub.url}/exports/unhcr-needs.csv", params=DAY, headers=headers("migraciones")
    )
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = httpx.get(f"{live_hub.url}/exports/unhcr-needs.csv", params=DAY)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and nobody's data was recorded as read
    assert await exports_logged(engine) == before


def test_bad_filters_are_reported_with_their_parameter_and_code(
    live_hub: LiveHub, cases: list[MadeCase]
) -> None:
    response = httpx.get(
        f"{live_hub.url}/exports/unhcr-needs.csv",
        params={"status": "casi_listo", "filedFrom": "14/03/2019"},
        headers=headers("acnur"),
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [(p["path"], p["code"]) for p in error["extensions"]["problems"]] == [
        (["status"], "UNKNOWN_STATUS"),
        (["filedFrom"], "INVALID_DATE"),
    ]
