"""Writes are logged: who, for what purpose, which mutation and arguments (no secrets)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases


async def last_write(engine: AsyncEngine, operation: str) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT agency, role, purpose, action, categories, changes FROM access_log"
                    " WHERE action = 'write' AND operation = :o ORDER BY id DESC LIMIT 1"
                ),
                {"o": operation},
            )
        ).one_or_none()


async def test_signing_a_permit_is_logged(live_hub: LiveHub, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, status="under_review"))[0]
    response = httpx.post(
        f"{live_hub.url}/graphql",
        json={
            "query": "mutation Firma($n: Int!) { issueWorkPermit(caseNumber: $n) { id } }",
            "variables": {"n": case.number},
            "operationName": "Firma",
        },
        headers={"Authorization": f"Bearer {mint('cepr-secretary', office='LIM')}"},
        timeout=30,
    )
    assert "errors" not in response.json()
    row = await last_write(engine, "Firma")
    assert row is not None
    agency, role, purpose, action, categories, changes = row
    assert (agency, role, purpose, action) == ("cepr", "cepr-secretary", "case-management", "write")
    assert categories == ["status.signing"]
    assert changes["mutations"] == ["issueWorkPermit"] and changes["succeeded"] is True
    assert changes["arguments"] == {"n": case.number}


async def test_secrets_and_templates_never_reach_the_log(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (
        await make_cases(
            engine, 1, office_code="CIX", family_size=1, status="appointment_scheduled", needs=()
        )
    )[0]
    secret_template = "A" * 600
    httpx.post(
        f"{live_hub.url}/graphql",
        json={
            "query": "mutation Huella($p: Int!, $t: String!) "
            "{ enrolBiometrics(personId: $p, template: $t) { outcome } }",
            "variables": {"p": case.person_ids[0], "t": secret_template},
            "operationName": "Huella",
        },
        headers={"Authorization": f"Bearer {mint('cepr-registrar', office='CIX')}"},
        timeout=30,
    )
    row = await last_write(engine, "Huella")
    assert row is not None
    logged = json.dumps(row[5])
    assert "AAAAAAAA" not in logged
    assert row[5]["arguments"]["t"] == "[omitido: 600 caracteres]"
