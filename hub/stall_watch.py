"""A database that stops answering (its processes frozen, its host hung, the network
silently dropping packets) is told apart from a slow one, and requests are answered 503
within seconds instead of waiting for the request deadline.

A stopped server refuses connections at once and the pools report it
(``hub.guarded_pool``). A frozen one accepts TCP connections and then says nothing:
queries already sent wait, pooled connections still look healthy, and cancelling a
query waits for a server that does not read (psycopg gives up after 10 s). So:

- every GraphQL request's work (execution and its log) runs through ``StallWatch.run``,
  which knows since when each one runs;
- when one has run for ``QHUB_DB_STALL`` seconds (2), the watch asks the server on a
  fresh connection (``SELECT 1``); no answer within ``PROBE_WAIT`` seconds (libpq's
  ``connect_timeout`` and half a second) and the database counts as *not responding*;
- then every request in flight is answered 503 ``DATABASE_UNAVAILABLE`` (its work is
  cancelled and finishes in the background: a transaction never committed is rolled
  back by the server, so nothing unacknowledged stays half-done), new requests are
  refused at once, and ``/readyz`` says "database not responding";
- the watch keeps asking; the first answer (a probe left waiting is answered the moment
  the server runs again) clears the state: the hub answers again at once.

A probe is one short-lived connection besides the process's budget, made only while a
request has been running for longer than ``QHUB_DB_STALL`` seconds (at most one at a
time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import psycopg
from starlette.requests import Request

from hub.availability import CONNECT_TIMEOUT, RETRY_AFTER
from hub.errors import RequestError
from hub.settings import _env_int

T = TypeVar("T")

STALL_AFTER = _env_int("DB_STALL", 2)
# A probe fails when libpq would fail a connection (its connect_timeout), or when the
# server that let it connect does not answer SELECT 1 in the half second after: a slow,
# loaded server answers a fresh connection within that, a frozen one never does.
PROBE_WAIT = CONNECT_TIMEOUT + 0.5
TICK = 0.25

log = logging.getLogger("qhub.database")


class DatabaseStalled(Exception):
    """The database does not answer: the request is refused (its work is cancelled)."""


def stalled_refusal() -> RequestError:
    return RequestError(
        503,
        "La base de datos no responde; la solicitud no se completó. "
        "Intente de nuevo en unos segundos.",
        "DATABASE_UNAVAILABLE",
        {"Retry-After": str(RETRY_AFTER)},
    )


class StallWatch:
    def __init__(self, conninfo: str, stall_after: float = STALL_AFTER) -> None:
        self.conninfo = conninfo
        self.stall_after = stall_after
        self.stalled = asyncio.Event()
        self.stalled_since: float | None = None
        # the work of each request in flight: when it started (kept until it is done, also
        # when it was cancelled and is still finishing in the background) and the future
        # its request waits on
        self._running: dict[asyncio.Task[Any], tuple[float, asyncio.Future[None]]] = {}
        self._answered_at = time.monotonic()  # the last probe that was answered
        self._probe: asyncio.Task[bool] | None = None
        self._loop: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop = asyncio.create_task(self._watch(), name="qhub-stall-watch")

    async def stop(self) -> None:
        for task in (self._loop, self._probe):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``await work``, or ``DatabaseStalled`` as soon as the database stops answering
        (the work is then cancelled and left to finish in the background)."""
        if self.stalled.is_set():
            work.close()
            raise DatabaseStalled
        loop = asyncio.get_running_loop()
        task = loop.create_task(work)
        # completed when the work is done, or by the watch when the database stalls: one
        # future per request (a waiter task and asyncio.wait cost twice as much)
        answer: asyncio.Future[None] = loop.create_future()
        self._running[task] = (time.monotonic(), answer)
        task.add_done_callback(self._forget)
        try:
            await answer
        except asyncio.CancelledError:
            task.cancel()  # the client went away: the work goes too
            raise
        if task.done():
            return task.result()
        task.cancel()
        raise DatabaseStalled

    def _forget(self, task: asyncio.Task[Any]) -> None:
        entry = self._running.pop(task, None)
        if entry is not None and not entry[1].done():
            entry[1].set_result(None)
        if not task.cancelled():
            task.exception()  # retrieved: a cancelled request's error is not news

    def _refuse_running(self) -> None:
        """Answer every request in flight now (``run`` raises ``DatabaseStalled``)."""
        for _, answer in self._running.values():
            if not answer.done():
                answer.set_result(None)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            if self.stalled.is_set():
                if await self._answered():
                    log.warning(
                        "la base de datos vuelve a responder (tras %.1f s)",
                        now - (self.stalled_since or now),
                    )
                    self.stalled_since = None
                    self.stalled.clear()
                continue
            oldest = min((started for started, _ in self._running.values()), default=now)
            if now - oldest < self.stall_after or now - self._answered_at < self.stall_after:
                continue
            if not await self._answered():
                log.warning("la base de datos no responde; se rechazan las solicitudes (503)")
                self.stalled_since = now
                self.stalled.set()
                self._refuse_running()

    async def _answered(self) -> bool:
        """Whether the server answers a probe within ``PROBE_WAIT`` seconds. A probe that
        does not is left running (never cancelled: that would wait on the server too),
        and the next check waits on the same one."""
        if self._probe is None or self._probe.done():
            self._probe = asyncio.create_task(self._ask())
        done, _ = await asyncio.wait({self._probe}, timeout=PROBE_WAIT)
        if not done or not self._probe.result():
            return False
        self._answered_at = time.monotonic()
        return True

    async def _ask(self) -> bool:
        try:
            conn = await psycopg.AsyncConnection.connect(
                self.conninfo, connect_timeout=CONNECT_TIMEOUT, autocommit=True
            )
        except psycopg.Error:
            return False
        try:
            await conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False
        finally:
            with contextlib.suppress(psycopg.Error):
                await conn.close()


def of(request: Request) -> StallWatch | None:
    """The watch of the hub serving ``request`` (none outside a running hub)."""
    state = getattr(request.app.state, "hub", None)
    services = getattr(state, "services", None) or {}
    watch = services.get("stall_watch")
    return watch if isinstance(watch, StallWatch) else None
