"""The applicants' and public's site (Spanish, phone first): the built files of
``site/public`` under ``/sitio/``, and its pages at their own paths (``/``,
``/prerregistro``, ``/activar``, ``/ingresar``, ``/recuperar``, ``/mi-caso``,
``/mis-datos``, ``/observatorio``, ``/verificar``), each answered with the same
``index.html`` (the page is drawn by ``site/src/main.ts``).

The site talks only to the hub: GraphQL (its operations checked against the ``public``
and ``applicant`` contracts when it is built, ``site/tools/build.mjs``), ``/oauth/token``
and ``/account/*``. A strict Content-Security-Policy keeps it so."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

SITE_DIR = Path(__file__).resolve().parent.parent / "site" / "public"
PAGES = (
    "/",
    "/prerregistro",
    "/activar",
    "/ingresar",
    "/recuperar",
    "/mi-caso",
    "/mis-datos",
    "/observatorio",
    "/verificar",
)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
        " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
        " form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


async def page(request: Request) -> Response:
    return FileResponse(SITE_DIR / "index.html", headers=HEADERS, media_type="text/html")


def routes() -> list[BaseRoute]:
    return [
        *(Route(path, page, methods=["GET", "HEAD"]) for path in PAGES),
        Mount("/sitio", StaticFiles(directory=SITE_DIR), name="sitio"),
    ]
