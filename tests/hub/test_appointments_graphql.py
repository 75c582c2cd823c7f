"""Appointments and eligibility over HTTP: book (remote: video link), cancel; the claim
path from interview to decision; a full slot and a foreign office are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

BOOK = """mutation($n: Int!, $s: Int!) { bookAppointment(caseNumber: $n, slotId: $s) {
  appointmentId caseNumber officeCode mode purpose videoLink } }"""


async def test_book_cancel_and_refusals(live_hub: LiveHub, engine: AsyncEngine) -> None:
    a, b = await make_cases(engine, 2, office_code="IQT", family_size=1, status="pre_registered")
    async with engine.begin() as conn:
        slot = (
            await conn.execute(
                text(
                    "INSERT INTO appointment_slot (office_id, starts_at, mode, purpose, capacity)"
                    " SELECT id, now() + interval '3 days', 'remote', 'registration_interview', 1"
                    " FROM office WHERE code = 'IQT' RETURNING id"
                )
            )
        ).scalar_one()
    registrar = mint("cepr-registrar", office="IQT")
    booked = gql(live_hub, registrar, BOOK, n=a.number, s=slot)["data"]["bookAppointment"]
    assert booked["caseNumber"] == a.number
    assert (booked["mode"], booked["purpose"]) == ("REMOTE", "REGISTRATION_INTERVIEW")
    assert booked["videoLink"].startswith("https://")

    full = gql(live_hub, registrar, BOOK, n=b.number, s=slot)
    assert full["errors"][0]["extensions"]["code"] == "SLOT_FULL"
    foreign = gql(live_hub, mint("cepr-registrar", office="LIM"), BOOK, n=b.number, s=slot)
    assert foreign["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    cancelled = gql(
        live_hub,
        registrar,
        "mutation($i: Int!) { cancelAppointment(appointmentId: $i) }",
        i=booked["appointmentId"],
    )
    assert cancelled["data"] == {"cancelAppointment": True}
    again = gql(live_hub, registrar, BOOK, n=b.number, s=slot)
    assert again["data"]["bookAppointment"]["caseNumber"] == b.number


async def test_claim_path(live_hub: LiveHub, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        officer = (
            await conn.execute(
                text(
                    "INSERT INTO officer (username, full_name, role, office_id) SELECT"
                    " 'elig-iqt-gql', 'Oficial', 'cepr-eligibility', id FROM office"
                    " WHERE code = 'IQT' RETURNING id"
                )
            )
        ).scalar_one()
    case = (
        await make_cases(engine, 1, office_code="IQT", family_size=1, assigned_officer_id=officer)
    )[0]
    me = mint("cepr-eligibility", office="IQT", officer=officer)
    held = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    interview = gql(
        live_hub,
        me,
        """mutation($n: Int!, $h: DateTime!) { recordInterview(caseNumber: $n, mode: IN_PERSON,
        heldAt: $h, summary: "Relato detallado") { caseNumber } }""",
        n=case.number,
        h=held,
    )
    assert interview["data"]["recordInterview"] == {"caseNumber": case.number}
    assessed = gql(
        live_hub,
        me,
        """mutation($n: Int!) { recordAssessment(caseNumber: $n, grounds: [POLITICAL_OPINION],
        credibility: "Creíble", analysis: "Temor fundado", recommendation: RECOGNISE)
        { caseNumber } }""",
        n=case.number,
    )
    assert assessed["data"]["recordAssessment"] == {"caseNumber": case.number}
    decided = gql(
        live_hub,
        mint("cepr-secretary", office="LIM"),
        """mutation($n: Int!) { decideCase(caseNumber: $n, outcome: RECOGNISED,
        reasons: "Cumple el artículo 3 a") { caseNumber } }""",
        n=case.number,
    )
    assert decided["data"]["decideCase"] == {"caseNumber": case.number}
    async with engine.connect() as conn:
        status = (
            await conn.execute(text("SELECT status FROM case_file WHERE id = :i"), {"i": case.id})
        ).scalar_one()
    assert status == "recognised"


async def test_supervisor_opens_a_slot_that_anyone_can_list(live_hub: LiveHub) -> None:
    supervisor = mint("cepr-supervisor", office="LIM")
    created = gql(
        live_hub,
        supervisor,
        """mutation { createAppointmentSlot(officeCode: "ICA", startsAt: "2032-05-04T09:00:00Z",
        mode: IN_PERSON, purpose: CARD_PICKUP, capacity: 4) { id capacity booked } }""",
    )["data"]["createAppointmentSlot"]
    assert (created["capacity"], created["booked"]) == (4, 0)
    listed = gql(
        live_hub,
        mint("cepr-registrar", office="ICA"),
        '{ appointmentSlots(officeCode: "ICA", purpose: CARD_PICKUP) { id officeCode } }',
    )["data"]["appointmentSlots"]
    assert {"id": created["id"], "officeCode": "ICA"} in listed
    invalid = gql(
        live_hub,
        supervisor,
        """mutation { createAppointmentSlot(officeCode: "ICA", startsAt: "2032-05-04T10:00:00Z",
        mode: REMOTE, purpose: CARD_PICKUP, capacity: 0, minutes: 1) { id } }""",
    )
    error = invalid["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert len(error["extensions"]["problems"]) == 2


async def test_an_applicant_books_moves_and_cancels_their_own_appointment_online(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given two pre-registered cases in Puno and two open remote interview slots
    mine, theirs = await make_cases(
        engine, 2, office_code="PUN", family_size=1, status="pre_registered"
    )
    async with engine.begin() as conn:
        first, second = (
            await conn.execute(
                text(
                    "INSERT INTO appointment_slot (office_id, starts_at, mode, purpose, capacity)"
                    " SELECT id, now() + d * interval '1 day', 'remote',"
                    " 'registration_interview', 2"
                    " FROM office, (VALUES (4), (5)) AS v(d) WHERE code = 'PUN' RETURNING id"
                )
            )
        ).scalars()
    applicant = mint("applicant", person=mine.person_ids[0])
    # When the applicant lists the slots and books one for their own case
    slots = gql(
        live_hub,
        applicant,
        '{ appointmentSlots(officeCode: "PUN", purpose: REGISTRATION_INTERVIEW) { id } }',
    )["data"]["appointmentSlots"]
    assert {first, second} <= {s["id"] for s in slots}
    booked = gql(live_hub, applicant, BOOK, n=mine.number, s=first)["data"]["bookAppointment"]
    # Then it is booked, remote, with its video link, and the case moves on
    assert (booked["caseNumber"], booked["mode"]) == (mine.number, "REMOTE")
    assert booked["videoLink"].startswith("https://")
    async with engine.connect() as conn:
        status = (
            await conn.execute(
                text("SELECT status FROM case_file WHERE number = :n"), {"n": mine.number}
            )
        ).scalar_one()
    assert status == "appointment_scheduled"
    # and the applicant can move it and cancel it
    moved = gql(
        live_hub,
        applicant,
        """mutation($i: Int!, $s: Int!) { rescheduleAppointment(appointmentId: $i, slotId: $s) {
          appointmentId startsAt } }""",
        i=booked["appointmentId"],
        s=second,
    )["data"]["rescheduleAppointment"]
    cancelled = gql(
        live_hub,
        applicant,
        "mutation($i: Int!) { cancelAppointment(appointmentId: $i) }",
        i=moved["appointmentId"],
    )
    assert cancelled["data"] == {"cancelAppointment": True}
    # but not book for somebody else's case: refused, nothing booked
    other = gql(live_hub, applicant, BOOK, n=theirs.number, s=first)
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with engine.connect() as conn:
        booked_for_them = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM appointment a JOIN case_file c ON c.id = a.case_id"
                    " WHERE c.number = :n"
                ),
                {"n": theirs.number},
            )
        ).scalar_one()
    assert booked_for_them == 0
