"""Protection events across instances: one connection per hub process LISTENs on
``services.casework.events.CHANNEL`` and hands every notification to this process's
subscribers (``state.services["protection_events"]``); on the same connection it takes
in persisted queries registered on other instances (``hub.graphql.persisted_queries``).

The connection is its own (autocommit, outside the pools: a listening connection is
never lent to a request). When it drops (database restart) the relay connects again
after a second; what was announced meanwhile is in the change feed, not replayed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import psycopg
from starlette.routing import BaseRoute

from hub.availability import connection_options
from hub.graphql import persisted_queries
from hub.readpool import libpq_url
from hub.state import HubState
from services.casework.events import CHANNEL, ProtectionEvents, decode

log = logging.getLogger("qhub.event_relay")
RETRY_SECONDS = 1.0


def routes() -> list[BaseRoute]:
    return []


class EventRelay:
    """LISTEN on the events channel and publish each notification to ``events``."""

    def __init__(self, conninfo: str, events: ProtectionEvents) -> None:
        self.conninfo = conninfo
        self.events = events
        self.listening = asyncio.Event()
        self.received = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self, wait: float = 10.0) -> None:
        self._task = asyncio.create_task(self._run(), name="protection-event-relay")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.listening.wait(), wait)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                self.listening.clear()
                log.warning("relay of protection events interrupted: %s", type(exc).__name__)
            await asyncio.sleep(RETRY_SECONDS)

    async def _listen(self) -> None:
        options: dict[str, Any] = {**connection_options(), "autocommit": True}
        async with await psycopg.AsyncConnection.connect(self.conninfo, **options) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            await conn.execute(f"LISTEN {persisted_queries.CHANNEL}")
            self.listening.set()
            async for notification in conn.notifies():
                try:
                    if notification.channel == persisted_queries.CHANNEL:
                        persisted_queries.learn(notification.payload)
                        continue
                    event = decode(notification.payload)
                except (ValueError, KeyError, TypeError):
                    log.warning("malformed notification ignored (%s)", notification.channel)
                    continue
                self.received += 1
                self.events.publish(event)


async def startup(state: HubState) -> None:
    state.services["persisted_queries"] = persisted_queries.Store(state.pool)
    async with state.pool.connection() as conn:
        await persisted_queries.load_recent(conn)
    events = ProtectionEvents()
    relay = EventRelay(libpq_url(state.database_url), events)
    state.services["protection_events"] = events
    state.services["event_relay"] = relay
    await relay.start()


async def shutdown(state: HubState) -> None:
    relay = state.services.get("event_relay")
    if isinstance(relay, EventRelay):
        await relay.stop()
