"""``GET /metrics``: Prometheus' text format (``hub.metrics``). At start-up this module
connects the access-log writer and the connection pools to the metrics.

The metrics hold no personal data (routes, operation names, roles, counts, durations),
but they show who uses the hub how much: ``/metrics`` answers only a scraper that sends
the configured bearer token (``QHUB_METRICS_TOKEN``; Prometheus' ``authorization`` in a
scrape config), or, when no token is configured, a caller on the same machine (a
loopback peer, not relayed by a proxy); anyone else gets 401.
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub import metrics
from hub.state import HubState


async def startup(state: HubState) -> None:
    writer = state.services.get("access_log_writer")
    if writer is not None:
        writer.observe = metrics.access_log_batch
    if state.pool is not None:
        metrics.watch_pool("reads", state.pool)
    log_pool = state.services.get("access_log_pool")
    if log_pool is not None:
        metrics.watch_pool("access_log", log_pool)


async def shutdown(state: HubState) -> None:
    for pool in (state.pool, state.services.get("access_log_pool")):
        if pool is not None:
            metrics.unwatch_pool(pool)


def _allowed(request: Request, token: str | None) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False  # a proxy on this machine relays callers from elsewhere
    try:
        return ipaddress.ip_address(request.client.host if request.client else "").is_loopback
    except ValueError:
        return False


async def metrics_endpoint(request: Request) -> Response:
    state: HubState = request.app.state.hub
    if not _allowed(request, state.settings.metrics_token):
        return JSONResponse(
            {
                "error": "unauthorized",
                "code": "METRICS_UNAUTHORIZED",
                "message": "Las métricas requieren el token configurado (Authorization: "
                "Bearer …) o, sin token configurado, una conexión desde la misma máquina.",
            },
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
        )
    body, media_type = metrics.exposition()
    return Response(body, media_type=media_type, headers={"Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    return [Route("/metrics", metrics_endpoint, methods=["GET"])]
