"""Every cell of ACCESS-POLICY.md's matrix, over HTTP with real tokens.

The expectations below are transcribed from ACCESS-POLICY.md by hand — not computed
from ``auth/policy.py`` — so that a wrong declaration fails here.

``ok``: the data comes back. ``forbidden``: the fields are null with FORBIDDEN and the
path (a row condition failed). ``absent``: the field is not in the role's contract (the
query fails validation, as for a field that does not exist). ``unauthenticated``: no
token, for a query that needs one (401).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases, make_officer

CATEGORY_QUERIES = {
    "identity": "query($p: ID!) { person(id: $p) { givenNames birthDate documents { number } } }",
    "contact": "query($p: ID!) { person(id: $p) { phone email address { department } } }",
    "profession": "query($p: ID!) { person(id: $p) { profession educationLevel } }",
    "status": "query($n: Int!) { case(number: $n) { number filingDate protectedFromRemoval } }",
    "needs": "query($n: Int!) { case(number: $n) { needs { code } priorityScore } }",
    "family": "query($n: Int!) { case(number: $n) { members { relationship } } }",
    "case_admin": "query($n: Int!) { case(number: $n) { history { toStatus } } }",
    "case_admin.office": "query($n: Int!) { case(number: $n) { office { code } } }",
    "case_admin.appointments": "query($n: Int!) { case(number: $n) { appointments { mode } } }",
    "claim": "query($n: Int!) { case(number: $n) { claim { interviews { mode summary } } } }",
    "claim.decision_letter": "query($n: Int!) { case(number: $n) { decisionLetters { outcome } } }",
}

OK, FORBIDDEN, ABSENT, UNAUTHENTICATED = "ok", "forbidden", "absent", "unauthenticated"
ALL_OK = dict.fromkeys(CATEGORY_QUERIES, OK)
ALL_FORBIDDEN = dict.fromkeys(CATEGORY_QUERIES, FORBIDDEN)
ALL_ABSENT = dict.fromkeys(CATEGORY_QUERIES, ABSENT)

# (caller, expectations on the Lima case whose principal consented to health-workforce)
MATRIX: dict[str, dict[str, str]] = {
    "eligibility-assigned": ALL_OK,
    "eligibility-not-assigned": ALL_FORBIDDEN,
    "supervisor": ALL_OK,
    "registrar-own-office": {**ALL_OK, "claim": ABSENT, "claim.decision_letter": ABSENT},
    "registrar-other-office": {**ALL_FORBIDDEN, "claim": ABSENT, "claim.decision_letter": ABSENT},
    "secretary": {**ALL_OK, "contact": ABSENT, "profession": ABSENT},
    "migraciones": {**ALL_ABSENT, "identity": OK, "status": OK},
    "minsa-consented": {**ALL_ABSENT, "identity": OK, "contact": OK, "profession": OK},
    "minsa-not-consented": {
        **ALL_ABSENT,
        "identity": FORBIDDEN,
        "contact": FORBIDDEN,
        "profession": FORBIDDEN,
    },
    "acnur": {**ALL_OK, "case_admin": ABSENT, "claim": ABSENT, "claim.decision_letter": ABSENT},
    "applicant-self": {
        **ALL_OK,
        "needs": ABSENT,
        "case_admin": ABSENT,
        "case_admin.office": ABSENT,
        "claim": ABSENT,
    },
    "applicant-other": {
        **ALL_FORBIDDEN,
        "needs": ABSENT,
        "case_admin": ABSENT,
        "case_admin.office": ABSENT,
        "claim": ABSENT,
    },
    "public": dict.fromkeys(CATEGORY_QUERIES, UNAUTHENTICATED),
}


@dataclass
class World:
    lima_case: int
    lima_person: int
    tacna_case: int
    tacna_person: int
    assigned_officer: int
    other_officer: int


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine) -> World:
    assigned = await make_officer(engine, "cepr-eligibility", "LIM")
    other = await make_officer(engine, "cepr-eligibility", "LIM")
    lima = (await make_cases(engine, 1, office_code="LIM", assigned_officer_id=assigned))[0]
    tacna = (await make_cases(engine, 1, office_code="TCQ"))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO consent (person_id, purpose) VALUES (:p, 'health-workforce')"),
            {"p": lima.person_ids[0]},
        )
        await conn.execute(
            text(
                "INSERT INTO appointment (case_id, office_id, starts_at, mode, purpose) "
                "SELECT :c, id, now(), 'in_person', 'registration_interview' FROM office "
                "WHERE code = 'LIM'"
            ),
            {"c": lima.id},
        )
        await conn.execute(
            text(
                "INSERT INTO status_change (case_id, from_status, to_status, actor) "
                "VALUES (:c, NULL, 'pre_registered', 'test')"
            ),
            {"c": lima.id},
        )
        # claim records written before sealing (the legacy form: a 0x00 byte, then text)
        await conn.execute(
            text(
                "INSERT INTO interview_record (case_id, mode, held_at, summary, language,"
                " interpreter, interviewer) VALUES (:c, 'in_person', now(),"
                " '\\x00'::bytea || convert_to('Relato de la entrevista', 'UTF8'), 'spa',"
                " false, 'test')"
            ),
            {"c": lima.id},
        )
        await conn.execute(
            text(
                "INSERT INTO case_decision (case_id, instance, outcome, reasons, decided_by)"
                " VALUES (:c, 'first', 'recognised',"
                " '\\x00'::bytea || convert_to('Fundamentos', 'UTF8'), 'test')"
            ),
            {"c": lima.id},
        )
    return World(
        lima.number, lima.person_ids[0], tacna.number, tacna.person_ids[0], assigned, other
    )


def caller_token(caller: str, w: World) -> tuple[str | None, str | None, int]:
    """(token, purpose header, person id the queries target)."""
    lima, tacna = w.lima_person, w.tacna_person
    table: dict[str, tuple[str | None, str | None, int]] = {
        "registrar-own-office": (mint("cepr-registrar", office="LIM"), "case-management", lima),
        "registrar-other-office": (mint("cepr-registrar", office="TCQ"), "case-management", lima),
        "eligibility-assigned": (
            mint("cepr-eligibility", office="LIM", officer=w.assigned_officer),
            "case-management",
            lima,
        ),
        "eligibility-not-assigned": (
            mint("cepr-eligibility", office="LIM", officer=w.other_officer),
            "case-management",
            lima,
        ),
        "supervisor": (mint("cepr-supervisor", office="LIM"), "case-management", lima),
        "secretary": (mint("cepr-secretary", office="LIM"), "case-management", lima),
        "migraciones": (
            mint("migraciones", purpose="deportation-protection"),
            "deportation-protection",
            lima,
        ),
        "minsa-consented": (mint("minsa", purpose="health-workforce"), "health-workforce", lima),
        "minsa-not-consented": (
            mint("minsa", purpose="health-workforce"),
            "health-workforce",
            tacna,
        ),
        "acnur": (mint("acnur", purpose="protection-assistance"), "protection-assistance", lima),
        "applicant-self": (mint("applicant", person=lima), None, lima),
        "applicant-other": (mint("applicant", person=tacna), None, lima),
        "public": (None, None, lima),
    }
    return table[caller]


def case_number_for(caller: str, w: World) -> int:
    return w.tacna_case if caller == "minsa-not-consented" else w.lima_case


def ask(
    hub: LiveHub, token: str | None, purpose: str | None, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    headers = {"Accept": "application/graphql-response+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(
        f"{hub.url}/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code in (200, 400, 401), response.text
    body: dict[str, Any] = response.json()
    body["_status"] = response.status_code
    return body


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


CELLS = [(caller, category) for caller in MATRIX for category in CATEGORY_QUERIES]


@pytest.mark.parametrize(("caller", "category"), CELLS, ids=[f"{c}:{k}" for c, k in CELLS])
def test_matrix_cell(live_hub: LiveHub, world: World, caller: str, category: str) -> None:
    expected = MATRIX[caller][category]
    token, purpose, person = caller_token(caller, world)
    agency = {"migraciones": "migraciones", "minsa": "minsa", "acnur": "acnur"}.get(
        caller.split("-")[0], "cepr"
    )
    variables = {"p": agency_person_id(agency, person), "n": case_number_for(caller, world)}
    query = CATEGORY_QUERIES[category]
    used = {k: v for k, v in variables.items() if f"${k}" in query}
    body = ask(live_hub, token, purpose, query, used)
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if expected == UNAUTHENTICATED:
        assert body["_status"] == 401 and codes == ["UNAUTHENTICATED"], body
        return
    if expected == ABSENT:
        assert body["_status"] == 400 and "data" not in body, body
        assert set(codes) == {"GRAPHQL_VALIDATION_FAILED"}, body
        return
    root = body["data"]
    assert root is not None, body
    data = next(iter(root.values()))
    if expected == OK:
        assert "errors" not in body, body
        assert data is not None and any(leaf is not None for leaf in _leaves(data)), body
    else:
        assert codes and set(codes) == {"FORBIDDEN"}, body
        assert all(leaf is None for leaf in _leaves(data)), body
        assert all(e["path"][0] in root for e in body["errors"]), body


def test_migration_office_sees_protection_but_not_the_detailed_status(
    live_hub: LiveHub, world: World
) -> None:
    token = mint("migraciones", purpose="deportation-protection")
    ok = ask(
        live_hub,
        token,
        "deportation-protection",
        "query($n: Int!) { case(number: $n) { protectedFromRemoval protectionBasis } }",
        {"n": world.lima_case},
    )
    assert ok["data"] == {
        "case": {"protectedFromRemoval": True, "protectionBasis": "PENDING_CLAIM"}
    }
    detailed = ask(
        live_hub,
        token,
        "deportation-protection",
        "query($n: Int!) { case(number: $n) { status } }",
        {"n": world.lima_case},
    )
    assert detailed["_status"] == 400


LIST = """query($o: [String!]) {
  cases(first: 50, filter: {officeCodes: $o}) { edges { node { number office { code } } } }
}"""


def listed(hub: LiveHub, token: str, offices: list[str] | None = None) -> list[tuple[int, str]]:
    body = ask(hub, token, "case-management", LIST, {"o": offices})
    assert "errors" not in body, body
    return [
        (e["node"]["number"], e["node"]["office"]["code"]) for e in body["data"]["cases"]["edges"]
    ]


def test_registrars_list_only_their_office(live_hub: LiveHub, world: World) -> None:
    tacna = listed(live_hub, mint("cepr-registrar", office="TCQ"))
    assert tacna and {office for _, office in tacna} == {"TCQ"}
    assert world.tacna_case in {n for n, _ in tacna}
    # Asking for another office's cases gives none of them
    assert listed(live_hub, mint("cepr-registrar", office="TCQ"), ["LIM"]) == []


def test_eligibility_officers_list_only_their_assigned_cases(
    live_hub: LiveHub, world: World
) -> None:
    assigned = listed(
        live_hub, mint("cepr-eligibility", office="LIM", officer=world.assigned_officer)
    )
    assert [n for n, _ in assigned] == [world.lima_case]
    assert (
        listed(live_hub, mint("cepr-eligibility", office="LIM", officer=world.other_officer)) == []
    )
