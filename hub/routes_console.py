"""The officers' web console: static files of the ``console`` package under ``/console/``.

The console talks only to the hub's GraphQL API (and ``/oauth/token`` to log in); nothing
is loaded from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import console

CONSOLE_DIR = Path(console.__file__).parent


async def _to_console(request: Request) -> RedirectResponse:
    return RedirectResponse("/console/", status_code=308)


def routes() -> list[BaseRoute]:
    return [
        Route("/console", _to_console, methods=["GET", "HEAD"]),
        Mount("/console", StaticFiles(directory=CONSOLE_DIR, html=True), name="console"),
    ]
