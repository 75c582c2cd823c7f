"""An operator's view and the HTML pages' protections: request ids, security headers,
GraphiQL served locally (and off when configured), Prometheus metrics, JSON log lines."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.logs import REQUEST_ID, JsonFormatter
from hub.settings import load_settings
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases

HTML = {"Accept": "text/html"}


def assert_page_protected(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_graphiql_is_served_from_the_hub_with_security_headers(live_hub: LiveHub) -> None:
    page = httpx.get(f"{live_hub.url}/graphql", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert_page_protected(page)
    # no CDN: every script and stylesheet is the hub's own, and each is there
    assert "https://" not in page.text and "<script>" not in page.text
    for asset in ("react.js", "react-dom.js", "graphiql.js", "init.js", "graphiql.css"):
        assert f'"/graphiql/{asset}"' in page.text
        got = httpx.get(f"{live_hub.url}/graphiql/{asset}")
        assert got.status_code == 200, asset
        assert len(got.content) > 50, asset
    assert httpx.get(f"{live_hub.url}/graphiql/package.json").status_code == 404


def test_console_and_certificate_pages_carry_security_headers(live_hub: LiveHub) -> None:
    console = httpx.get(f"{live_hub.url}/console/")
    assert console.status_code == 200
    assert_page_protected(console)
    certificate = httpx.get(f"{live_hub.url}/v/no-es-un-token")
    assert certificate.headers["content-type"].startswith("text/html")
    assert_page_protected(certificate)
    # JSON answers are not pages: no CSP needed, but every answer has its request id
    health = httpx.get(f"{live_hub.url}/healthz")
    assert "content-security-policy" not in health.headers
    assert len(health.headers["x-request-id"]) == 24


@pytest.fixture(scope="module")
def production_hub(database_url: str) -> Iterator[LiveHub]:
    hub = LiveHub(database_url, dataclasses.replace(load_settings(), graphiql=False)).start()
    yield hub
    hub.stop()


def test_graphiql_can_be_turned_off(production_hub: LiveHub) -> None:
    page = httpx.get(f"{production_hub.url}/graphql", headers=HTML)
    assert page.status_code == 404
    assert page.json()["errors"][0]["extensions"]["code"] == "GRAPHIQL_DISABLED"
    assert httpx.get(f"{production_hub.url}/graphiql/graphiql.js").status_code == 404
    # the API itself is unaffected
    answer = httpx.post(f"{production_hub.url}/graphql", json={"query": "{ offices { code } }"})
    assert answer.status_code == 200 and answer.json()["data"]["offices"]


def test_request_id_is_echoed_or_made(live_hub: LiveHub) -> None:
    query = {"query": "{ offices { code } }"}
    given = httpx.post(
        f"{live_hub.url}/graphql", json=query, headers={"X-Request-Id": "rastreo-42.a"}
    )
    assert given.headers["x-request-id"] == "rastreo-42.a"
    made = httpx.post(f"{live_hub.url}/graphql", json=query)
    other = httpx.post(f"{live_hub.url}/graphql", json=query)
    assert made.headers["x-request-id"] != other.headers["x-request-id"]
    # a header that is not a sane token is replaced, not echoed
    odd = httpx.post(f"{live_hub.url}/graphql", json=query, headers={"X-Request-Id": "a b<c>"})
    assert odd.headers["x-request-id"] != "a b<c>"
    assert (
        httpx.get(f"{live_hub.url}/readyz", headers={"X-Request-Id": "r-1"}).headers["x-request-id"]
        == "r-1"
    )


def _sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` with these labels (whatever their other labels)."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items())
    )


def test_metrics_count_requests_by_route_and_outcome(live_hub: LiveHub) -> None:
    def scrape() -> str:
        response = httpx.get(f"{live_hub.url}/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        return response.text

    before = scrape()
    ok = httpx.post(f"{live_hub.url}/graphql", json={"query": "{ offices { code } }"})
    bad = httpx.post(
        f"{live_hub.url}/graphql", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert (ok.status_code, bad.status_code) == (200, 400)
    after = scrape()
    for outcome in ("ok", "refused"):
        labels = {"route": "/graphql", "outcome": outcome}
        assert _sample(after, "qhub_requests_total", **labels) == (
            _sample(before, "qhub_requests_total", **labels) + 1
        )
        assert _sample(after, "qhub_request_duration_seconds_count", **labels) >= 1
    # the pools and the access log are watched; the demand control's refusals are declared
    assert 'qhub_pool_connections_max{pool="reads"}' in after
    assert "qhub_access_log_batch_duration_seconds_count" in after
    assert "# TYPE qhub_demand_control_refusals_total counter" in after


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord(
        "qhub.request", logging.INFO, __file__, 1, "POST %s", ("/graphql",), None
    )
    record.status = 503
    record.outcome = "failed"
    token = REQUEST_ID.set("rid-7")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)
    assert line["level"] == "info" and line["message"] == "POST /graphql"
    assert (line["request_id"], line["status"], line["outcome"]) == ("rid-7", 503, "failed")
    assert line["timestamp"].endswith("+00:00")


async def test_logged_reads_are_counted_by_role_and_operation(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a person whose document the Migration Office looks up (a logged read)
    made = (await make_cases(engine, 1, office_code="LIM", status="recognised"))[0]
    async with engine.connect() as conn:
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": made.person_ids[0]},
            )
        ).scalar_one()
    headers = {
        "Authorization": f"Bearer {mint('migraciones')}",
        "X-Purpose": "deportation-protection",
    }
    query = """query Consulta($d: DocumentInput!) { protectionStatus(document: $d) {
      found protected } }"""
    document = {"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"}
    labels = {"route": "/graphql", "operation": "Consulta", "role": "migraciones"}
    before = _sample(httpx.get(f"{live_hub.url}/metrics").text, "qhub_requests_total", **labels)
    # When it asks
    answer = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": query, "variables": {"d": document}},
        headers=headers,
    )
    assert answer.json()["data"]["protectionStatus"]["found"] is True
    # Then the request is counted under its role and operation
    after = _sample(httpx.get(f"{live_hub.url}/metrics").text, "qhub_requests_total", **labels)
    assert after == before + 1


@pytest.fixture(scope="module")
def token_hub(database_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(load_settings(), metrics_token="prometeo-7f3a")
    hub = LiveHub(database_url, settings).start()
    yield hub
    hub.stop()


def test_metrics_with_a_token_answer_only_that_token(token_hub: LiveHub) -> None:
    # Given a hub configured with a metrics token
    url = f"{token_hub.url}/metrics"
    # When a caller on the same machine asks without it, or with another one
    for headers in ({}, {"Authorization": "Bearer otro"}, {"Authorization": "prometeo-7f3a"}):
        refused = httpx.get(url, headers=headers)
        # Then it is refused, naming how to authenticate, with nothing of the metrics
        assert refused.status_code == 401, headers
        assert refused.json()["code"] == "METRICS_UNAUTHORIZED"
        assert refused.headers["www-authenticate"] == 'Bearer realm="metrics"'
        assert "qhub_requests_total" not in refused.text
    # and Prometheus' configured credentials are answered
    scraped = httpx.get(url, headers={"Authorization": "Bearer prometeo-7f3a"})
    assert scraped.status_code == 200 and "qhub_requests_total" in scraped.text


async def test_metrics_without_a_token_answer_the_same_machine_only(live_hub: LiveHub) -> None:
    # Given a hub without a metrics token (live_hub: loopback is answered, as above)
    assert httpx.get(f"{live_hub.url}/metrics").status_code == 200
    # When a caller from another machine asks (the same app, a peer address of the
    # documentation range), or a proxy on this machine relays someone
    remote = httpx.ASGITransport(app=live_hub.app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=remote, base_url="http://hub") as client:
        from_afar = await client.get("/metrics")
    relayed = httpx.get(f"{live_hub.url}/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
    # Then both are refused
    for refused in (from_afar, relayed):
        assert refused.status_code == 401
        assert refused.json()["code"] == "METRICS_UNAUTHORIZED"
        assert "qhub_requests_total" not in refused.text
