"""Appointments (citaciones): slots per office with a capacity; book, reschedule, cancel.

A slot is never overbooked, also under concurrent booking: a booking takes its place with
one conditional ``UPDATE appointment_slot SET booked = booked + 1 WHERE booked <
capacity`` (the row lock serialises concurrent bookers, and the loser sees the new count),
and a CHECK constraint (``booked <= capacity``) backs it. Every write runs in one
transaction: all or nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, Scope
from auth.principal import Principal
from models.vocab import AppointmentMode, AppointmentPurpose, AppointmentStatus, CaseStatus
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.permissions import require_any_write, require_write
from services.record_columns import by_name

VIDEO_BASE = "https://video.cepr.gob.pe/sala/"
MAX_CAPACITY = 500


@dataclass(frozen=True)
class Slot:
    id: int
    office_code: str
    starts_at: datetime
    minutes: int
    mode: AppointmentMode
    purpose: AppointmentPurpose
    capacity: int
    booked: int


@dataclass(frozen=True)
class Booking:
    appointment_id: int
    case_number: int
    slot_id: int
    office_code: str
    starts_at: datetime
    mode: AppointmentMode
    purpose: AppointmentPurpose
    status: AppointmentStatus
    video_link: str | None


def _video_link(mode: AppointmentMode) -> str | None:
    return VIDEO_BASE + secrets.token_urlsafe(12) if mode is AppointmentMode.REMOTE else None


def _check_office(principal: Principal, office_code: str) -> None:
    require_write(
        principal,
        Category.CASE_ADMIN_SLOTS,
        "Solo puede gestionar citas de su oficina.",
        office_code=office_code,
    )


async def create_slot(
    conn: AsyncConnection[Any],
    principal: Principal,
    *,
    office_code: str,
    starts_at: datetime,
    mode: AppointmentMode,
    purpose: AppointmentPurpose,
    capacity: int,
    minutes: int = 30,
) -> Slot:
    """Open a slot (registrars of the office, supervisors); every invalid field is reported."""
    require_any_write(
        principal,
        Category.CASE_ADMIN_SLOTS,
        "Solo el personal de la Comisión puede abrir horarios de citas.",
    )
    problems: list[FieldProblem] = []
    if starts_at.tzinfo is None:
        problems.append(
            FieldProblem(("startsAt",), "INVALID", "Indique la hora con su zona horaria.")
        )
    if not 1 <= capacity <= MAX_CAPACITY:
        problems.append(
            FieldProblem(
                ("capacity",),
                "OUT_OF_RANGE",
                f"La capacidad debe estar entre 1 y {MAX_CAPACITY} personas.",
            )
        )
    if not 5 <= minutes <= 480:
        problems.append(
            FieldProblem(
                ("minutes",), "OUT_OF_RANGE", "La duración debe estar entre 5 y 480 minutos."
            )
        )
    if problems:
        raise ValidationFailed(problems)
    _check_office(principal, office_code)
    async with conn.transaction():
        office = await (
            await conn.execute("SELECT id FROM office WHERE code = %s", (office_code,))
        ).fetchone()
        if office is None:
            raise ValidationFailed(
                [FieldProblem(("officeCode",), "UNKNOWN_OFFICE", "La oficina indicada no existe.")]
            )
        (office_id,) = office
        row = await (
            await conn.execute(
                "INSERT INTO appointment_slot (office_id, starts_at, minutes, mode, purpose,"
                " capacity) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (office_id, starts_at, mode, purpose) DO NOTHING RETURNING id",
                (office_id, starts_at, minutes, mode.value, purpose.value, capacity),
            )
        ).fetchone()
        if row is None:
            raise Conflict("Ya existe un horario igual en esa oficina.", "SLOT_EXISTS")
    (slot_id,) = row
    return Slot(slot_id, office_code, starts_at, minutes, mode, purpose, capacity, 0)


def _slot(*, mode: str, purpose: str, **fields: Any) -> Slot:
    return Slot(mode=AppointmentMode(mode), purpose=AppointmentPurpose(purpose), **fields)


async def open_slots(
    conn: AsyncConnection[Any],
    office_code: str,
    purpose: AppointmentPurpose | None = None,
    after: datetime | None = None,
) -> list[Slot]:
    """Slots of an office with places left, earliest first."""
    return await by_name(
        conn,
        _slot,
        "SELECT s.id, o.code AS office_code, s.starts_at, s.minutes, s.mode, s.purpose,"
        " s.capacity, s.booked FROM appointment_slot s JOIN office o ON o.id = s.office_id"
        " WHERE o.code = %s AND s.booked < s.capacity"
        " AND (%s::text IS NULL OR s.purpose = %s) AND s.starts_at > coalesce(%s, now())"
        " ORDER BY s.starts_at, s.id",
        (office_code, purpose and purpose.value, purpose and purpose.value, after),
    )


async def _take_place(conn: AsyncConnection[Any], slot_id: int) -> tuple[Any, ...]:
    """One place in the slot, or Conflict SLOT_FULL / NotFound: the conditional UPDATE."""
    row = await (
        await conn.execute(
            "UPDATE appointment_slot s SET booked = booked + 1 FROM office o"
            " WHERE s.id = %s AND o.id = s.office_id AND s.booked < s.capacity"
            " RETURNING s.office_id, o.code, s.starts_at, s.mode, s.purpose",
            (slot_id,),
        )
    ).fetchone()
    if row is not None:
        return tuple(row)
    exists = await (
        await conn.execute("SELECT 1 FROM appointment_slot WHERE id = %s", (slot_id,))
    ).fetchone()
    if exists is None:
        raise NotFound("El horario indicado no existe.", "SLOT_NOT_FOUND")
    raise Conflict("El horario elegido ya no tiene cupos. Elija otro.", "SLOT_FULL")


async def _case_for(
    conn: AsyncConnection[Any], principal: Principal, case_number: int
) -> tuple[int, str, str]:
    row = await (
        await conn.execute(
            "SELECT c.id, c.status, o.code FROM case_file c JOIN office o ON o.id = c.office_id"
            " WHERE c.number = %s FOR UPDATE OF c",
            (case_number,),
        )
    ).fetchone()
    if row is None:
        raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
    case_id, status, office_code = row
    scope = require_any_write(
        principal, Category.CASE_ADMIN_APPOINTMENTS, "No puede gestionar citas."
    )
    members: list[int] = []
    if scope is Scope.SELF:
        own = await (
            await conn.execute(
                "SELECT person_id FROM case_member WHERE case_id = %s AND person_id = %s",
                (case_id, principal.person_id),
            )
        ).fetchall()
        members = [person_id for (person_id,) in own]
    require_write(
        principal,
        Category.CASE_ADMIN_APPOINTMENTS,
        "Solo puede gestionar las citas de su propio expediente."
        if scope is Scope.SELF
        else "Solo puede gestionar citas de su oficina.",
        office_code=office_code,
        person_ids=members,
    )
    return case_id, status, office_code


async def book(
    conn: AsyncConnection[Any], principal: Principal, case_number: int, slot_id: int
) -> Booking:
    """Book a place for a case (the applicant for their own case, or staff).

    Refused with SLOT_FULL when no place is left, ALREADY_BOOKED when the case already
    holds a booked appointment for the same purpose. A pre-registered case moves to
    ``appointment_scheduled`` (recorded in its history) in the same transaction.
    """
    async with conn.transaction():
        case_id, status, _office = await _case_for(conn, principal, case_number)
        if status not in (
            CaseStatus.PRE_REGISTERED,
            CaseStatus.APPOINTMENT_SCHEDULED,
            CaseStatus.REGISTERED,
            CaseStatus.UNDER_REVIEW,
            CaseStatus.APPEAL,
            CaseStatus.RECOGNISED,
        ):
            raise Conflict("El estado del expediente no permite nuevas citas.", "CASE_CLOSED")
        office_id, office_code, starts_at, mode, purpose = await _take_place(conn, slot_id)
        dup = await (
            await conn.execute(
                "SELECT 1 FROM appointment WHERE case_id = %s AND purpose = %s AND status = %s",
                (case_id, purpose, AppointmentStatus.BOOKED.value),
            )
        ).fetchone()
        if dup is not None:
            raise Conflict(
                "El expediente ya tiene una cita vigente para ese fin; reprográmela.",
                "ALREADY_BOOKED",
            )
        link = _video_link(AppointmentMode(mode))
        appointment = await (
            await conn.execute(
                "INSERT INTO appointment (case_id, office_id, starts_at, mode, purpose, status,"
                " video_link) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    case_id,
                    office_id,
                    starts_at,
                    mode,
                    purpose,
                    AppointmentStatus.BOOKED.value,
                    link,
                ),
            )
        ).fetchone()
        assert appointment is not None
        (appointment_id,) = appointment
        await conn.execute(
            "INSERT INTO slot_booking (appointment_id, slot_id) VALUES (%s, %s)",
            (appointment_id, slot_id),
        )
        if status == CaseStatus.PRE_REGISTERED:
            await conn.execute(
                "UPDATE case_file SET status = %s, updated_at = now() WHERE id = %s",
                (CaseStatus.APPOINTMENT_SCHEDULED.value, case_id),
            )
            await conn.execute(
                "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    case_id,
                    status,
                    CaseStatus.APPOINTMENT_SCHEDULED.value,
                    principal.actor_label,
                    "Cita reservada",
                ),
            )
    return Booking(
        appointment_id,
        case_number,
        slot_id,
        office_code,
        starts_at,
        AppointmentMode(mode),
        AppointmentPurpose(purpose),
        AppointmentStatus.BOOKED,
        link,
    )


async def _booked_appointment(
    conn: AsyncConnection[Any], principal: Principal, appointment_id: int
) -> tuple[int, int]:
    """(case number, slot id) of a booked appointment the caller may manage, locked."""
    row = await (
        await conn.execute(
            "SELECT c.number, b.slot_id, a.status FROM appointment a"
            " JOIN case_file c ON c.id = a.case_id"
            " LEFT JOIN slot_booking b ON b.appointment_id = a.id WHERE a.id = %s FOR UPDATE OF a",
            (appointment_id,),
        )
    ).fetchone()
    if row is None:
        raise NotFound("La cita indicada no existe.", "APPOINTMENT_NOT_FOUND")
    case_number, slot_id, status = row
    await _case_for(conn, principal, case_number)
    if status != AppointmentStatus.BOOKED.value or slot_id is None:
        raise Conflict("La cita ya no está vigente.", "APPOINTMENT_NOT_BOOKED")
    return case_number, slot_id


async def _release(conn: AsyncConnection[Any], slot_id: int) -> None:
    await conn.execute(
        "UPDATE appointment_slot SET booked = booked - 1 WHERE id = %s AND booked > 0", (slot_id,)
    )


async def reschedule(
    conn: AsyncConnection[Any], principal: Principal, appointment_id: int, slot_id: int
) -> Booking:
    """Move a booked appointment to another slot of the same purpose (place taken first,
    then the old one released; SLOT_FULL changes nothing)."""
    async with conn.transaction():
        case_number, old_slot = await _booked_appointment(conn, principal, appointment_id)
        if old_slot == slot_id:
            raise ValidationFailed(
                [FieldProblem(("slotId",), "SAME_SLOT", "La cita ya está en ese horario.")]
            )
        old = await (
            await conn.execute("SELECT purpose FROM appointment WHERE id = %s", (appointment_id,))
        ).fetchone()
        assert old is not None
        (old_purpose,) = old
        office_id, office_code, starts_at, mode, purpose = await _take_place(conn, slot_id)
        if purpose != old_purpose:
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("slotId",),
                        "OTHER_PURPOSE",
                        "El nuevo horario es para otro trámite; elija uno del mismo fin.",
                    )
                ]
            )
        await _release(conn, old_slot)
        link = _video_link(AppointmentMode(mode))
        await conn.execute(
            "UPDATE appointment SET office_id = %s, starts_at = %s, mode = %s, video_link = %s"
            " WHERE id = %s",
            (office_id, starts_at, mode, link, appointment_id),
        )
        await conn.execute(
            "UPDATE slot_booking SET slot_id = %s WHERE appointment_id = %s",
            (slot_id, appointment_id),
        )
    return Booking(
        appointment_id,
        case_number,
        slot_id,
        office_code,
        starts_at,
        AppointmentMode(mode),
        AppointmentPurpose(purpose),
        AppointmentStatus.BOOKED,
        link,
    )


async def cancel(conn: AsyncConnection[Any], principal: Principal, appointment_id: int) -> None:
    """Cancel a booked appointment and give its place back to the slot."""
    async with conn.transaction():
        _case, slot_id = await _booked_appointment(conn, principal, appointment_id)
        await conn.execute(
            "UPDATE appointment SET status = %s WHERE id = %s",
            (AppointmentStatus.CANCELLED.value, appointment_id),
        )
        await conn.execute("DELETE FROM slot_booking WHERE appointment_id = %s", (appointment_id,))
        await _release(conn, slot_id)
