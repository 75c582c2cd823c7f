"""Registration by an officer and biometric enrolment through the matcher interface: a
match raises a possible duplicate instead of registering twice; refusals change nothing."""

from __future__ import annotations

import os
import random
from datetime import date
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.casework import biometrics, registration
from services.casework.person_input import PersonIn
from services.errors import Conflict, ValidationFailed
from tests.factories import make_cases

REGISTRAR = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg", office_code="TRU"
)
MATCHER = biometrics.LocalMatcher()


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


def test_near_templates_have_near_fingerprints() -> None:
    rnd = random.Random(7)  # seeded: a property of the matcher, checked without flaking
    template = rnd.randbytes(512)
    noisy = bytearray(template)
    noisy[100] ^= 0xFF
    far = rnd.randbytes(512)
    distance = (biometrics.simhash64(template) ^ biometrics.simhash64(bytes(noisy))) & (2**64 - 1)
    unrelated = (biometrics.simhash64(template) ^ biometrics.simhash64(far)) & (2**64 - 1)
    assert distance.bit_count() <= MATCHER.max_distance < unrelated.bit_count()


async def count_rows(conn: psycopg.AsyncConnection[Any], case_id: int) -> tuple[int, ...]:
    row = await (
        await conn.execute(
            "SELECT (SELECT count(*) FROM case_member WHERE case_id = %s),"
            " (SELECT count(*) FROM case_need WHERE case_id = %s),"
            " (SELECT count(*) FROM status_change WHERE case_id = %s),"
            " (SELECT count(*) FROM person)",
            (case_id, case_id, case_id),
        )
    ).fetchone()
    assert row is not None
    return tuple(row)


async def test_enrol_then_register(database_url: str, engine: AsyncEngine) -> None:
    case = (
        await make_cases(
            engine, 1, office_code="TRU", family_size=2, status="appointment_scheduled", needs=()
        )
    )[0]
    principal_id, child_id = case.person_ids
    async with await connect(database_url) as conn:
        template = os.urandom(400)
        enrolled = await biometrics.enrol(conn, REGISTRAR, MATCHER, principal_id, template)
        assert enrolled.outcome is biometrics.EnrolmentOutcome.ENROLLED
        assert enrolled.reference is not None
        stored = await (
            await conn.execute(
                "SELECT template_ref FROM biometric_enrolment WHERE person_id = %s",
                (principal_id,),
            )
        ).fetchone()
        assert stored == (enrolled.reference,)

        out = await registration.register_case(
            conn,
            REGISTRAR,
            registration.RegistrationIn(
                case_number=case.number,
                identity_confirmed=True,
                profiles=(
                    registration.MemberProfileIn(
                        principal_id, ("es", "quechua"), "university", "Enfermera"
                    ),
                ),
                new_members=(
                    PersonIn("Ana", "Pérez", "F", date(2019, 5, 1), "VE", relationship="child"),
                ),
                needs=(registration.NeedIn(child_id, "CR-LW"),),
            ),
        )
        assert out.status == "registered"
        assert len(out.member_ids) == 3
        person = await (
            await conn.execute(
                "SELECT languages, education_level, profession FROM person WHERE id = %s",
                (principal_id,),
            )
        ).fetchone()
        assert person == (["spa", "que"], "university", "Enfermera")
        score = await (
            await conn.execute("SELECT reasons FROM case_priority WHERE case_id = %s", (case.id,))
        ).fetchone()
        assert score is not None and score[0][0]["rule"] == "necesidad:CR"


async def test_biometric_match_raises_a_possible_duplicate(
    database_url: str, engine: AsyncEngine
) -> None:
    first, second = await make_cases(
        engine, 2, office_code="TRU", family_size=1, status="appointment_scheduled", needs=()
    )
    template = random.Random(20261122).randbytes(400)  # seeded: the test must not flake
    again = bytearray(template)
    again[7] ^= 0x01  # the same finger, read again
    async with await connect(database_url) as conn:
        await biometrics.enrol(conn, REGISTRAR, MATCHER, first.person_ids[0], template)
        result = await biometrics.enrol(
            conn, REGISTRAR, MATCHER, second.person_ids[0], bytes(again)
        )
        assert result.outcome is biometrics.EnrolmentOutcome.POSSIBLE_DUPLICATE
        assert result.reference is None
        assert result.duplicate_id is not None
        dup = await (
            await conn.execute(
                "SELECT person_id, matched_person_id, status FROM possible_duplicate WHERE id = %s",
                (result.duplicate_id,),
            )
        ).fetchone()
        assert dup == (second.person_ids[0], first.person_ids[0], "open")
        nothing = await (
            await conn.execute(
                "SELECT count(*) FROM biometric_enrolment WHERE person_id = %s",
                (second.person_ids[0],),
            )
        ).fetchone()
        assert nothing == (0,)

        before = await count_rows(conn, second.id)
        with pytest.raises(Conflict) as refused:
            await registration.register_case(
                conn,
                REGISTRAR,
                registration.RegistrationIn(case_number=second.number, identity_confirmed=True),
            )
        assert refused.value.code == "POSSIBLE_DUPLICATE_OPEN"
        assert await count_rows(conn, second.id) == before


async def test_invalid_registration_reports_every_field(
    database_url: str, engine: AsyncEngine
) -> None:
    case = (
        await make_cases(
            engine, 1, office_code="TRU", family_size=1, status="appointment_scheduled", needs=()
        )
    )[0]
    async with await connect(database_url) as conn:
        before = await count_rows(conn, case.id)
        with pytest.raises(ValidationFailed) as refused:
            await registration.register_case(
                conn,
                REGISTRAR,
                registration.RegistrationIn(
                    case_number=case.number,
                    identity_confirmed=False,
                    profiles=(
                        registration.MemberProfileIn(case.person_ids[0], ("élfico",), "phd"),
                    ),
                    new_members=(
                        PersonIn(
                            "", "Pérez", "F", date(2019, 5, 1), "VE", relationship="principal"
                        ),
                    ),
                    needs=(
                        registration.NeedIn(case.person_ids[0], "ZZ-ZZ"),
                        registration.NeedIn(1, "UM"),
                    ),
                ),
            )
        paths = [(p.path, p.code) for p in refused.value.problems]
        assert paths == [
            (("identityConfirmed",), "REQUIRED"),
            (("profiles", 0, "languages", 0), "UNKNOWN_LANGUAGE"),
            (("profiles", 0, "educationLevel"), "INVALID"),
            (("newMembers", 0, "givenNames"), "REQUIRED"),
            (("newMembers", 0, "relationship"), "INVALID"),
            (("needs", 0, "code"), "UNKNOWN_NEED"),
            (("needs", 1, "personId"), "NOT_A_MEMBER"),
        ]
        assert all(p.message for p in refused.value.problems)
        assert await count_rows(conn, case.id) == before
