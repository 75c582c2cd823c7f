"""Background delivery of agencies' webhooks (issue 4): no routes, a task in the lifespan.

Enabled with ``QHUB_WEBHOOK_DISPATCH=1`` (off by default so that test hubs sharing a
database with the outbox tests do not deliver their rows); several hub processes may run
it at once (rows are claimed with SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import os

from starlette.routing import BaseRoute

from hub.state import HubState
from services.casework.notifications import run_dispatcher

_task: asyncio.Task[None] | None = None
_stop = asyncio.Event()


def routes() -> list[BaseRoute]:
    return []


async def startup(state: HubState) -> None:
    global _task
    if os.environ.get("QHUB_WEBHOOK_DISPATCH") == "1" and state.pool is not None:
        _stop.clear()
        _task = asyncio.create_task(run_dispatcher(state.pool, _stop))


async def shutdown(state: HubState) -> None:
    global _task
    if _task is not None:
        _stop.set()
        await _task
        _task = None
