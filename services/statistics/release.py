"""Releases of the open statistics: built together, stored, served.

A release is every table at one reference date (the last day of a quarter), protected as
a whole (services.statistics.suppression) and stored; the API serves the current one (the
latest reference date). A release is immutable: publishing again for a reference date
that has one returns it unchanged, so two publications never differ by a correction or a
late entry about the past — those show in the next quarter's release.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from cachetools import LRUCache
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.statistics import privacy
from services.statistics.consistency import consistent_counts, table_rms
from services.statistics.counting import count_release
from services.statistics.dimensions import Dimension, Domains
from services.statistics.grid import Grid, TableKey, release_tables
from services.statistics.suppression import protect_release

DIFFERENTIAL_PRIVACY = "differential-privacy"
SUPPRESSION = "audited-cell-suppression"
METHOD = DIFFERENTIAL_PRIVACY  # of new releases (the suppression method stays callable)


def protection_interval(threshold: int) -> int:
    """How far apart the smallest and largest value an attacker can prove for a hidden
    cell must be: ⌈threshold/2⌉ (with 10: at least 6 possible values)."""
    return -(-threshold // 2)


@dataclass(frozen=True)
class Release:
    version: int
    reference_date: date
    published_at: datetime
    method: str
    threshold: int
    protection: int
    grid: Grid
    cells: list[int | None]
    audit: dict[str, Any]
    build_seconds: float

    @property
    def tables(self) -> list[TableKey]:
        return list(self.grid.layouts)

    def count(self, key: TableKey, values: tuple[str, ...]) -> int | None:
        return self.cells[self.grid.cell(key, values)]

    def margin95(self, key: TableKey) -> int | None:
        """Half-width of the 95 % interval of the noise in each cell of ``key`` (none
        without noise)."""
        margins = self.audit.get("margin95")
        return None if margins is None else int(margins[self.tables.index(key)])


def quarter_end(day: date) -> date:
    """The last day of the quarter before the one ``day`` is in."""
    first_of_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first_of_quarter - timedelta(days=1)


def _check_reference(reference: date, today: date) -> None:
    if (reference + timedelta(days=1)).day != 1 or reference.month % 3 != 0:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("referenceDate",),
                    "NOT_QUARTER_END",
                    "La fecha de referencia debe ser el último día de un trimestre.",
                )
            ]
        )
    if reference >= today:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("referenceDate",),
                    "QUARTER_NOT_CLOSED",
                    "Solo se publican trimestres ya cerrados.",
                )
            ]
        )


async def build(
    conn: AsyncConnection[Any],
    reference: date,
    threshold: int,
    method: str = METHOD,
    spent_before: float = 0.0,
) -> tuple[Grid, list[int | None], dict[str, Any], float]:
    """Count and protect every table at ``reference`` (nothing stored)."""
    started = time.perf_counter()
    if method == DIFFERENTIAL_PRIVACY:
        async with conn.transaction():
            counted = await count_release(
                conn, reference, threshold, release_tables(), privacy.choose_domains
            )
        grid = counted.grid
        noisy, scale = privacy.measure_tables(counted.counts, len(grid.layouts))
        del counted  # the true counts go no further than the noise
        published: list[int | None] = list(consistent_counts(grid, noisy))
        rms = table_rms(grid)
        audit: dict[str, Any] = {
            "cells": grid.size,
            "hidden": 0,
            "primary": 0,
            "lpSolves": 0,
            "rounds": 0,
            "privacy": privacy.budget(scale, spent_before).as_json(),
            "margin95": [math.ceil(privacy.Z95 * scale * rms[key]) for key in grid.layouts],
        }
        return grid, published, audit, time.perf_counter() - started
    async with conn.transaction():
        counted = await count_release(conn, reference, threshold, release_tables())
    protection = protection_interval(threshold)
    result = protect_release(counted.grid, counted.counts, threshold, protection)
    cells: list[int | None] = [
        None if result.hidden[i] else n for i, n in enumerate(counted.counts)
    ]
    audit = {
        "cells": counted.grid.size,
        "hidden": sum(result.hidden),
        "primary": result.primary,
        "lpSolves": result.lp_solves,
        "mipSolves": result.mip_solves,
        "integerFailures": result.integer_failures,
        "rounds": result.rounds,
        "largestBlock": result.largest_block,
    }
    return counted.grid, cells, audit, time.perf_counter() - started


async def _spent_in_year(conn: AsyncConnection[Any], year: int) -> float:
    """The zCDP already spent by the releases published in ``year`` (whatever quarter
    they count: a person is in all of them)."""
    row = await (
        await conn.execute(
            "SELECT coalesce(sum((audit->'privacy'->>'rho')::float), 0) FROM statistics_release"
            " WHERE (audit->'privacy'->>'year')::int = %s",
            (year,),
        )
    ).fetchone()
    return float(row[0]) if row else 0.0


async def publish(
    conn: AsyncConnection[Any],
    threshold: int,
    reference: date | None = None,
    today: date | None = None,
    method: str = METHOD,
) -> tuple[Release, bool]:
    """Publish the release of ``reference`` (default: the last closed quarter); returns it
    and whether it is new (an existing release for that date is returned unchanged)."""
    today = today or date.today()
    reference = reference or quarter_end(today)
    _check_reference(reference, today)
    async with conn.transaction():
        # one publisher at a time: a second one waits, then finds the release
        await _wait_for_publishing(conn)
        existing = await _load_by(conn, "reference_date = %s", reference)
        if existing is not None:
            return existing, False
        spent = await _spent_in_year(conn, today.year)
        if method == DIFFERENTIAL_PRIVACY and spent + privacy.RHO_RELEASE > privacy.RHO_YEAR + 1e-9:
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("referenceDate",),
                        "PRIVACY_BUDGET_SPENT",
                        "El presupuesto de privacidad del año ya se gastó.",
                    )
                ]
            )
        grid, cells, audit, seconds = await build(conn, reference, threshold, method, spent)
        if "privacy" in audit:
            audit["privacy"]["year"] = today.year
        row = await (
            await conn.execute(
                """INSERT INTO statistics_release (version, reference_date, method,
                     threshold, protection, domains, tables, cells, audit, build_seconds)
                   SELECT coalesce(max(version), 0) + 1, %s, %s, %s, %s, %s, %s, %s, %s, %s
                   FROM statistics_release RETURNING version""",
                (
                    reference,
                    method,
                    threshold,
                    protection_interval(threshold),
                    Jsonb({d.value: list(v) for d, v in grid.domains.values.items()}),
                    Jsonb([[d.value for d in key] for key in grid.layouts]),
                    cells,
                    Jsonb(audit),
                    seconds,
                ),
            )
        ).fetchone()
    assert row is not None
    release = await _load_by(conn, "version = %s", row[0])
    assert release is not None
    return release, True


PUBLISHING_LOCK = 0x5157_1900  # pg_advisory_xact_lock key of publishing
_PUBLISHING_WAIT = 20.0  # seconds; under the request's deadline


async def _wait_for_publishing(conn: AsyncConnection[Any]) -> None:
    """Take the publishing lock, waiting for another publisher for a bounded time.

    Polled with try-lock rather than waited on: a build takes seconds, longer than the
    ``lock_timeout`` every hub connection has, and a blocked wait would end in that
    timeout's error instead of the release the other publisher is about to store."""
    deadline = time.monotonic() + _PUBLISHING_WAIT
    while True:
        row = await (
            await conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (PUBLISHING_LOCK,))
        ).fetchone()
        if row is not None and row[0]:
            return
        if time.monotonic() > deadline:
            raise Conflict(
                "La edición de las estadísticas se está preparando; vuelva a intentarlo en"
                " unos segundos.",
                "RELEASE_IN_PREPARATION",
            )
        await asyncio.sleep(0.2)


