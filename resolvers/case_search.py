"""searchCases: parse the arguments, call services.case_search, prime the case loader."""

from __future__ import annotations

from typing import Any

import strawberry

from services import case_search
from services.records import CaseRecord


async def search_cases(info: strawberry.Info, text: str, first: int = 20) -> list[CaseRecord]:
    ctx: Any = info.context
    found: list[CaseRecord] = await ctx.run(case_search.search_cases, ctx.principal, text, first)
    for record in found:
        ctx.loaders.case.prime(record.id, record)
    return found
