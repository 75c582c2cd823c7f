"""A ``limits`` storage in PostgreSQL, so that every hub instance of a deployment counts
password-login attempts together (issue 13): ``limits`` ships storages for Redis,
Memcached and MongoDB, none for the database the hub already has.

It plugs in through ``limits``' public storage interface (``limits.aio.storage.Storage``
and ``MovingWindowSupport``; the scheme ``async+postgresql://`` is registered for
``storage_from_string``) and keeps its entries in the table the pre-registration limit
already shares (``rate_window``, unlogged), under a scope of its own: one row per entry,
``window_start`` holding the moment the entry *expires* and ``hits`` its weight. The
pre-registration limiter's purge (rows more than two minutes in the past) is then right
for these rows too; this storage purges its own expired rows now and then as well.

Each acquisition takes a transaction-scoped advisory lock on its key, so two instances
checking the same account at once cannot both slip under the limit. Times are the
database's clock (``clock_timestamp()``), the one clock all instances share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import psycopg
from limits.aio.storage import MovingWindowSupport, Storage
from psycopg_pool import AsyncConnectionPool

SCOPE = "limits"
PURGE_EVERY = 200  # acquisitions of this process between two purges of expired entries

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"
_LIVE = (
    "SELECT coalesce(sum(hits), 0), extract(epoch FROM min(window_start)),"
    " extract(epoch FROM clock_timestamp())"
    " FROM rate_window WHERE scope = %s AND key = %s AND window_start > clock_timestamp()"
)
_ADD = (
    "INSERT INTO rate_window AS w (scope, key, window_start, hits)"
    " VALUES (%s, %s, coalesce(to_timestamp(%s), clock_timestamp() + make_interval(secs => %s)),"
    " %s) ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = w.hits + excluded.hits"
)
_PURGE = "DELETE FROM rate_window WHERE scope = %s AND window_start < clock_timestamp()"

PoolSource = Callable[[], "AsyncConnectionPool[Any] | None"]


class PostgresStorage(Storage, MovingWindowSupport):
    """``async+postgresql://user@host/db`` (a pool of its own, opened at first use), or
    ``PostgresStorage(pool=...)``: a callable giving a pool the hub already has."""

    STORAGE_SCHEME = ["async+postgresql"]  # noqa: RUF012 (limits' declaration)

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        *,
        pool: PoolSource | None = None,
        **options: float | str | bool,
    ) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self._source = pool
        self._conninfo = uri.removeprefix("async+") if uri else None
        self._own: AsyncConnectionPool[Any] | None = None
        self._opening = asyncio.Lock()
        self._acquired = 0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return psycopg.Error

    async def _pool(self) -> AsyncConnectionPool[Any]:
        if self._source is not None:
            pool = self._source()
            if pool is None:
                raise psycopg.OperationalError("the shared rate-limit pool is not open")
            return pool
        async with self._opening:
            if self._own is None:
                if not self._conninfo:
                    raise ValueError("PostgresStorage needs a URI or a pool")
                own: AsyncConnectionPool[Any] = AsyncConnectionPool(
                    self._conninfo, min_size=1, max_size=2, open=False, kwargs={"autocommit": True}
                )
                await own.open(wait=True)
                self._own = own
            return self._own

    async def close(self) -> None:
        if self._own is not None:
            await self._own.close()
            self._own = None

    async def _live(self, conn: Any, key: str) -> tuple[int, float | None, float]:
        row = await (await conn.execute(_LIVE, (SCOPE, key))).fetchone()
        return int(row[0]), None if row[1] is None else float(row[1]), float(row[2])

    async def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        pool = await self._pool()
        async with pool.connection() as conn, conn.transaction():
            await conn.execute(_LOCK, (f"{SCOPE}:{key}",))
            count, _, _ = await self._live(conn, key)
            if count + amount > limit:
                return False
            await conn.execute(_ADD, (SCOPE, key, None, expiry, amount))
            self._acquired += 1
            if self._acquired % PURGE_EVERY == 0:
                await conn.execute(_PURGE, (SCOPE,))
        return True

    async def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        pool = await self._pool()
        async with pool.connection() as conn:
            count, first_expiry, now = await self._live(conn, key)
        if not count or first_expiry is None:
            return now, 0
        return first_expiry - expiry, count

    # The fixed-window operations (Storage's own): one window per key, its entries all
    # expiring with the first.

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        pool = await self._pool()
        async with pool.connection() as conn, conn.transaction():
            await conn.execute(_LOCK, (f"{SCOPE}:{key}",))
            count, ends, _ = await self._live(conn, key)
            await conn.execute(_ADD, (SCOPE, key, ends, expiry, amount))
        return count + amount

    async def get(self, key: str) -> int:
        pool = await self._pool()
        async with pool.connection() as conn:
            return (await self._live(conn, key))[0]

    async def get_expiry(self, key: str) -> float:
        pool = await self._pool()
        async with pool.connection() as conn:
            _, ends, now = await self._live(conn, key)
        return ends if ends is not None else now

    async def check(self) -> bool:
        try:
            pool = await self._pool()
            async with pool.connection() as conn:
                await conn.execute("SELECT 1")
        except (psycopg.Error, ValueError):
            return False
        return True

    async def reset(self) -> int | None:
        pool = await self._pool()
        async with pool.connection() as conn:
            cursor = await conn.execute("DELETE FROM rate_window WHERE scope = %s", (SCOPE,))
            return int(cursor.rowcount)

    async def clear(self, key: str) -> None:
        pool = await self._pool()
        async with pool.connection() as conn:
            await conn.execute(
                "DELETE FROM rate_window WHERE scope = %s AND key = %s", (SCOPE, key)
            )
