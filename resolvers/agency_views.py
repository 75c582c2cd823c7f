"""Resolvers of the Health Ministry's and UNHCR's views: one service call each."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry

from services import health_workforce as hw


async def health_professionals(
    info: strawberry.Info,
    professions: list[str],
    regions: list[str],
    recognition: list[str],
    first: int,
    after: str | None,
) -> Any:
    records, more = await info.context.run(
        hw.health_professionals,
        hw.HealthFilter(tuple(professions), tuple(regions), tuple(recognition)),
        first,
        after,
    )
    return Page(records, hw.cursor_of(records[-1]) if records else after, more)


class Page:
    def __init__(self, items: list[Any], end_cursor: str | None, has_more: bool) -> None:
        self.items = items
        self.end_cursor = end_cursor
        self.has_more = has_more


def professional_person(root: hw.HealthProfessionalRecord, info: strawberry.Info) -> Any:
    return info.context.loaders.person.load(root.person_id)


async def unhcr_needs_export(info: strawberry.Info, case_filter: Any) -> Any:
    from resolvers.core import service_case_filter

    return await export_needs(info.context, service_case_filter(case_filter))


async def export_needs(ctx: Any, case_filter: Any) -> Any:
    """The export for a request context; its persons are recorded as read."""
    from resolvers.core import person_id_seen_by
    from services.unhcr_view import EXPORTED_CATEGORIES, needs_export

    export = await ctx.run(
        needs_export, ctx.principal, case_filter, partial(person_id_seen_by, ctx)
    )
    for category in EXPORTED_CATEGORIES:
        ctx.record_read(category.value, export.person_ids)
    return ExportFile(export.filename, export.row_count, export.csv)


class ExportFile:
    content_type = "text/csv; charset=utf-8"

    def __init__(self, filename: str, row_count: int, csv: str) -> None:
        self.filename = filename
        self.row_count = row_count
        self.csv = csv


async def unhcr_cases(
    info: strawberry.Info, case_filter: Any, first: int, after: str | None
) -> Any:
    from resolvers.core import cases

    return await cases(info, first, after, case_filter, scope_category="needs")
