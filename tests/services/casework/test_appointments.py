"""Appointment slots: capacity never exceeded (also under concurrent booking), book,
reschedule, cancel; refusals report every field and change nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import psycopg
import pytest

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, AppointmentMode, AppointmentPurpose, Role
from services.casework import appointments
from services.errors import Conflict, DomainError, Forbidden, ValidationFailed
from tests.factories import make_cases

SUPERVISOR = Principal(
    role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup", office_code="LIM"
)
CUSCO_REGISTRAR = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg-cus", office_code="CUZ"
)
_hour = count(1)


def later() -> datetime:
    """A distinct future time for each slot of this test run."""
    return datetime(2030, 1, 1, 8, tzinfo=UTC) + timedelta(hours=next(_hour))


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as connection:
        yield connection


async def counts(conn: psycopg.AsyncConnection[Any], slot_id: int) -> tuple[int, int]:
    row = await (
        await conn.execute(
            "SELECT s.booked, (SELECT count(*) FROM slot_booking b WHERE b.slot_id = s.id)"
            " FROM appointment_slot s WHERE s.id = %s",
            (slot_id,),
        )
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


async def test_concurrent_bookings_never_overbook(database_url: str, engine: Any) -> None:
    # Given a slot with 5 places and 40 cases
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as admin:
        slot = await appointments.create_slot(
            admin,
            SUPERVISOR,
            office_code="LIM",
            starts_at=later(),
            mode=AppointmentMode.IN_PERSON,
            purpose=AppointmentPurpose.REGISTRATION_INTERVIEW,
            capacity=5,
        )
    cases = await make_cases(engine, 40, family_size=1, status="pre_registered")

    # When all 40 book it at once, each on its own connection
    async def one(number: int) -> str:
        async with await psycopg.AsyncConnection.connect(
            libpq_url(database_url), autocommit=True
        ) as c:
            try:
                await appointments.book(c, SUPERVISOR, number, slot.id)
            except DomainError as error:
                return error.code
            return "OK"

    results = await asyncio.gather(*(one(case.number) for case in cases))

    # Then exactly 5 hold a place, the others are told the slot is full
    assert sorted(results).count("OK") == 5
    assert results.count("SLOT_FULL") == 35
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as admin:
        assert await counts(admin, slot.id) == (5, 5)
        scheduled = await (
            await admin.execute(
                "SELECT count(*) FROM case_file WHERE number = ANY(%s)"
                " AND status = 'appointment_scheduled'",
                ([c.number for c in cases],),
            )
        ).fetchone()
        assert scheduled is not None and scheduled[0] == 5


async def test_remote_booking_reschedule_and_cancel(
    conn: psycopg.AsyncConnection[Any], engine: Any
) -> None:
    case = (await make_cases(engine, 1, family_size=1, status="pre_registered"))[0]
    first, second = [
        await appointments.create_slot(
            conn,
            SUPERVISOR,
            office_code="LIM",
            starts_at=later(),
            mode=mode,
            purpose=AppointmentPurpose.REGISTRATION_INTERVIEW,
            capacity=2,
        )
        for mode in (AppointmentMode.REMOTE, AppointmentMode.IN_PERSON)
    ]
    booking = await appointments.book(conn, SUPERVISOR, case.number, first.id)
    assert booking.mode is AppointmentMode.REMOTE
    assert booking.video_link is not None
    assert booking.video_link.startswith(appointments.VIDEO_BASE)
    history = await (
        await conn.execute(
            "SELECT from_status, to_status, actor FROM status_change WHERE case_id = %s",
            (case.id,),
        )
    ).fetchall()
    assert history == [("pre_registered", "appointment_scheduled", "cepr:cepr-supervisor:sup")]

    # a second booking for the same purpose is refused and takes no place
    with pytest.raises(Conflict) as refused:
        await appointments.book(conn, SUPERVISOR, case.number, second.id)
    assert refused.value.code == "ALREADY_BOOKED"
    assert await counts(conn, second.id) == (0, 0)

    moved = await appointments.reschedule(conn, SUPERVISOR, booking.appointment_id, second.id)
    assert (moved.slot_id, moved.mode, moved.video_link) == (
        second.id,
        AppointmentMode.IN_PERSON,
        None,
    )
    assert await counts(conn, first.id) == (0, 0)
    assert await counts(conn, second.id) == (1, 1)

    await appointments.cancel(conn, SUPERVISOR, booking.appointment_id)
    assert await counts(conn, second.id) == (0, 0)
    status = await (
        await conn.execute(
            "SELECT status FROM appointment WHERE id = %s", (booking.appointment_id,)
        )
    ).fetchone()
    assert status == ("cancelled",)
    with pytest.raises(Conflict) as again:
        await appointments.cancel(conn, SUPERVISOR, booking.appointment_id)
    assert again.value.code == "APPOINTMENT_NOT_BOOKED"


async def test_reschedule_to_a_full_slot_changes_nothing(
    conn: psycopg.AsyncConnection[Any], engine: Any
) -> None:
    a, b = await make_cases(engine, 2, family_size=1, status="pre_registered")
    purpose = AppointmentPurpose.BIOMETRIC_ENROLMENT
    roomy, full = [
        await appointments.create_slot(
            conn,
            SUPERVISOR,
            office_code="LIM",
            starts_at=later(),
            mode=AppointmentMode.IN_PERSON,
            purpose=purpose,
            capacity=1,
        )
        for _ in range(2)
    ]
    mine = await appointments.book(conn, SUPERVISOR, a.number, roomy.id)
    await appointments.book(conn, SUPERVISOR, b.number, full.id)
    with pytest.raises(Conflict) as refused:
        await appointments.reschedule(conn, SUPERVISOR, mine.appointment_id, full.id)
    assert refused.value.code == "SLOT_FULL"
    assert await counts(conn, roomy.id) == (1, 1)
    assert await counts(conn, full.id) == (1, 1)


async def test_invalid_slot_reports_every_field(conn: psycopg.AsyncConnection[Any]) -> None:
    before = await (await conn.execute("SELECT count(*) FROM appointment_slot")).fetchone()
    with pytest.raises(ValidationFailed) as refused:
        await appointments.create_slot(
            conn,
            SUPERVISOR,
            office_code="LIM",
            starts_at=datetime(2030, 1, 1, 9),
            mode=AppointmentMode.IN_PERSON,
            purpose=AppointmentPurpose.CARD_PICKUP,
            capacity=0,
            minutes=1,
        )
    assert [(p.path, p.code) for p in refused.value.problems] == [
        (("startsAt",), "INVALID"),
        (("capacity",), "OUT_OF_RANGE"),
        (("minutes",), "OUT_OF_RANGE"),
    ]
    assert all(p.message for p in refused.value.problems)
    with pytest.raises(Forbidden):
        await appointments.create_slot(
            conn,
            CUSCO_REGISTRAR,
            office_code="LIM",
            starts_at=later(),
            mode=AppointmentMode.IN_PERSON,
            purpose=AppointmentPurpose.CARD_PICKUP,
            capacity=3,
        )
    after = await (await conn.execute("SELECT count(*) FROM appointment_slot")).fetchone()
    assert before == after
