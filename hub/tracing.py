"""OpenTelemetry traces of the hub's HTTP requests, off unless ``QHUB_OTEL_ENDPOINT``
names an OTLP/HTTP collector (e.g. ``http://collector:4318/v1/traces``).

The whole application is wrapped (``OpenTelemetryMiddleware``), so the GraphQL fast path
is traced too; a ``traceparent`` header from the gateway continues the gateway's trace.
Spans carry no personal data: the query string (GraphQL over GET carries variables — a
document number, say) and the client's address are left out.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp

SERVICE = "qoricancha-hub"
# Attributes the ASGI instrumentation fills that may hold a query string or an address.
_SCRUBBED = (
    "http.url",
    "url.full",
    "url.query",
    "http.client_ip",
    "client.address",
    "net.peer.ip",
    "net.sock.peer.addr",
    "network.peer.address",
)


def _scrub(span: Any, scope: dict[str, Any]) -> None:
    if span is None or not span.is_recording():
        return
    for name in _SCRUBBED:
        span.set_attribute(name, "")
    span.set_attribute("http.target", scope.get("path", ""))


def instrument(app: ASGIApp, endpoint: str | None, exporter: Any = None) -> ASGIApp:
    """``app`` traced when a collector ``endpoint`` (or, in tests, an ``exporter``) is
    given; ``app`` itself otherwise."""
    if endpoint is None and exporter is None:
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE}))
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return OpenTelemetryMiddleware(
        app,
        tracer_provider=provider,
        server_request_hook=_scrub,
        exclude_spans=["receive", "send"],
        excluded_urls="/metrics,/healthz,/readyz",
    )


def app_from_environment() -> ASGIApp:
    """uvicorn's factory for several workers: ``hub.app.app_from_environment``, traced when
    configured."""
    from hub.app import app_from_environment as hub_app
    from hub.settings import get_settings

    return instrument(hub_app(), get_settings().otel_endpoint)
