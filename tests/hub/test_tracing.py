"""OpenTelemetry (off by default): a traced hub continues the caller's trace and records
no query string or client address."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from hub.settings import load_settings
from hub.tracing import instrument
from tests.conftest import LiveHub

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_tracing_is_off_unless_configured() -> None:
    app = object()
    assert instrument(app, None) is app  # type: ignore[arg-type]
    assert load_settings().otel_endpoint is None


@pytest.fixture(scope="module")
def traced(database_url: str) -> Iterator[tuple[LiveHub, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    hub = LiveHub(database_url)
    hub.server.config.app = instrument(hub.app, None, exporter)
    hub.start()
    yield hub, exporter
    hub.stop()


def test_a_request_continues_the_gateways_trace_without_personal_data(
    traced: tuple[LiveHub, InMemorySpanExporter],
) -> None:
    hub, exporter = traced
    query = '{ protectionStatus(document: {type: NATIONAL_ID, number: "17345678"}) { found } }'
    answer = httpx.get(
        f"{hub.url}/graphql",
        params={"query": query},
        headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"},
    )
    assert answer.status_code in (200, 401)
    spans = [s for s in exporter.get_finished_spans() if s.kind.name == "SERVER"]
    assert spans, "the request made a server span"
    span = spans[-1]
    assert format(span.context.trace_id, "032x") == TRACE_ID
    assert span.attributes is not None
    recorded = " ".join(str(v) for v in span.attributes.values())
    assert "17345678" not in recorded
    assert span.attributes.get("net.peer.ip") == span.attributes.get("client.address") == ""
    assert span.attributes.get("http.target") == "/graphql"
