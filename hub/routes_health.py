"""``/healthz`` (the process is alive) and ``/readyz`` (database reachable, migrations current)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub.migrations import head_revision
from hub.state import HubState


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    try:
        async with asyncio.timeout(2):
            async with state.engine.connect() as conn:
                current = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar_one_or_none()
    except Exception as exc:  # any failure to reach the database means "not ready"
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": "database unreachable",
                "detail": type(exc).__name__,
            },
            status_code=503,
        )
    head = head_revision(state.database_url)
    if current != head:
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": "migrations pending",
                "current": current,
                "head": head,
            },
            status_code=503,
        )
    return JSONResponse({"status": "ready", "revision": current})


def routes() -> list[BaseRoute]:
    return [Route("/healthz", healthz), Route("/readyz", readyz)]
