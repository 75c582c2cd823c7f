"""Resolvers of case work: parse, call one service function."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from hub.client_address import UNKNOWN, request_address, throttle_key
from resolvers.migration import raw_arguments
from services.casework import pre_registration as svc
from services.casework.person_input import parse_person
from services.errors import DomainError

__all__ = ["change_case_status", "pre_register", "raw_arguments"]


async def pre_register(info: strawberry.Info, data: dict[str, Any]) -> Any:
    ctx = info.context
    request = getattr(ctx, "request", None)
    # the client's address; behind a configured trusted proxy, the one it forwarded
    address = throttle_key(request_address(request)) if request is not None else UNKNOWN
    limiter = ctx.state.services.get("pre_registration_limiter")
    if limiter is None:
        limiter = ctx.state.services["pre_registration_limiter"] = svc.RateLimiter(
            ctx.state.settings.pre_registration_rate_per_minute
        )
    if not await limiter.admit(address):  # shared by the deployment (hub.shared_state)
        raise DomainError(
            "Demasiadas solicitudes desde esta dirección; intente de nuevo en un minuto.",
            "RATE_LIMITED",
        )
    parsed = svc.PreRegistrationIn(
        idempotency_key=data.get("idempotencyKey") or "",
        office_code=data.get("officeCode") or "",
        applicant=parse_person(data["applicant"]),
        dependants=tuple(parse_person(d, "child") for d in data.get("dependants") or ()),
        entry_date=data.get("entryDate"),
        phone=data.get("phone"),
        email=data.get("email"),
        department=data.get("department"),
        province=data.get("province"),
        district=data.get("district"),
        street=data.get("street"),
    )
    return await ctx.run(svc.pre_register, parsed, address)


async def change_case_status(info: strawberry.Info, case_number: int, to: Any, reason: str) -> Any:
    from auth.policy import RowScope
    from models.vocab import CaseStatus
    from services.casework.status import change_status

    ctx = info.context
    moved = await ctx.run(change_status, ctx.principal, case_number, CaseStatus(to), reason)
    await publish_move(ctx, moved.case_number, moved.from_status, moved.to_status)
    return Moved(
        moved.case_number,
        moved.from_status,
        moved.to_status,
        RowScope(office_codes=frozenset({moved.office_code})),
    )


async def publish_move(ctx: Any, case_number: int, from_status: Any, to_status: Any) -> None:
    """Tell live subscribers of every instance of a move that changes protection (any
    action's move), with the case's persons (each delivery to an agency is logged against
    them); announced in the move's transaction, so only once it commits."""
    from services.casework.events import ProtectionEvent, notify, protection_of
    from services.casework.status import member_ids

    before, after = protection_of(from_status), protection_of(to_status)
    if before != after:
        persons = await ctx.run(member_ids, case_number)
        event = ProtectionEvent(
            case_number, after[0], after[1], from_status.value, datetime.now(UTC), persons
        )
        await ctx.run(notify, event)


class Moved:
    def __init__(self, case_number: int, from_status: Any, to_status: Any, row_scope: Any) -> None:
        self.case_number = case_number
        self.from_status = from_status
        self.to_status = to_status
        self.row_scope = row_scope


async def protection_events(info: strawberry.Info) -> Any:
    from auth.policy import RowScope

    # this instance's fan-out, fed by every instance's moves (hub.event_relay)
    events = info.context.state.services["protection_events"]
    async for event in events.subscribe():
        yield Event(event, RowScope(person_ids=event.person_ids))


class Event:
    def __init__(self, event: Any, row_scope: Any) -> None:
        self.case_number = event.case_number
        self.protected = event.protected
        self.basis = event.basis
        self.at = event.at
        self.row_scope = row_scope
