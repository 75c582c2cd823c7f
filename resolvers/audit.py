"""Resolvers of the access-log queries: one service call each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry

from auth import access_log as log_service
from auth.policy import RowScope
from services.errors import Forbidden


async def access_log(
    info: strawberry.Info,
    person_id: strawberry.ID | None = None,
    agency: str | None = None,
    since: datetime | None = None,
    first: int = 100,
    before_id: strawberry.ID | None = None,
) -> list[Any]:
    return await info.context.run(  # type: ignore[no-any-return]
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
    lines = await info.context.run(_entries, dict(person_id=person, limit=first))
    # Only other agencies' reads: the commission's own case work is not "who read my data".
    scope = RowScope(person_ids=(person,))
    return [
        MyRead(line.at, line.agency, line.purpose, line.categories, scope)
        for line in lines
        if line.agency not in ("cepr", "applicant")
    ]


@dataclass(slots=True)
class MyRead:
    at: datetime
    agency: str
    purpose: str | None
    categories: list[str]
    row_scope: RowScope
