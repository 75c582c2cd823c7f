"""An optional read replica (``QHUB_REPLICA_URL``, issue 18) for the reads that are not
logged: the open statistics (``/statistics.csv``) and the certificate of validity
(``/v/{token}``). Every logged read stays on the primary, where its log entry commits
with it. Without a replica URL those reads use the read pool, as before.

The replica's pool is small (``hub.connection_budget.REPLICA``) and is part of the
process's connection budget (``QHUB_MAX_CONNECTIONS``); ``/readyz`` reports it."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from hub.connection_budget import connection_budget
from hub.guarded_pool import guarded_pool, open_waiting
from hub.readpool import libpq_url
from hub.state import HubState


def routes() -> list[BaseRoute]:
    return []


def unlogged_reads(state: HubState) -> Any:
    """The pool for reads that are not logged: the replica's when configured."""
    return state.services.get("replica_pool") or state.pool


async def _autocommit(conn: Any) -> None:
    await conn.set_autocommit(True)


async def startup(state: HubState) -> None:
    url = state.settings.replica_url
    if not url:
        return
    if url.startswith("postgres://"):
        url = "postgresql://" + url.split("://", 1)[1]
    size = connection_budget(state.settings).replica
    pool = guarded_pool(libpq_url(url), min_size=1, max_size=size, configure=_autocommit)
    await open_waiting(pool, "réplica de lectura")
    state.services["replica_pool"] = pool


async def shutdown(state: HubState) -> None:
    pool = state.services.pop("replica_pool", None)
    if pool is not None:
        await pool.close()
