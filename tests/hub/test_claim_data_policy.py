"""Issue 12, over HTTP: claim data is claim data (history reasons, appeals), decisions
only through the decision, agencies see coarse status only. Every denial changes and
reveals nothing; every read of claim data is in the access log with exactly its persons."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases, make_officer
from tests.graphql_client import gql

VALIDATION = "GRAPHQL_VALIDATION_FAILED"


async def case_state(engine: AsyncEngine, number: int) -> tuple[Any, ...]:
    """Status and the number of rows of every table a decision or appeal writes."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT c.status,"
                    " (SELECT count(*) FROM status_change WHERE case_id = c.id),"
                    " (SELECT count(*) FROM case_decision WHERE case_id = c.id),"
                    " (SELECT count(*) FROM claim_appeal WHERE case_id = c.id)"
                    " FROM case_file c WHERE c.number = :n"
                ),
                {"n": number},
            )
        ).one()
    return tuple(row)


async def log_entries(engine: AsyncEngine, operation: str) -> list[tuple[Any, ...]]:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT role, action, categories, person_ids FROM access_log"
                    " WHERE operation = :o AND action = 'read' ORDER BY id"
                ),
                {"o": operation},
            )
        ).all()
    return [(r[0], r[1], sorted(r[2]), sorted(r[3])) for r in rows]


async def add_history(engine: AsyncEngine, case_id: int, reason: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
                " VALUES (:c, 'under_review', 'rejected', 'cepr:cepr-secretary', :r)"
            ),
            {"c": case_id, "r": reason},
        )


