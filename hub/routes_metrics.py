"""``GET /metrics``: Prometheus' text format (``hub.metrics``). At start-up this module
connects the access-log writer and the connection pools to the metrics.

The metrics hold no personal data (routes, operation names, roles, counts, durations);
keep ``/metrics`` reachable only from the monitoring network all the same.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
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


async def metrics_endpoint(request: Request) -> Response:
    body, media_type = metrics.exposition()
    return Response(body, media_type=media_type, headers={"Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    return [Route("/metrics", metrics_endpoint, methods=["GET"])]