_CACHE: LRUCache[tuple[int, datetime], Release] = LRUCache(maxsize=4)
_COLUMNS = (
    "version, reference_date, published_at, method, threshold, protection, domains, tables,"
    " audit, build_seconds"
)


async def _load_by(conn: AsyncConnection[Any], condition: str, arg: Any) -> Release | None:
    row = await (
        await conn.execute(
            f"SELECT {_COLUMNS} FROM statistics_release WHERE {condition}",
            (arg,),
        )
    ).fetchone()
    if row is None:
        return None
    cached = _CACHE.get((int(row[0]), row[2]))
    if cached is not None:
        return cached
    cells_row = await (
        await conn.execute("SELECT cells FROM statistics_release WHERE version = %s", (row[0],))
    ).fetchone()
    assert cells_row is not None
    domains = Domains({Dimension(k): tuple(v) for k, v in row[6].items()})
    grid = Grid(domains, [tuple(Dimension(d) for d in key) for key in row[7]])
    release = Release(
        version=int(row[0]),
        reference_date=row[1],
        published_at=row[2],
        method=str(row[3]),
        threshold=int(row[4]),
        protection=int(row[5]),
        grid=grid,
        cells=list(cells_row[0]),
        audit=dict(row[8]),
        build_seconds=float(row[9]),
    )
    _CACHE[(release.version, release.published_at)] = release
    return release


async def current_release(conn: AsyncConnection[Any], threshold: int | None = None) -> Release:
    """The release the API serves: the latest reference date. When none has been
    published yet and ``threshold`` is given, the last closed quarter's is published."""
    release = await _load_by(
        conn,
        "reference_date = (SELECT max(reference_date) FROM statistics_release) AND %s",
        True,
    )
    if release is None and threshold is not None:
        release, _ = await publish(conn, threshold)
    if release is None:
        raise NotFound("Aún no se ha publicado ninguna edición de las estadísticas.", "NO_RELEASE")
    return release
