"""A psycopg 3 connection pool for the hot read paths (no ORM, tuple rows).

SQLAlchemy stays the way to write; reads that run on every request go straight to
psycopg, where a 150-row batch costs a third of what it costs through the ORM layer.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from hub.connection_budget import FIXED, connection_budget
from hub.guarded_pool import guarded_pool, open_waiting
from hub.settings import Settings

# Statement counters (see hub.db.count_statements): every cursor reports to them.
COUNTERS: list[Any] = []


class CountingCursor(psycopg.AsyncCursor[Any]):
    async def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        # "" is the pool's check of a connection before use, not a statement of the request
        for counter in COUNTERS if query != "" else ():
            counter.count += 1
            counter.statements.append(str(query))
        return await super().execute(query, params, **kwargs)


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    conn.cursor_factory = CountingCursor
    conn.prepare_threshold = 2
    await conn.set_autocommit(True)


async def open_pool(database_url: str, settings: Settings) -> AsyncConnectionPool:
    size = connection_budget(settings).read_pool
    pool = guarded_pool(
        libpq_url(database_url),
        min_size=min(2, size),
        max_size=size,
        configure=_configure,
    )
    await open_waiting(pool, "consultas")
    return pool


async def open_lookup_pool(database_url: str) -> AsyncConnectionPool:
    """The connections of the statements several requests share (``resolvers.coalescing``).
    Its own: requests wait for these statements, so they must never wait for a connection
    of the read pool, which requests hold while they wait (all of them at once, under
    load, and none would come back)."""
    pool = guarded_pool(
        libpq_url(database_url),
        min_size=1,
        max_size=FIXED["shared_lookups"],
        configure=_configure,
    )
    await open_waiting(pool, "consultas compartidas")
    return pool
