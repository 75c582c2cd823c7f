"""The access log: agency reads are logged, the chain detects tampering, rows are immutable."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases


@pytest.fixture(scope="module")
async def person(engine: AsyncEngine) -> int:
    return (await make_cases(engine, 1, office_code="CUZ"))[0].person_ids[0]


def read_person(hub: LiveHub, token: str, purpose: str | None, person_id: int) -> dict[str, Any]:
    agency = {
        "deportation-protection": "migraciones",
        "health-workforce": "minsa",
        "protection-assistance": "acnur",
    }.get(purpose or "", "cepr")
    headers = {"Authorization": f"Bearer {token}"}
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(
        f"{hub.url}/graphql",
        json={
            "query": "query Ficha($p: ID!) { person(id: $p) { givenNames birthDate } }",
            "variables": {"p": agency_person_id(agency, person_id)},
            "operationName": "Ficha",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def log_rows(engine: AsyncEngine, person_id: int) -> list[Any]:
    async with engine.connect() as conn:
        return list(
            (
                await conn.execute(
                    text(
                        "SELECT agency, role, purpose, operation, action, categories"
                        " FROM access_log WHERE :p = ANY(person_ids) ORDER BY id"
                    ),
                    {"p": person_id},
                )
            ).all()
        )


async def test_an_agency_read_is_logged_with_who_why_and_what(
    live_hub: LiveHub, engine: AsyncEngine, person: int
) -> None:
    before = await log_rows(engine, person)
    body = read_person(live_hub, mint("migraciones"), "deportation-protection", person)
    assert body["data"]["person"]["givenNames"]
    rows = await log_rows(engine, person)
    assert rows[len(before) :] == [
        ("migraciones", "migraciones", "deportation-protection", "Ficha", "read", ["identity"])
    ]


async def test_a_commission_read_of_identity_is_not_an_agency_read(
    live_hub: LiveHub, engine: AsyncEngine, person: int
) -> None:
    before = await log_rows(engine, person)
    read_person(live_hub, mint("cepr-supervisor", office="LIM"), None, person)
    assert await log_rows(engine, person) == before


async def test_log_rows_cannot_be_updated_or_deleted(engine: AsyncEngine, person: int) -> None:
    for statement in ("UPDATE access_log SET subject = 'x'", "DELETE FROM access_log"):
        with pytest.raises(DBAPIError, match="solo anexado"):
            async with engine.begin() as conn:
                await conn.execute(text(statement))


async def test_audit_verify_names_the_first_altered_entry(
    live_hub: LiveHub, engine: AsyncEngine, person: int
) -> None:
    # Given a chain of several entries
    for _ in range(3):
        read_person(live_hub, mint("acnur"), "protection-assistance", person)
    url = engine.url.render_as_string(hide_password=False)

    def audit_verify() -> subprocess.CompletedProcess[str]:
        # As an administrator runs it: its own process, pointed at the database.
        return subprocess.run(
            [sys.executable, "-m", "hub.cli", "audit", "verify"],
            env={**os.environ, "QHUB_DATABASE_URL": url, "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    intact = audit_verify()
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "íntegra" in intact.stdout
    # When someone with superuser rights rewrites a past entry behind the trigger
    async with engine.begin() as conn:
        target = (
            await conn.execute(text("SELECT id FROM access_log ORDER BY id LIMIT 1 OFFSET 1"))
        ).scalar_one()
        await conn.execute(text("ALTER TABLE access_log DISABLE TRIGGER USER"))
        await conn.execute(
            text("UPDATE access_log SET subject = 'alguien-inocente' WHERE id = :i"),
            {"i": target},
        )
        await conn.execute(text("ALTER TABLE access_log ENABLE TRIGGER USER"))
    # Then the verification fails and names that entry
    broken = audit_verify()
    assert broken.returncode == 1
    assert f"entrada {target}" in broken.stdout


def graphql(hub: LiveHub, token: str, query: str, purpose: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(f"{hub.url}/graphql", json={"query": query}, headers=headers)
    return response.json()  # type: ignore[no-any-return]


async def test_a_person_sees_who_read_their_data_and_why(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a person read by the Health Ministry (with consent) and by a supervisor
    person = (await make_cases(engine, 1, office_code="PIU"))[0].person_ids[0]
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO consent (person_id, purpose) VALUES (:p, 'health-workforce')"),
            {"p": person},
        )
    read_person(live_hub, mint("minsa"), "health-workforce", person)
    read_person(live_hub, mint("cepr-supervisor", office="LIM"), None, person)
    # When the person asks who read their data
    body = graphql(
        live_hub,
        mint("applicant", person=person),
        "{ whoReadMyData { agency purpose categories } }",
    )
    # Then they see the ministry's read and its purpose, and not the commission's work
    assert body["data"]["whoReadMyData"] == [
        {"agency": "minsa", "purpose": "health-workforce", "categories": ["identity"]}
    ]


async def test_a_supervisor_queries_the_log_by_person(live_hub: LiveHub, person: int) -> None:
    body = graphql(
        live_hub,
        mint("cepr-supervisor", office="LIM"),
        f'{{ accessLog(personId: "{person}", agency: "migraciones") '
        "{ agency operation personIds } }",
    )
    lines = body["data"]["accessLog"]
    assert lines and all(line["agency"] == "migraciones" for line in lines)
    assert all(str(person) in line["personIds"] for line in lines)


def test_agencies_cannot_read_the_log(live_hub: LiveHub) -> None:
    body = graphql(live_hub, mint("acnur"), "{ accessLog { id } }", "protection-assistance")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
