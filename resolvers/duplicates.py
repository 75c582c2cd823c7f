"""Resolvers of the possible-duplicate review: parse, call one service function."""

from __future__ import annotations

from typing import Any

import strawberry

from models.vocab import DuplicateStatus
from resolvers.context import context_of
from services.casework import duplicates as svc


async def possible_duplicates(
    info: strawberry.Info, status: Any, first: int, after: int | None
) -> list[svc.PossibleDuplicateRecord]:
    ctx = context_of(info)
    wanted = (
        DuplicateStatus(status.value if hasattr(status, "value") else status) if status else None
    )
    return await ctx.run(svc.list_possible_duplicates, ctx.principal, wanted, first, after)


async def resolve_possible_duplicate(
    info: strawberry.Info, duplicate_id: int, decision: Any, note: str
) -> svc.PossibleDuplicateRecord:
    ctx = context_of(info)
    chosen = DuplicateStatus(getattr(decision, "value", decision))
    return await ctx.run(svc.resolve_possible_duplicate, ctx.principal, duplicate_id, chosen, note)


def duplicate_person(root: svc.PossibleDuplicateRecord, info: strawberry.Info) -> Any:
    return context_of(info).loaders.person.load(root.person_id)


def duplicate_matched_person(root: svc.PossibleDuplicateRecord, info: strawberry.Info) -> Any:
    return context_of(info).loaders.person.load(root.matched_person_id)
