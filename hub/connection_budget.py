"""How many PostgreSQL connections one hub process may open (issue 18), split across its
pools, and what each pool holds now (``/readyz``).

``QHUB_MAX_CONNECTIONS`` is the whole budget of a process, every server counted (the
primary and, when ``QHUB_REPLICA_URL`` is set, the read replica): the small fixed pools
come first (access log 2, shared lookups 2, shared rate limits 2, the event relay's
listening connection 1, one occasional connection: a checkpoint's signing; the replica's
pool 4 when there is one), the rest is split between the read pool (half, rounded up) and
the SQLAlchemy engine (the other half: its base size and overflow in halves). Unset, the
pools keep ``QHUB_POOL_SIZE`` / ``QHUB_POOL_OVERFLOW`` (10 / 10: 48 connections in all,
52 with a replica). Several instances on one server need the sum of their ``primary`` budgets
below PostgreSQL's ``max_connections`` (100 by default); see README (Many instances).
(A pool that finds the database down may open one more connection for a moment, to
probe it; at most one at a time per pool.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.settings import Settings

FIXED = {
    "access_log": 2,
    # the statements requests share (resolvers.coalescing): requests wait for them, so
    # they never wait for a connection a request holds
    "shared_lookups": 2,
    "rate_limits": 2,
    "event_relay": 1,
    "occasional": 1,
}
REPLICA = 4  # the replica's reads are few: open statistics, validity pages
MINIMUM = sum(FIXED.values()) + 4  # at least 2 for the read pool and 2 for the engine


@dataclass(frozen=True)
class ConnectionBudget:
    engine_size: int
    engine_overflow: int
    read_pool: int
    replica: int = 0

    @property
    def primary(self) -> int:
        """Connections to the primary server."""
        return self.engine_size + self.engine_overflow + self.read_pool + sum(FIXED.values())

    @property
    def total(self) -> int:
        return self.primary + self.replica


def connection_budget(settings: Settings) -> ConnectionBudget:
    replica = REPLICA if settings.replica_url else 0
    if settings.max_connections is None:
        size, overflow = settings.pool_size, settings.pool_overflow
        return ConnectionBudget(size, overflow, size + overflow, replica)
    if settings.max_connections < MINIMUM + replica:
        raise ValueError(
            f"QHUB_MAX_CONNECTIONS debe ser al menos {MINIMUM + replica}"
            + (" (con réplica de lectura)." if replica else ".")
        )
    spare = settings.max_connections - sum(FIXED.values()) - replica
    read = (spare + 1) // 2
    engine = spare - read
    return ConnectionBudget(engine - engine // 2, engine // 2, read, replica)


def pool_report(state: Any) -> dict[str, Any]:
    """Each pool's maximum and what it holds now (open, idle, requests waiting)."""
    budget = connection_budget(state.settings)
    pools: dict[str, Any] = {}
    engine_pool = state.engine.sync_engine.pool
    pools["engine"] = {
        "max": budget.engine_size + budget.engine_overflow,
        "open": engine_pool.checkedin() + engine_pool.checkedout(),
        "idle": engine_pool.checkedin(),
    }
    named = {
        "read": state.pool,
        "access_log": state.services.get("access_log_pool"),
        "shared_lookups": state.lookup_pool,
        "rate_limits": state.services.get("rate_limit_pool"),
        "replica": state.services.get("replica_pool"),
    }
    for name, pool in named.items():
        if pool is None:
            continue
        stats = pool.get_stats()
        pools[name] = {
            "max": pool.max_size,
            "open": stats.get("pool_size", 0),
            "idle": stats.get("pool_available", 0),
            "waiting": stats.get("requests_waiting", 0),
        }
    return {"budget": budget.total, "primary": budget.primary, "pools": pools}
