"""The per-request context: who asks, one database connection, the loaders, the reads made."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from psycopg import AsyncConnection

from auth.policy import role_has_row_conditions
from auth.principal import Principal
from hub.state import HubState
from resolvers.coalescing import Coalescer

T = TypeVar("T")
K = TypeVar("K")
log = logging.getLogger("qhub.context")


class RequestFinished(Exception):
    """A resolver asked for the connection after its request had ended; its value would
    be discarded anyway."""


class RequestContext:
    """Built once per GraphQL request; ``info.context`` in every resolver."""

    def __init__(self, state: HubState, principal: Principal, request: Any = None) -> None:
        from resolvers.loaders import Loaders

        self.state = state
        self.principal = principal
        self.request = request
        self.loaders = Loaders(self)
        # category -> person ids read; flushed to the access log at the end of the request.
        self.reads: dict[str, set[int]] = {}
        self.operation_name: str | None = None
        # Top-level mutation fields of this request and their variables (the write log).
        self.mutation_fields: list[str] = []
        self.mutation_variables: dict[str, Any] | None = None
        # Names this request's writes on its connection (``qhub.request``), so the
        # database stages the before/after of every row they change for the write log.
        self.write_key: str | None = None
        # Mutation fields that committed with their own log entry (hub.write_log.engine_write).
        self.logged_fields: set[str] = set()
        # Whether any read grant of this role has a row condition (then records need
        # their row scopes); roles without any can skip building them.
        self.row_conditions = role_has_row_conditions(principal.role)
        self._conn: AsyncConnection[Any] | None = None
        self._lease: Any = None
        self._lock = asyncio.Lock()
        self._closed = False

    async def run(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run a read service function on the request's single (psycopg) connection."""
        async with self._lock:
            if self._closed:
                raise RequestFinished
            if self._conn is None:
                self._lease = self.state.pool.connection()
                self._conn = await self._lease.__aenter__()
            if self.mutation_fields and self.write_key is None:
                self.write_key = uuid.uuid4().hex
                await self._conn.execute(
                    "SELECT set_config('qhub.request', %s, false)", (self.write_key,)
                )
            return await fn(self._conn, *args)

    async def lookup(self, fetch: Callable[[Any, list[K]], Awaitable[list[T]]], key: K) -> T:
        """``fetch(conn, [key])[0]``, fetched in one statement with the same lookups of the
        other requests in flight (``resolvers.coalescing``), on the hub's lookup pool;
        inside a mutation (the lookup sees the request's own writes), or in a hub without
        that pool, on this request's connection."""
        pool = self.state.lookup_pool
        if self.mutation_fields or pool is None:
            return (await self.run(fetch, [key]))[0]
        if self._closed:
            raise RequestFinished
        coalescers = self.state.services.setdefault("coalescers", {})
        coalescer = coalescers.get(fetch)
        if coalescer is None:
            # on a pool of its own: this request may hold a read-pool connection meanwhile
            coalescer = coalescers[fetch] = Coalescer(pool.connection, fetch)
        value: T = await coalescer.get(key)
        return value

    def record_read(self, category: str, person_ids: tuple[int, ...]) -> None:
        bucket = self.reads.get(category)
        if bucket is None:
            bucket = self.reads[category] = set()
        bucket.update(person_ids)

    async def close(self) -> None:
        """Give the connection back, once no resolver uses it; later ``run`` calls fail.

        graphql-core lets the siblings of a failed non-null field run on after the answer
        is complete. Without the lock, the connection went back to the pool while one of
        them still ran a statement on it (or was still acquiring it: "anext(): asynchronous
        generator is already running"); without the flag, a late one leased a connection
        nobody gave back. Shielded, so that a request cancelled at its deadline still
        returns its connection."""
        if self._lease is None and not self._lock.locked():
            # nothing leased, nothing running or waiting to (a lookup shared with other
            # requests leases nothing here): closed at once, no task to shield
            self._closed = True
            return
        await asyncio.shield(self._close())

    async def _close(self) -> None:
        async with self._lock:
            self._closed = True
            await self._release()

    async def _release(self) -> None:
        if self._lease is not None:
            lease, conn, self._lease, self._conn = self._lease, self._conn, None, None
            if self.write_key is not None and conn is not None:
                try:
                    await conn.execute("SELECT set_config('qhub.request', '', false)")
                except Exception:  # never hand the next request a connection that is ours
                    log.warning("could not clear qhub.request; closing the connection")
                    await conn.close()
            await lease.__aexit__(None, None, None)


def context_of(info: Any) -> RequestContext:
    """``info.context``, typed: Strawberry's ``Info`` types it as ``Any``."""
    context: RequestContext = info.context
    return context
