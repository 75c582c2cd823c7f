"""Resolvers of the access-log queries: one service call each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry

from auth import access_log as log_service
from auth.policy import RowScope
from resolvers.context import context_of
from services.errors import Forbidden


async def access_log(
    info: strawberry.Info,
    person_id: strawberry.ID | None = None,
    agency: str | None = None,
    since: datetime | None = None,
    first: int = 100,
    before_id: strawberry.ID | None = None,
) -> list[Any]:
    return await context_of(info).run(
        _entries,
        dict(
            person_id=int(person_id) if person_id else None,
            agency=agency,
            since=since,
            limit=first,
            before_id=int(before_id) if before_id else None,
        ),
    )


async def _entries(conn: Any, kwargs: dict[str, Any]) -> list[Any]:
    return await log_service.entries(conn, **kwargs)


async def who_read_my_data(info: strawberry.Info, first: int = 100) -> list[Any]:
    person = info.context.principal.person_id
    if person is None:
        raise Forbidden("Solo la persona titular puede consultar quién leyó sus datos.")
    lines = await context_of(info).run(_entries, dict(person_id=person, limit=first))
    scope = RowScope(person_ids=(person,))
    return [
        MyRead(line.at, line.agency, line.purpose, line.categories, scope)
        for line in lines
        if shown_to_the_person(line.agency, line.action, line.categories)
    ]


def shown_to_the_person(agency: str, action: str, categories: list[str]) -> bool:
    """Other agencies' reads, and the commission's reads of claim data (ACCESS-POLICY.md
    rule 6: every read of claim data by anyone is logged, and a person can see who read
    their data); not the person's own reads, nor the commission's other case work."""
    if action != "read" or agency == "applicant":
        return False
    return agency != "cepr" or any(c.split(".", 1)[0] == "claim" for c in categories)


@dataclass(slots=True)
class MyRead:
    at: datetime
    agency: str
    purpose: str | None
    categories: list[str]
    row_scope: RowScope
