"""Prioritisation and assignment over HTTP: rules and version visible, the queue with each
case's reasons, supervisor override shown, assignment; refusals for other roles."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.casework import priority
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

QUEUE = """query { officerQueue(limit: 500) { caseNumber score computedScore ruleVersion
  reasons { rule points explanation } overrideReason overrideBy } }"""
OVERRIDE = """mutation($n: Int!, $s: Float, $r: String!) {
  overridePriority(caseNumber: $n, score: $s, reason: $r) { caseNumber score overrideReason } }"""


async def test_rules_queue_override_assignment(live_hub: LiveHub, engine: AsyncEngine) -> None:
    supervisor = mint("cepr-supervisor", office="PEM")
    rules = gql(live_hub, supervisor, "{ priorityRules { version rules { rule points } } }")
    assert rules["data"]["priorityRules"]["version"] == priority.file_rules()["version"]
    assert {"rule": "necesidad:UASC", "points": 40.0} in rules["data"]["priorityRules"]["rules"]

    case = (await make_cases(engine, 1, office_code="PEM", family_size=1, needs=("UM",)))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO officer (username, full_name, role, office_id, profiles) SELECT"
                " 'elig-pem-gql', 'Oficial', 'cepr-eligibility', id, '{general,children}'"
                " FROM office"
                " WHERE code = 'PEM'"
            )
        )
    moved = gql(live_hub, supervisor, OVERRIDE, n=case.number, s=90.0, r="Riesgo de devolución")
    assert moved["data"]["overridePriority"] == {
        "caseNumber": case.number,
        "score": 90.0,
        "overrideReason": "Riesgo de devolución",
    }
    registrar = mint("cepr-registrar", office="PEM")
    queue = gql(live_hub, registrar, QUEUE)["data"]["officerQueue"]
    mine = next(e for e in queue if e["caseNumber"] == case.number)
    assert mine["score"] == 90.0
    assert mine["computedScore"] >= 40.0
    assert mine["reasons"][0]["rule"] == "necesidad:UASC"
    assert mine["overrideBy"].startswith("cepr:cepr-supervisor:")

    assigned = gql(
        live_hub,
        supervisor,
        'mutation { assignCases(officeCode: "PEM") { ruleVersion assigned { caseNumber } } }',
    )
    result = assigned["data"]["assignCases"]
    assert {"caseNumber": case.number} in result["assigned"]

    # overriding a priority is the supervisors' (needs.priority): not in a registrar's contract
    denied = gql(live_hub, registrar, OVERRIDE, n=case.number, s=1.0, r="x")
    assert "data" not in denied
    assert denied["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    async with engine.connect() as conn:
        score = (
            await conn.execute(
                text("SELECT priority_score FROM case_file WHERE id = :i"), {"i": case.id}
            )
        ).scalar_one()
    assert float(score) == 90.0
