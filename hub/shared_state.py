"""State that users can tell apart, shared by every instance of a deployment (issue 18):
the pre-registration rate limit counts in PostgreSQL (``QHUB_SHARED_RATE_LIMITS``, on by
default), so two instances let through the limit once, not twice.

The counter has a small pool of its own (2 connections, autocommit): a mutation holds
its request's connection from the read pool while it asks the limiter, so taking a
second one from that pool would let a burst exhaust it (every request holding one,
waiting for another)."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from hub.guarded_pool import guarded_pool, open_waiting
from hub.readpool import libpq_url
from hub.state import HubState
from services.casework.rate_window import SharedRateLimiter

POOL_SIZE = 2


def routes() -> list[BaseRoute]:
    return []


async def _autocommit(conn: Any) -> None:
    await conn.set_autocommit(True)


async def startup(state: HubState) -> None:
    if not state.settings.shared_rate_limits:
        return
    pool = guarded_pool(
        libpq_url(state.database_url), min_size=1, max_size=POOL_SIZE, configure=_autocommit
    )
    await open_waiting(pool, "límites compartidos")
    state.services["rate_limit_pool"] = pool
    state.services["pre_registration_limiter"] = SharedRateLimiter(
        pool, state.settings.pre_registration_rate_per_minute
    )


async def shutdown(state: HubState) -> None:
    pool = state.services.pop("rate_limit_pool", None)
    if pool is not None:
        await pool.close()