async def test_history_reasons_are_claim_data_read_only_by_claim_readers_and_logged(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a rejected AQP case whose history holds the decision's reasons
    officer = await make_officer(engine, "cepr-eligibility", "AQP")
    case = (
        await make_cases(
            engine, 1, office_code="AQP", status="rejected", assigned_officer_id=officer
        )
    )[0]
    await add_history(engine, case.id, "No se acredita temor fundado de persecución.")
    history = "query HistoriaMotivos($n: Int!) { case(number: $n) { history { toStatus reason } } }"
    # When the office's registrar asks for the reasons: the field is not in its contract
    registrar = gql(live_hub, mint("cepr-registrar", office="AQP"), history, n=case.number)
    assert registrar["errors"][0]["extensions"]["code"] == VALIDATION
    assert "data" not in registrar
    # (its history without reasons is still served, and logs no claim read)
    plain = gql(
        live_hub,
        mint("cepr-registrar", office="AQP"),
        "query HistoriaSinMotivos($n: Int!) { case(number: $n) { history { toStatus } } }",
        n=case.number,
    )
    assert plain["data"]["case"]["history"] == [{"toStatus": "REJECTED"}]
    assert await log_entries(engine, "HistoriaSinMotivos") == []
    # When the assigned eligibility officer and a supervisor read them
    for role, token in (
        ("cepr-eligibility", mint("cepr-eligibility", officer=officer)),
        ("cepr-supervisor", mint("cepr-supervisor", office="LIM")),
    ):
        body = gql(live_hub, token, history, n=case.number)
        assert body["data"]["case"]["history"] == [
            {"toStatus": "REJECTED", "reason": "No se acredita temor fundado de persecución."}
        ], role
    # Then each read is logged as a claim read of the case's persons (the claim is the
    # household's: every member's status follows it)
    assert await log_entries(engine, "HistoriaMotivos") == [
        ("cepr-eligibility", "read", ["claim"], sorted(case.person_ids)),
        ("cepr-supervisor", "read", ["claim"], sorted(case.person_ids)),
    ]
    # and an eligibility officer not assigned to the case gets nothing of it
    other = await make_officer(engine, "cepr-eligibility", "AQP")
    denied = gql(live_hub, mint("cepr-eligibility", officer=other), history, n=case.number)
    assert denied["data"]["case"] is None  # the same answer as for an unknown case
    assert {e["extensions"]["code"] for e in denied["errors"]} == {"FORBIDDEN"}
    assert len(await log_entries(engine, "HistoriaMotivos")) == 2


APPEAL = """mutation($n: Int!, $g: String!) { fileAppeal(caseNumber: $n, grounds: $g) {
  caseNumber } }"""


async def test_a_registrar_cannot_file_an_appeal_and_nothing_changes(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    officer = await make_officer(engine, "cepr-eligibility", "AQP")
    case = (
        await make_cases(
            engine, 1, office_code="AQP", status="rejected", assigned_officer_id=officer
        )
    )[0]
    before = await case_state(engine, case.number)
    # When the office's registrar and a supervisor try to file an appeal (a claim write)
    for token in (mint("cepr-registrar", office="AQP"), mint("cepr-supervisor", office="LIM")):
        refused = gql(live_hub, token, APPEAL, n=case.number, g="Nuevas pruebas")
        # Then the mutation does not exist for them, and nothing changed
        assert refused["errors"][0]["extensions"]["code"] == VALIDATION
        assert "data" not in refused
    # and another eligibility officer (not assigned) is refused by the service
    other = await make_officer(engine, "cepr-eligibility", "AQP")
    forbidden = gql(live_hub, mint("cepr-eligibility", officer=other), APPEAL, n=case.number, g="x")
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert forbidden["data"] is None
    assert await case_state(engine, case.number) == before
    # When the assigned officer files it, it is recorded and the case is under appeal
    filed = gql(
        live_hub, mint("cepr-eligibility", officer=officer), APPEAL, n=case.number, g="Pruebas"
    )
    assert filed == {"data": {"fileAppeal": {"caseNumber": case.number}}}
    assert await case_state(engine, case.number) == ("appeal", 1, 0, 1)


MOVE = """mutation($n: Int!, $to: CaseStatus!) {
  changeCaseStatus(caseNumber: $n, to: $to, reason: "ok") { toStatus } }"""
DECIDE = """mutation($n: Int!) { decideCase(caseNumber: $n, outcome: RECOGNISED,
  reasons: "ok") { caseNumber } }"""


async def test_decision_states_are_reached_only_through_the_decision(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a case under review with no assessment
    case = (await make_cases(engine, 1, office_code="LIM", status="under_review"))[0]
    before = await case_state(engine, case.number)
    secretary = mint("cepr-secretary", office="LIM")
    # The Executive Secretary has no generic change of status any more
    generic = gql(live_hub, secretary, MOVE, n=case.number, to="RECOGNISED")
    assert generic["errors"][0]["extensions"]["code"] == VALIDATION
    # a supervisor's generic change cannot reach a decision state, nor an appeal
    for to in ("RECOGNISED", "REJECTED", "REJECTED_FINAL", "APPEAL"):
        refused = gql(live_hub, mint("cepr-supervisor", office="LIM"), MOVE, n=case.number, to=to)
        assert refused["errors"][0]["extensions"]["code"] == "ILLEGAL_TRANSITION", to
    # the decision itself refuses a case without an assessment
    decided = gql(live_hub, secretary, DECIDE, n=case.number)
    assert decided["errors"][0]["extensions"]["code"] == "NO_ASSESSMENT"
    # and a supervisor cannot name decideCase at all
    supervisor = gql(live_hub, mint("cepr-supervisor", office="LIM"), DECIDE, n=case.number)
    assert supervisor["errors"][0]["extensions"]["code"] == VALIDATION
    assert await case_state(engine, case.number) == before


UNHCR = {"X-Purpose": "protection-assistance"}


async def test_unhcr_sees_coarse_status_only(live_hub: LiveHub, engine: AsyncEngine) -> None:
    from datetime import date

    import httpx

    # Given two CUZ cases filed on a day nobody else uses: one rejected, one under review
    day = date(2018, 7, 9)
    rejected = await make_cases(engine, 1, office_code="CUZ", status="rejected", filing_date=day)
    review = await make_cases(engine, 1, office_code="CUZ", status="under_review", filing_date=day)

    def post(query: str, **variables: Any) -> dict[str, Any]:
        return httpx.post(
            f"{live_hub.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {mint('acnur')}", **UNHCR},
            timeout=30,
        ).json()  # type: ignore[no-any-return]

    # UNHCR cannot ask for the detailed status
    detailed = post("{ unhcrCases(first: 5) { edges { node { number status } } } }")
    assert detailed["errors"][0]["extensions"]["code"] == VALIDATION
    # and filtering by a decision state answers the same as by any pending state
    listing = """query($s: [CaseStatus!]) { unhcrCases(first: 10, filter: {statuses: $s,
      filedFrom: "2018-07-09", filedTo: "2018-07-09"}) { edges { node { number
      protectedFromRemoval protectionBasis } } } }"""
    by_rejected = post(listing, s=["REJECTED"])
    by_review = post(listing, s=["UNDER_REVIEW"])
    assert by_rejected == by_review
    assert sorted(e["node"]["number"] for e in by_review["data"]["unhcrCases"]["edges"]) == sorted(
        [rejected[0].number, review[0].number]
    )
    assert {e["node"]["protectionBasis"] for e in by_review["data"]["unhcrCases"]["edges"]} == {
        "PENDING_CLAIM"
    }
    # and the needs export says the coarse status too (a rejection is still pending)
    export = post(
        """{ unhcrNeedsExport(filter: {filedFrom: "2018-07-09", filedTo: "2018-07-09"}) {
        csv } }"""
    )
    rows = list(csv.DictReader(io.StringIO(export["data"]["unhcrNeedsExport"]["csv"])))
    assert {(r["case_number"], r["case_status"]) for r in rows} == {
        (str(rejected[0].number), "pending_claim"),
        (str(review[0].number), "pending_claim"),
    }
