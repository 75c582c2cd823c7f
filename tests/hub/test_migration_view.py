"""The Migration Office's view over HTTP: protection by document, batch, candidates, feed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import count_statements
from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.access_reads import reads_logged

PURPOSE = "deportation-protection"


def ask(hub: LiveHub, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {mint('migraciones')}", "X-Purpose": PURPOSE},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


STATUS = """query($d: DocumentInput!) { protectionStatus(document: $d) {
  found protected basis since document { number } person { id givenNames } } }"""


@pytest.fixture(scope="module")
async def people(engine: AsyncEngine) -> dict[str, Any]:
    pending = (await make_cases(engine, 1, status="under_review", nationality="VE"))[0]
    recognised = (await make_cases(engine, 1, status="recognised"))[0]
    final = (await make_cases(engine, 1, status="rejected_final"))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE identity_document SET number = '17345678' WHERE person_id = :p"),
            {"p": pending.person_ids[0]},
        )
        docs = dict(
            (
                await conn.execute(
                    text(
                        "SELECT person_id, number FROM identity_document WHERE person_id = ANY(:p)"
                    ),
                    {"p": [pending.person_ids[0], recognised.person_ids[0], final.person_ids[0]]},
                )
            ).all()
        )
        await conn.execute(
            text(
                "UPDATE person SET given_names = 'José Ángel', paternal_surname = 'Núñez',"
                " maternal_surname = 'Peña', birth_date = '1990-03-07' WHERE id = :p"
            ),
            {"p": pending.person_ids[0]},
        )
    return {
        "pending": (pending, docs[pending.person_ids[0]]),
        "recognised": (recognised, docs[recognised.person_ids[0]]),
        "final": (final, docs[final.person_ids[0]]),
    }


def doc(number: str) -> dict[str, str]:
    return {"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"}


def test_a_pending_claim_protects_from_its_filing_date(
    live_hub: LiveHub, people: dict[str, Any]
) -> None:
    case, number = people["pending"]
    answer = ask(live_hub, STATUS, {"d": doc(number)})["data"]["protectionStatus"]
    assert answer["found"] and answer["protected"] and answer["basis"] == "PENDING_CLAIM"
    assert answer["since"] is not None
    # the person is named by the Migration Office's own pseudonym, not the hub's id
    assert answer["person"]["id"] == agency_person_id("migraciones", case.person_ids[0])


def test_recognised_final_rejection_and_unknown(live_hub: LiveHub, people: dict[str, Any]) -> None:
    recognised = ask(live_hub, STATUS, {"d": doc(people["recognised"][1])})["data"][
        "protectionStatus"
    ]
    assert (recognised["protected"], recognised["basis"]) == (True, "RECOGNISED_REFUGEE")
    final = ask(live_hub, STATUS, {"d": doc(people["final"][1])})["data"]["protectionStatus"]
    assert (final["found"], final["protected"], final["basis"]) == (True, False, None)
    unknown = ask(live_hub, STATUS, {"d": doc("99999999")})["data"]["protectionStatus"]
    assert (unknown["found"], unknown["protected"], unknown["person"]) == (False, False, None)


def test_numbers_are_normalised(live_hub: LiveHub, people: dict[str, Any]) -> None:
    number = people["pending"][1]
    dotted = f"V-{number[:2]}.{number[2:]}"
    answer = ask(live_hub, STATUS, {"d": doc(dotted)})["data"]["protectionStatus"]
    assert answer["found"] and answer["document"]["number"] == number


def test_bad_documents_get_every_problem_with_its_path(live_hub: LiveHub) -> None:
    body = ask(
        live_hub,
        """query($d: [DocumentInput!]!) { protectionStatuses(documents: $d) { found } }""",
        {"d": [doc("123"), {"type": "PASSPORT", "number": "  ", "issuingCountry": "Venezuela"}]},
    )
    problems = body["errors"][0]["extensions"]["problems"]
    assert [(p["path"], p["code"]) for p in problems] == [
        (["documents", 1, "number"], "INVALID_DOCUMENT_NUMBER"),
        (["documents", 1, "issuingCountry"], "INVALID_COUNTRY"),
    ]


async def test_ten_thousand_documents_in_one_statement(
    live_hub: LiveHub, engine: AsyncEngine, people: dict[str, Any]
) -> None:
    numbers = [people["pending"][1], people["final"][1]] + [
        str(50_000_000 + i) for i in range(9_998)
    ]
    query = "query($d: [DocumentInput!]!) { protectionStatuses(documents: $d) { found protected } }"
    with count_statements(engine) as counter:
        body = ask(live_hub, query, {"d": [doc(n) for n in numbers]})
    answers = body["data"]["protectionStatuses"]
    assert len(answers) == 10_000
    assert answers[0] == {"found": True, "protected": True}
    assert answers[1] == {"found": True, "protected": False}
    assert not any(a["found"] for a in answers[2:])
    lookup = [s for s in counter.statements if "access_log" not in s and "advisory" not in s]
    assert len(lookup) == 1, lookup


def test_candidates_without_a_document(live_hub: LiveHub, people: dict[str, Any]) -> None:
    # Swapped surnames, no accents, day and month swapped in the birth date
    body = ask(
        live_hub,
        """{ protectionCandidates(givenNames: "jose angel", surnames: "PENA NUNEZ",
        birthDate: "1990-07-03") { score givenNames surnames protection { protected basis } } }""",
    )
    best = body["data"]["protectionCandidates"][0]
    assert (best["givenNames"], best["surnames"]) == ("José Ángel", "Núñez Peña")
    assert best["protection"] == {"protected": True, "basis": "PENDING_CLAIM"}


def test_a_signed_assertion_verifies_and_a_tampered_one_does_not(
    live_hub: LiveHub, people: dict[str, Any]
) -> None:
    signed = ask(
        live_hub,
        """query($d: DocumentInput!) { protectionAssertion(document: $d) {
        token keyId protection { protected } } }""",
        {"d": doc(people["recognised"][1])},
    )
    token = signed["data"]["protectionAssertion"]["token"]
    verify = """query($t: String!) { verifyProtectionAssertion(token: $t) {
        valid code protected basis documentNumber } }"""
    # Anyone may verify it later, without a token
    ok = httpx.post(
        f"{live_hub.url}/graphql", json={"query": verify, "variables": {"t": token}}
    ).json()
    assert ok["data"]["verifyProtectionAssertion"] == {
        "valid": True,
        "code": "VALID",
        "protected": True,
        "basis": "RECOGNISED_REFUGEE",
        "documentNumber": people["recognised"][1],
    }
    head, body_part, sig = token.split(".")
    forged = f"{head}.{body_part[:-4]}AAAA.{sig}"
    bad = httpx.post(
        f"{live_hub.url}/graphql", json={"query": verify, "variables": {"t": forged}}
    ).json()
    assert bad["data"]["verifyProtectionAssertion"]["valid"] is False


async def test_change_feed_tells_what_changed_since_a_cursor(
    live_hub: LiveHub, engine: AsyncEngine, people: dict[str, Any]
) -> None:
    feed = """query($a: String) { protectionChanges(after: $a, first: 50) {
        endCursor hasMore changes { protection { protected person { id } } } } }"""
    # Given the Migration Office has read the feed to its end
    page = ask(live_hub, feed, {"a": None})["data"]["protectionChanges"]
    while page["hasMore"]:
        page = ask(live_hub, feed, {"a": page["endCursor"]})["data"]["protectionChanges"]
    cursor = page["endCursor"]
    # When a claim becomes final (rejected)
    case = people["final"][0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO status_change (case_id, from_status, to_status, actor)"
                " VALUES (:c, 'appeal', 'rejected_final', 'test')"
            ),
            {"c": case.id},
        )
    # Then the next read brings exactly that family, no longer protected
    news = ask(live_hub, feed, {"a": cursor})["data"]["protectionChanges"]
    assert sorted(c["protection"]["person"]["id"] for c in news["changes"]) == sorted(
        agency_person_id("migraciones", p) for p in case.person_ids
    )
    assert all(c["protection"]["protected"] is False for c in news["changes"])
    assert (
        ask(live_hub, feed, {"a": news["endCursor"]})["data"]["protectionChanges"]["changes"] == []
    )
    bad = ask(live_hub, feed, {"a": "nonsense"})
    assert bad["errors"][0]["extensions"]["problems"][0]["code"] == "INVALID_CURSOR"


async def test_the_answer_shows_the_permit_held_and_its_status(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a recognised refugee whose work permit was revoked
    case = (await make_cases(engine, 1, status="recognised"))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to, status,"
                " issued_by, sha256, pdf) VALUES (:i, :c, :p, '2024-01-01', '2026-01-01',"
                " 'revoked', 'test', repeat('0', 64), '')"
            ),
            {"i": f"WPH-{case.id}", "c": case.id, "p": case.person_ids[0]},
        )
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": case.person_ids[0]},
            )
        ).scalar_one()
    # When the Migration Office asks
    query = """query($d: DocumentInput!) { protectionStatus(document: $d) {
      protected documentHeld { kind number status validTo } } }"""
    answer = ask(live_hub, query, {"d": doc(number)})["data"]["protectionStatus"]
    # Then it sees the permit's number and that it is revoked (still protected: recognised)
    assert answer == {
        "protected": True,
        "documentHeld": {
            "kind": "work_permit",
            "number": f"WPH-{case.id}",
            "status": "revoked",
            "validTo": "2026-01-01",
        },
    }


async def test_concurrent_lookups_share_a_statement_but_not_the_callers_rights(
    database_url: str, engine: AsyncEngine, people: dict[str, Any]
) -> None:
    """Lookups made at the same moment go out in one statement (resolvers.coalescing);
    what each caller gets is still decided by its own rights and logged for it alone."""
    import asyncio

    from hub.app import create_app
    from hub.settings import load_settings

    # Given the Migration Office and an applicant (the recognised refugee) both asking, at
    # the same moment, for the pending claimant's document, 20 times each
    pending, number = people["pending"]
    applicant_pid = people["recognised"][0].person_ids[0]
    office = {"Authorization": f"Bearer {mint('migraciones')}", "X-Purpose": PURPOSE}
    applicant = {"Authorization": f"Bearer {mint('applicant', person=applicant_pid)}"}
    query = """query CoalescedLookup($d: DocumentInput!) { protectionStatus(document: $d) {
      found protected basis person { givenNames } } }"""
    app = create_app(database_url, load_settings())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:

            async def ask_as(headers: dict[str, str]) -> dict[str, Any]:
                body = {"query": query, "variables": {"d": doc(number)}}
                response = await client.post("/graphql", json=body, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()  # type: ignore[no-any-return]

            with count_statements(engine) as counter:
                # When they ask
                answers = await asyncio.gather(
                    *(ask_as(office if i % 2 == 0 else applicant) for i in range(40))
                )
    lookups = [s for s in counter.statements if "identity_document" in s]
    # Then fewer statements than requests ran: their lookups were shared...
    assert len(lookups) < 40, len(lookups)
    # ...the Migration Office got the status every time...
    for body in answers[0::2]:
        assert "errors" not in body, body
        assert body["data"]["protectionStatus"] == {
            "found": True,
            "protected": True,
            "basis": "PENDING_CLAIM",
            "person": {"givenNames": "José Ángel"},
        }
    # ...and the applicant, whose statement it shared, never did
    for body in answers[1::2]:
        assert "José" not in str(body)
        status = body["data"]["protectionStatus"]
        assert status is None or status["protected"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    # And the access log names the pending claimant's status read for the office only
    entries = await reads_logged(engine, "CoalescedLookup")
    readers = {role for role, _, persons in entries if pending.person_ids[0] in persons}
    assert readers == {"migraciones"}, entries


def test_a_shared_lookup_never_waits_for_a_connection_its_requests_hold(
    database_url: str, people: dict[str, Any]
) -> None:
    """Requests wait for the statements they share; were those statements on the read
    pool, requests holding its connections (another field of the same query) would wait
    for them with none left to run them."""
    import dataclasses
    from concurrent.futures import ThreadPoolExecutor

    from hub.settings import load_settings

    # Given a hub whose read pool has a single connection
    settings = dataclasses.replace(
        load_settings(), max_connections=None, pool_size=1, pool_overflow=0
    )
    hub = LiveHub(database_url, settings).start()
    try:
        # When queries that hold it (the change feed) and share a lookup arrive together
        query = """query($d: DocumentInput!) {
          protectionChanges(first: 1) { hasMore }
          protectionStatus(document: $d) { found protected } }"""
        mint("migraciones")  # minted once, before the threads (the CLI runner is not shared)
        with ThreadPoolExecutor(6) as clients:
            bodies = list(
                clients.map(lambda _: ask(hub, query, {"d": doc(people["pending"][1])}), range(12))
            )
    finally:
        hub.stop()
    # Then every one is answered in full
    for body in bodies:
        assert "errors" not in body, body
        assert body["data"]["protectionStatus"] == {"found": True, "protected": True}
