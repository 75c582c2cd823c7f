"""Resolvers for appointments and the eligibility module: parse, call one service, map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from auth.policy import RowScope
from models.vocab import AppointmentMode, AppointmentPurpose
from resolvers.casework_priority import Mapped
from services.casework import appointments, eligibility


def _booking(b: appointments.Booking, principal: Any) -> Mapped:
    # The service has checked the caller's right to this case: its office for staff, its
    # membership for an applicant (who then reads the booking as their own).
    own = (principal.person_id,) if principal.person_id is not None else ()
    return Mapped(
        RowScope(person_ids=own, office_codes=frozenset({b.office_code})),
        appointment_id=b.appointment_id,
        case_number=b.case_number,
        office_code=b.office_code,
        starts_at=b.starts_at,
        mode=b.mode,
        purpose=b.purpose,
        video_link=b.video_link,
    )


async def book_appointment(info: strawberry.Info, case_number: int, slot_id: int) -> Any:
    ctx = info.context
    booked = await ctx.run(appointments.book, ctx.principal, case_number, slot_id)
    return _booking(booked, ctx.principal)


async def reschedule_appointment(info: strawberry.Info, appointment_id: int, slot_id: int) -> Any:
    ctx = info.context
    moved = await ctx.run(appointments.reschedule, ctx.principal, appointment_id, slot_id)
    return _booking(moved, ctx.principal)


async def cancel_appointment(info: strawberry.Info, appointment_id: int) -> bool:
    ctx = info.context
    await ctx.run(appointments.cancel, ctx.principal, appointment_id)
    return True


def _recorded(r: eligibility.Recorded, officer_id: int | None = None) -> Mapped:
    scope = RowScope(assigned_officer_ids=frozenset({officer_id} if officer_id else ()))
    return Mapped(scope, id=r.id, case_number=r.case_number, at=r.at)


async def record_interview(
    info: strawberry.Info,
    case_number: int,
    mode: Any,
    held_at: datetime,
    summary: str,
    language: str,
    interpreter: bool,
) -> Any:
    ctx = info.context
    done = await ctx.run(
        lambda conn, p: eligibility.record_interview(
            conn,
            p,
            case_number,
            mode=AppointmentMode(mode),
            held_at=held_at,
            summary=summary,
            language=language,
            interpreter=interpreter,
        ),
        ctx.principal,
    )
    return _recorded(done, ctx.principal.officer_id)


async def record_assessment(
    info: strawberry.Info,
    case_number: int,
    grounds: Sequence[str],
    credibility: str,
    analysis: str,
    recommendation: str,
) -> Any:
    ctx = info.context
    done = await ctx.run(
        lambda conn, p: eligibility.record_assessment(
            conn,
            p,
            case_number,
            grounds=[eligibility.Ground(g) for g in grounds],
            credibility=credibility,
            analysis=analysis,
            recommendation=eligibility.Recommendation(recommendation),
        ),
        ctx.principal,
    )
    return _recorded(done, ctx.principal.officer_id)


async def decide_case(info: strawberry.Info, case_number: int, outcome: str, reasons: str) -> Any:
    ctx = info.context
    done = await ctx.run(
        eligibility.decide, ctx.principal, case_number, eligibility.Outcome(outcome), reasons
    )
    await _publish(ctx, done)
    return _recorded(done)


async def file_appeal(info: strawberry.Info, case_number: int, grounds: str) -> Any:
    ctx = info.context
    done = await ctx.run(eligibility.file_appeal, ctx.principal, case_number, grounds)
    await _publish(ctx, done)
    return _recorded(done, ctx.principal.officer_id)


async def _publish(ctx: Any, done: eligibility.Recorded) -> None:
    from resolvers.casework import publish_move

    if done.moved is not None:
        await publish_move(ctx, done.case_number, *done.moved)


def _slot(s: appointments.Slot) -> Mapped:
    return Mapped(
        RowScope(),
        id=s.id,
        office_code=s.office_code,
        starts_at=s.starts_at,
        minutes=s.minutes,
        mode=s.mode,
        purpose=s.purpose,
        capacity=s.capacity,
        booked=s.booked,
    )


async def create_slot(
    info: strawberry.Info,
    office_code: str,
    starts_at: datetime,
    mode: Any,
    purpose: Any,
    capacity: int,
    minutes: int,
) -> Any:
    ctx = info.context
    slot = await ctx.run(
        lambda conn, p: appointments.create_slot(
            conn,
            p,
            office_code=office_code,
            starts_at=starts_at,
            mode=AppointmentMode(mode),
            purpose=AppointmentPurpose(purpose),
            capacity=capacity,
            minutes=minutes,
        ),
        ctx.principal,
    )
    return _slot(slot)


async def open_slots(info: strawberry.Info, office_code: str, purpose: Any) -> Any:
    slots = await info.context.run(
        appointments.open_slots, office_code, AppointmentPurpose(purpose) if purpose else None
    )
    return [_slot(s) for s in slots]
