"""Reviewing possible duplicates over HTTP: the registrar sees their office's reviews, a
supervisor decides with a reason; 'distinct' lets enrolment and registration go on,
'duplicate' keeps them refused; decisions are not overwritten."""

from __future__ import annotations

import base64
import os
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

ENROL = """mutation($p: Int!, $t: String!) { enrolBiometrics(personId: $p, template: $t) {
  outcome duplicateId } }"""
LIST = """query($s: DuplicateStatus) { possibleDuplicates(status: $s, first: 200) {
  id status score person { id } matchedPerson { id } } }"""
RESOLVE = """mutation($id: Int!, $d: DuplicateDecision!, $n: String!) {
  resolvePossibleDuplicate(id: $id, decision: $d, note: $n) {
    id status resolvedBy resolutionNote resolvedAt } }"""
REGISTER = """mutation($i: RegistrationInput!) { registerCase(input: $i) { status } }"""


async def raise_duplicate(hub: LiveHub, engine: AsyncEngine, office: str) -> tuple[Any, ...]:
    """Two persons of ``office`` enrolled with the same template: the second is a review."""
    first, second = await make_cases(
        engine, 2, office_code=office, family_size=1, status="appointment_scheduled", needs=()
    )
    registrar = mint("cepr-registrar", office=office)
    template = base64.b64encode(os.urandom(300)).decode()
    assert (
        gql(hub, registrar, ENROL, p=first.person_ids[0], t=template)["data"]["enrolBiometrics"][
            "outcome"
        ]
        == "ENROLLED"
    )
    dup = gql(hub, registrar, ENROL, p=second.person_ids[0], t=template)["data"]["enrolBiometrics"]
    assert dup["outcome"] == "POSSIBLE_DUPLICATE"
    return first, second, registrar, template, dup["duplicateId"]


async def status_of(engine: AsyncEngine, duplicate_id: int) -> str:
    async with engine.connect() as conn:
        return str(
            (
                await conn.execute(
                    text("SELECT status FROM possible_duplicate WHERE id = :i"), {"i": duplicate_id}
                )
            ).scalar_one()
        )


async def test_distinct_lets_enrolment_and_registration_go_on(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    first, second, registrar, template, review = await raise_duplicate(live_hub, engine, "PIU")
    # The office's registrar sees the review, with both persons
    listed = gql(live_hub, registrar, LIST, s="OPEN")["data"]["possibleDuplicates"]
    mine = [d for d in listed if d["id"] == review]
    assert mine == [
        {
            "id": review,
            "status": "OPEN",
            "score": mine[0]["score"],
            "person": {"id": str(second.person_ids[0])},
            "matchedPerson": {"id": str(first.person_ids[0])},
        }
    ]
    assert mine[0]["score"] > 0.8
    # another office's registrar does not
    other = gql(live_hub, mint("cepr-registrar", office="TCQ"), LIST, s="OPEN")
    assert review not in [d["id"] for d in other["data"]["possibleDuplicates"]]
    # The registrar cannot decide: the field is not in their contract, nothing changes
    denied = gql(live_hub, registrar, RESOLVE, id=review, d="DISTINCT", n="Son hermanos gemelos.")
    assert denied["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await status_of(engine, review) == "open"
    # When a supervisor decides they are two people, with a reason
    supervisor = mint("cepr-supervisor", office="LIM")
    decided = gql(
        live_hub,
        supervisor,
        RESOLVE,
        id=review,
        d="DISTINCT",
        n="Hermanos gemelos; documentos distintos.",
    )["data"]["resolvePossibleDuplicate"]
    assert decided["status"] == "DISTINCT"
    assert decided["resolutionNote"] == "Hermanos gemelos; documentos distintos."
    assert decided["resolvedBy"] and decided["resolvedAt"]
    # Then enrolment goes through and the case can be registered
    again = gql(live_hub, registrar, ENROL, p=second.person_ids[0], t=template)
    assert again["data"]["enrolBiometrics"]["outcome"] == "ENROLLED"
    registered = gql(
        live_hub, registrar, REGISTER, i={"caseNumber": second.number, "identityConfirmed": True}
    )
    assert registered["data"]["registerCase"]["status"] == "REGISTERED"
    # and the decision cannot be overwritten
    twice = gql(live_hub, supervisor, RESOLVE, id=review, d="DUPLICATE", n="Cambio de opinión.")
    assert twice["errors"][0]["extensions"]["code"] == "ALREADY_RESOLVED"
    assert await status_of(engine, review) == "distinct"


async def test_duplicate_keeps_enrolment_refused(live_hub: LiveHub, engine: AsyncEngine) -> None:
    _, second, registrar, template, review = await raise_duplicate(live_hub, engine, "HYO")
    supervisor = mint("cepr-supervisor", office="LIM")
    # A reason is required: nothing is decided without one
    short = gql(live_hub, supervisor, RESOLVE, id=review, d="DUPLICATE", n="igual")
    assert short["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert short["errors"][0]["extensions"]["problems"][0]["code"] == "NOTE_REQUIRED"
    assert await status_of(engine, review) == "open"
    decided = gql(
        live_hub,
        supervisor,
        RESOLVE,
        id=review,
        d="DUPLICATE",
        n="Misma persona, registrada dos veces.",
    )
    assert decided["data"]["resolvePossibleDuplicate"]["status"] == "DUPLICATE"
    refused = gql(live_hub, registrar, ENROL, p=second.person_ids[0], t=template)
    assert refused["errors"][0]["extensions"]["code"] == "DECLARED_DUPLICATE"
    async with engine.connect() as conn:
        enrolled = (
            await conn.execute(
                text("SELECT count(*) FROM biometric_enrolment WHERE person_id = :p"),
                {"p": second.person_ids[0]},
            )
        ).scalar_one()
    assert enrolled == 0


def test_unknown_reviews_and_other_roles(live_hub: LiveHub) -> None:
    supervisor = mint("cepr-supervisor", office="LIM")
    missing = gql(
        live_hub, supervisor, RESOLVE, id=987654, d="DISTINCT", n="No existe esta revisión."
    )
    assert missing["errors"][0]["extensions"]["code"] == "DUPLICATE_NOT_FOUND"
    agency = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": LIST, "variables": {"s": "OPEN"}},
        headers={
            "Authorization": f"Bearer {mint('acnur')}",
            "X-Purpose": "protection-assistance",
        },
    ).json()
    assert agency["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
