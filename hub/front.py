"""What every HTTP request passes through on its way in and out: its request id
(``X-Request-Id``: the caller's, or a new one; returned in the answer and in every log
line written while serving it), the security headers of HTML pages, the request's
metrics, and one log line with the real outcome (a 4xx/5xx is never logged as 200 OK).

The GraphQL paths skip Starlette's middleware stack for speed (``hub.app.Hub``);
``serve_fast`` does the same work for them inline, and answers a browser's GET with
GraphiQL (``hub.graphiql``). Everything else goes through ``Front``, an ASGI middleware.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub import graphiql, metrics
from hub.logs import REQUEST_ID, request_id
from hub.security_headers import is_html, with_html_headers

log = logging.getLogger("qhub.request")
errors = logging.getLogger("qhub.app")

# Set by the GraphQL layer once it knows them (``describe``); read when the request ends.
_LABELS = "qhub.labels"


def describe(scope: Scope, role: str, operation: str | None, outcome: str | None = None) -> None:
    """What the GraphQL layer knows of a request: the caller's role, the operation's name
    and (with errors in a 200 answer) its outcome; used for metrics and the log line."""
    scope[_LABELS] = (role, operation or "anonymous", outcome)


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return value.decode("latin-1")  # type: ignore[no-any-return]
    return None


def _finish(scope: Scope, route: str, status: int, rid: str, started: float) -> None:
    seconds = time.perf_counter() - started
    role, operation, outcome = scope.get(_LABELS) or ("unknown", "none", None)
    outcome = outcome or metrics.outcome_of(status)
    metrics.observe_request(route, operation, role, outcome, seconds)
    if log.isEnabledFor(logging.INFO):
        log.info(
            "%s %s %d %s",
            scope["method"],
            scope["path"],
            status,
            outcome,
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "outcome": outcome,
                "role": role,
                "operation": operation,
                "duration_ms": round(seconds * 1000, 3),
            },
        )


async def serve_fast(
    endpoint: Callable[[Request], Awaitable[Response]],
    scope: Scope,
    receive: Receive,
    send: Send,
    graphiql_enabled: bool,
) -> None:
    """A GraphQL path's request, reached without Starlette's middleware and router."""
    started = time.perf_counter()
    rid = request_id(_header(scope, b"x-request-id"))
    token = REQUEST_ID.set(rid)
    try:
        if graphiql.wants_page(scope["method"], scope["headers"], scope["query_string"]):
            response = graphiql.page(scope["path"], graphiql_enabled)
        else:
            try:
                response = await endpoint(Request(scope, receive))
            except Exception:
                # what Starlette's ServerErrorMiddleware answers; a 500 is a bug
                errors.exception("unhandled error in %s", scope["path"])
                response = PlainTextResponse("Internal Server Error", status_code=500)
        response.raw_headers.append((b"x-request-id", rid.encode()))
        await response(scope, receive, send)
        _finish(scope, scope["path"], response.status_code, rid, started)
    finally:
        REQUEST_ID.reset(token)


class Front:
    """The same for every other path, as an ASGI middleware (HTTP only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(_header(scope, b"x-request-id"))
        token = REQUEST_ID.set(rid)
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers: list[Any] = [*message.get("headers", ()), (b"x-request-id", rid.encode())]
                if is_html(headers):
                    headers = with_html_headers(headers)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            _finish(scope, getattr(route, "path", "unmatched"), status, rid, started)
            REQUEST_ID.reset(token)
