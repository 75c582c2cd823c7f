"""Resolver of the nationwide identity search: one service call."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from resolvers.context import context_of
from services import identity_search as svc


async def identity_candidates(
    info: strawberry.Info, given_names: str, surnames: str, birth_date: date
) -> list[Any]:
    ctx = context_of(info)
    return await ctx.run(svc.identity_candidates, ctx.principal, given_names, surnames, birth_date)
