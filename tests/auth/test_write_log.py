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


MOVE = """mutation Mover($n: Int!, $to: CaseStatus!, $r: String!) {
  changeCaseStatus(caseNumber: $n, to: $to, reason: $r) { toStatus } }"""


def move(hub: LiveHub, token: str, number: int, to: str) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={
            "query": MOVE,
            "variables": {"n": number, "to": to, "r": "Revisión"},
            "operationName": "Mover",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()  # type: ignore[no-any-return]


async def writes_of(engine: AsyncEngine, person_id: int) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT operation, person_ids, changes FROM access_log"
                " WHERE action = 'write' AND :p = ANY(person_ids) ORDER BY id"
            ),
            {"p": person_id},
        )
        return list(result.all())


async def test_a_write_is_logged_with_the_before_and_after_of_each_changed_row(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a registered case in Arequipa
    case = (await make_cases(engine, 1, office_code="AQP", status="registered"))[0]
    principal = case.person_ids[0]
    # When the office's registrar moves it under review
    body = move(live_hub, mint("cepr-registrar", office="AQP"), case.number, "UNDER_REVIEW")
    assert body["data"]["changeCaseStatus"]["toStatus"] == "UNDER_REVIEW"
    # Then the write entry holds the case row's status before and after, and the new
    # history row, and names the case's persons
    [(operation, person_ids, changes)] = await writes_of(engine, principal)
    assert operation == "Mover"
    assert set(case.person_ids) <= set(person_ids)
    rows = changes["rows"]
    updated = [r for r in rows if r["table"] == "case_file" and r["operation"] == "update"]
    assert len(updated) == 1
    assert updated[0]["before"]["status"] == "registered"
    assert updated[0]["after"]["status"] == "under_review"
    assert set(updated[0]["before"]) == set(updated[0]["after"])  # changed columns only
    assert "number" not in updated[0]["after"]
    inserted = [r for r in rows if r["table"] == "status_change"]
    assert [(r["operation"], r["before"], r["after"]["to_status"]) for r in inserted] == [
        ("insert", None, "under_review")
    ]
    assert set(inserted[0]["key"]) == {"id"}
    # and nothing stays staged
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM write_change"))).scalar_one() == 0


async def test_a_refused_write_changes_no_row_and_logs_none(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a case of another office
    case = (await make_cases(engine, 1, office_code="PIU", status="registered"))[0]
    # When Arequipa's registrar tries to move it
    body = move(live_hub, mint("cepr-registrar", office="AQP"), case.number, "UNDER_REVIEW")
    # Then it is refused, the case is as it was, and the attempt is logged without rows
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with engine.connect() as conn:
        status = (
            await conn.execute(
                text("SELECT status FROM case_file WHERE number = :n"), {"n": case.number}
            )
        ).scalar_one()
        attempt = (
            await conn.execute(
                text(
                    "SELECT changes FROM access_log WHERE action = 'write'"
                    " AND operation = 'Mover' ORDER BY id DESC LIMIT 1"
                )
            )
        ).scalar_one()
    assert status == "registered"
    assert attempt["succeeded"] is False and "rows" not in attempt
    assert attempt["arguments"]["n"] == case.number
