"""Registration and biometric enrolment over HTTP: enrol, register with a new member and
needs; a second person with the same template is a possible duplicate, not registered."""

from __future__ import annotations

import base64
import os

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

ENROL = """mutation($p: Int!, $t: String!) { enrolBiometrics(personId: $p, template: $t) {
  outcome personId duplicateId } }"""
REGISTER = """mutation($i: RegistrationInput!) { registerCase(input: $i) {
  caseNumber status memberIds } }"""


async def test_enrol_register_and_duplicate(live_hub: LiveHub, engine: AsyncEngine) -> None:
    first, second = await make_cases(
        engine, 2, office_code="CIX", family_size=1, status="appointment_scheduled", needs=()
    )
    registrar = mint("cepr-registrar", office="CIX")
    template = base64.b64encode(os.urandom(300)).decode()
    enrolled = gql(live_hub, registrar, ENROL, p=first.person_ids[0], t=template)
    assert enrolled["data"]["enrolBiometrics"]["outcome"] == "ENROLLED"
    registered = gql(
        live_hub,
        registrar,
        REGISTER,
        i={
            "caseNumber": first.number,
            "identityConfirmed": True,
            "profiles": [{"personId": first.person_ids[0], "languages": ["es"]}],
            "newMembers": [
                {
                    "givenNames": "Luis",
                    "paternalSurname": "Rojas",
                    "sex": "MALE",
                    "birthDate": "2018-03-02",
                    "nationality": "VE",
                    "relationship": "CHILD",
                }
            ],
            "needs": [{"personId": first.person_ids[0], "code": "SM-CI"}],
        },
    )
    result = registered["data"]["registerCase"]
    assert (result["caseNumber"], result["status"]) == (first.number, "REGISTERED")
    assert len(result["memberIds"]) == 2

    dup = gql(live_hub, registrar, ENROL, p=second.person_ids[0], t=template)
    assert dup["data"]["enrolBiometrics"]["outcome"] == "POSSIBLE_DUPLICATE"
    refused = gql(
        live_hub, registrar, REGISTER, i={"caseNumber": second.number, "identityConfirmed": True}
    )
    assert refused["errors"][0]["extensions"]["code"] == "POSSIBLE_DUPLICATE_OPEN"
    async with engine.connect() as conn:
        status = (
            await conn.execute(text("SELECT status FROM case_file WHERE id = :i"), {"i": second.id})
        ).scalar_one()
    assert status == "appointment_scheduled"
