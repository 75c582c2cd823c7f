"""One statement for the same kind of lookup made by many requests at once.

The Migration Office's border posts ask for one document each, thousands of times a
minute. Each request running its own statement pays a pool checkout, a round trip and
psycopg's per-statement work for a single row; most of a lookup's cost. A ``Coalescer``
answers them together, the way a database's group commit does: the first lookup goes out
at once (no added wait), and the lookups that arrive while a statement is running go out
together in the next one. Under light load nothing changes; under heavy load the batches
grow by themselves.

Only *what is fetched* is shared. Each request still gets its own record, made from its
own row, and every value still passes the caller's field guards (``auth.guards``) and is
logged for that caller, exactly as when the request fetched it alone. A key is validated
before it joins a batch, so one caller's bad input fails only that caller's lookup.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

log = logging.getLogger("qhub.coalescing")

# Statements running at once for one kind of lookup. One keeps every batch as large as
# the load allows; a second lets a batch go out while the previous one is still being
# read. 1, 2 and 4 measured the same (bench/RESULTS.md, "Lookups shared across
# requests"); 2 keeps a slow statement from holding up the next batch.
IN_FLIGHT = 2
# Keys in one statement: a batch waits for no one, so this only bounds a burst.
MAX_BATCH = 500


class Coalescer(Generic[K, V]):
    """``fetch(conn, keys)`` -> one value per key, in order; run for many callers' keys."""

    def __init__(
        self,
        connection: Callable[[], AbstractAsyncContextManager[Any]],
        fetch: Callable[[Any, list[K]], Awaitable[list[V]]],
        in_flight: int = IN_FLIGHT,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._connection = connection
        self._fetch = fetch
        self._in_flight_max = in_flight
        self._max_batch = max_batch
        self._queue: list[tuple[K, asyncio.Future[V]]] = []
        self._in_flight = 0
        # the loop keeps only weak references to tasks: these keep the statements alive
        self._tasks: set[asyncio.Task[None]] = set()

    async def get(self, key: K) -> V:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[V] = loop.create_future()
        self._queue.append((key, future))
        if self._in_flight < self._in_flight_max:
            self._in_flight += 1
            # A task of its own, so that a caller cancelled at its deadline does not cancel
            # the others' statement; an empty context, so that its log lines do not carry
            # the request id of whichever request happened to start it.
            task = loop.create_task(self._drain(), context=contextvars.Context())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                waiting = [(key, future) for key, future in batch if not future.done()]
                if waiting:
                    await self._answer(waiting)
        finally:
            self._in_flight -= 1

    async def _answer(self, waiting: list[tuple[K, asyncio.Future[V]]]) -> None:
        try:
            async with self._connection() as conn:
                values = await self._fetch(conn, [key for key, _ in waiting])
        except asyncio.CancelledError:
            for _, future in waiting:
                future.cancel()
            raise
        except Exception as exc:
            for _, future in waiting:
                if not future.done():
                    future.set_exception(exc)
            return
        if len(values) != len(waiting):  # a fetch that broke its contract answers nobody
            error = RuntimeError(f"{len(values)} values for {len(waiting)} keys")
            log.error("coalesced lookup failed", exc_info=error)
            for _, future in waiting:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), value in zip(waiting, values, strict=True):
            if not future.done():
                future.set_result(value)
