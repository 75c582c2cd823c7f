"""GraphiQL, served by the hub itself: the page (``GET`` a GraphQL path asking for
``text/html``) and its assets under ``/graphiql/`` — the UMD builds of graphiql, react
and react-dom from ``graphiql/node_modules`` (``npm ci`` in ``graphiql/``; MIT licensed)
and the page's own ``init.js`` / ``page.css``. Nothing is loaded from a CDN, so it works
offline and under the hub's Content-Security-Policy (no inline script).

``QHUB_GRAPHIQL=0`` turns it off (production): the page answers 404.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub.security_headers import HTML_HEADERS

ROOT = Path(__file__).resolve().parent.parent / "graphiql"
ASSETS = {
    "react.js": ROOT / "node_modules/react/umd/react.production.min.js",
    "react-dom.js": ROOT / "node_modules/react-dom/umd/react-dom.production.min.js",
    "graphiql.js": ROOT / "node_modules/graphiql/graphiql.min.js",
    "graphiql.css": ROOT / "node_modules/graphiql/graphiql.min.css",
    "init.js": ROOT / "init.js",
    "page.css": ROOT / "page.css",
}

PAGE = """<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL — Qoricancha Hub</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<link rel="stylesheet" href="/graphiql/page.css">
</head>
<body data-endpoint="{endpoint}">
<div id="graphiql">Cargando GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/init.js"></script>
</body>
</html>
"""

_SECURITY = {name.decode(): value.decode() for name, value in HTML_HEADERS}


def wants_page(method: str, headers: list[tuple[bytes, bytes]], query_string: bytes) -> bool:
    """A browser opening a GraphQL path: GET, Accept with text/html, no query."""
    if method != "GET" or b"query=" in query_string:
        return False
    for name, value in headers:
        if name == b"accept":
            return b"text/html" in value
    return False


def page(path: str, enabled: bool) -> Response:
    """GraphiQL for the GraphQL endpoint at ``path`` (404 when turned off)."""
    if not enabled:
        return JSONResponse(
            {
                "errors": [
                    {
                        "message": "GraphiQL está desactivado en este servidor.",
                        "extensions": {"code": "GRAPHIQL_DISABLED"},
                    }
                ]
            },
            status_code=404,
        )
    return Response(
        PAGE.replace("{endpoint}", escape(path)),
        media_type="text/html; charset=utf-8",
        headers={**_SECURITY, "Cache-Control": "no-cache"},
    )


async def asset(request: Request) -> Response:
    state = request.app.state.hub
    file = ASSETS.get(request.path_params["name"])
    if not state.settings.graphiql or file is None or not file.is_file():
        return JSONResponse(
            {"errors": [{"message": "No existe.", "extensions": {"code": "NOT_FOUND"}}]},
            status_code=404,
        )
    return FileResponse(file, headers={"Cache-Control": "public, max-age=86400"})


def routes() -> list[BaseRoute]:
    return [Route("/graphiql/{name}", asset, methods=["GET", "HEAD"])]
