"""The pre-registration rate limit of the whole deployment (issue 18): every hub instance
counts each client address's requests in one fixed one-minute window in PostgreSQL (one
UPSERT per request, table ``rate_window``), behind its own token bucket
(``RateLimiter``), which refuses without a round trip what this process alone already
knows is over. Instances configured with the same limit share the window (the limit is
part of its scope)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import AsyncConnectionPool

from services.casework.pre_registration import RateLimiter

_UPSERT = (
    "INSERT INTO rate_window AS w (scope, key, window_start, hits)"
    " VALUES (%s, %s, date_trunc('minute', now()), 1)"
    " ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = w.hits + 1"
    " RETURNING w.hits"
)
_PURGE = "DELETE FROM rate_window WHERE window_start < now() - interval '2 minutes'"
PURGE_EVERY = 1000  # requests of this process between two purges of past windows


@dataclass
class SharedRateLimiter:
    """``per_minute`` requests per address and minute for all instances together."""

    pool: AsyncConnectionPool[Any]
    per_minute: int
    name: str = "pre_registration"
    front: RateLimiter = field(init=False)
    _admitted: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.front = RateLimiter(self.per_minute)

    @property
    def scope(self) -> str:
        return f"{self.name}/{self.per_minute}"

    async def admit(self, address: str) -> bool:
        if not self.front.allow(address, time.monotonic()):
            return False
        async with self.pool.connection() as conn:
            row = await (await conn.execute(_UPSERT, (self.scope, address))).fetchone()
            self._admitted += 1
            if self._admitted % PURGE_EVERY == 0:
                await conn.execute(_PURGE)
        if row is None:
            return False
        (hits,) = row
        return int(hits) <= self.per_minute
