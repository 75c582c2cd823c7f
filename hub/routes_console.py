"""The officers' web console: the built files of ``console/public`` under ``/console/``.

The console talks only to the hub's GraphQL API (and ``/oauth/token`` to log in); nothing
is loaded from elsewhere. Its GraphQL operations are checked against the role contracts
when the console is built (``console/tools/build.mjs``), and listed with their SHA-256 in
``console/public/persisted-operations.json``: the hub knows them as persisted queries from
start-up, so the console sends only the hash.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import console
from hub.graphql.persisted_queries import remember_persisted

CONSOLE_DIR = Path(console.__file__).parent / "public"
MANIFEST = CONSOLE_DIR / "persisted-operations.json"


def register_persisted_operations(manifest: Path = MANIFEST) -> int:
    """Make the console's operations known by hash (the hash is checked against the text)."""
    operations = json.loads(manifest.read_text(encoding="utf-8"))
    for digest, operation in operations.items():
        remember_persisted(
            operation["text"], {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        )
    return len(operations)


async def _to_console(request: Request) -> RedirectResponse:
    return RedirectResponse("/console/", status_code=308)


def routes() -> list[BaseRoute]:
    register_persisted_operations()
    return [
        Route("/console", _to_console, methods=["GET", "HEAD"]),
        Mount("/console", StaticFiles(directory=CONSOLE_DIR, html=True), name="console"),
    ]
