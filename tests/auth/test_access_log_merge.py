"""Reads of one batch by the same caller, purpose, operation and categories become one
entry naming every person; anything else keeps its own entry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.access_log import Entry
from auth.access_log_append import merge_reads
from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases

T0 = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
READ = Entry(
    at=T0,
    client_id="demo-migraciones",
    subject="migraciones-1",
    agency="migraciones",
    role="migraciones",
    purpose="deportation-protection",
    operation="P",
    action="read",
    person_ids=(5,),
    categories=("status",),
)


def test_same_caller_reads_merge_into_one_entry_with_every_person_and_the_count() -> None:
    later = replace(READ, at=T0 + timedelta(milliseconds=3), person_ids=(2, 5))
    assert merge_reads([later, READ]) == [replace(READ, person_ids=(2, 5), changes={"requests": 2})]


def test_different_callers_purposes_operations_categories_and_writes_stay_apart() -> None:
    others = [
        replace(READ, subject="migraciones-2"),
        replace(READ, operation="Q"),
        replace(READ, categories=("identity", "status")),
        replace(READ, action="write", person_ids=(7,)),
        replace(READ, action="write", person_ids=(8,)),
    ]
    assert merge_reads([READ, *others]) == [READ, *others]


async def test_concurrent_lookups_are_all_logged_with_every_person(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given 12 persons with passports known to the hub
    cases = await make_cases(engine, 12, office_code="TCQ", family_size=1)
    persons = [c.person_ids[0] for c in cases]
    token = mint("migraciones")
    query = "query Ficha($p: ID!) { person(id: $p) { givenNames } }"

    def read(person_id: int) -> None:
        response = httpx.post(
            f"{live_hub.url}/graphql",
            json={
                "query": query,
                "variables": {"p": agency_person_id("migraciones", person_id)},
                "operationName": "Ficha",
            },
            headers={"Authorization": f"Bearer {token}", "X-Purpose": "deportation-protection"},
        )
        assert response.json()["data"]["person"]["givenNames"]

    # When the Migration Office reads them all at once
    with ThreadPoolExecutor(12) as pool:
        list(pool.map(read, persons))
    # Then every person is in the log, under the office and purpose, once per request
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT agency, purpose, person_ids, changes FROM access_log"
                    " WHERE person_ids && CAST(:p AS bigint[]) ORDER BY id"
                ),
                {"p": persons},
            )
        ).all()
    assert {(r[0], r[1]) for r in rows} == {("migraciones", "deportation-protection")}
    assert sorted(p for r in rows for p in r[2]) == sorted(persons)
    assert sum((r[3] or {}).get("requests", 1) for r in rows) == 12
