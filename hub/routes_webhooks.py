"""Background delivery of agencies' webhooks (issue 4): no routes, a task in the lifespan.

On unless ``QHUB_WEBHOOK_DISPATCH=0`` (the test suite turns it off for hubs that share a
database with the outbox tests); several hub processes may run it at once (rows are
claimed with SKIP LOCKED). Subscriptions: ``qhub webhooks add``.
"""

from __future__ import annotations

import asyncio

from starlette.routing import BaseRoute

from hub.state import HubState
from services.casework.notifications import run_dispatcher

_task: asyncio.Task[None] | None = None
_stop = asyncio.Event()


def routes() -> list[BaseRoute]:
    return []


async def startup(state: HubState) -> None:
    global _task
    if state.settings.webhook_dispatch and state.pool is not None:
        _stop.clear()
        _task = asyncio.create_task(run_dispatcher(state.pool, _stop))


async def shutdown(state: HubState) -> None:
    global _task
    if _task is not None:
        _stop.set()
        await _task
        _task = None
