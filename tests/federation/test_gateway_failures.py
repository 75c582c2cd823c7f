"""Behind Hive Gateway, the hub's failures stay failures: its database stopped gives 503
with Retry-After (not 200 with null data), the hub gone gives 503, the gateway's
/readiness follows the hub's /readyz, and the identity document looked up never reaches
the gateway's log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from federation.compose import compose, hub_subgraphs
from federation.gateway import Gateway
from hub.embedded import start_server, stop_server
from hub.settings import load_settings
from tests.auth.tokens import mint
from tests.conftest import LiveHub, free_port
from tests.hub.test_db_faults import hub, own_server, own_url  # noqa: F401 (fixtures)

DOCUMENT = {"type": "PASSPORT", "number": "987654321", "issuingCountry": "VE"}
QUERY = "query P($doc: DocumentInput!) { protectionStatus(document: $doc) { found protected } }"
PURPOSE = "deportation-protection"


@pytest.fixture(scope="module")
def gateway(
    federation_tools: Path,
    hub: LiveHub,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Gateway]:
    folder = tmp_path_factory.mktemp("gateway-failures")
    compose(hub_subgraphs(hub.url), folder / "supergraph.graphql")
    settings = load_settings()
    gw = Gateway(
        hub.url,
        free_port(),
        folder / "supergraph.graphql",
        log=folder / "gateway.log",
        issuer=settings.issuer,
        audience=settings.audience,
        extra={"LOG_LEVEL": "debug"},
    )
    with gw:
        yield gw


def lookup(gateway: Gateway) -> httpx.Response:
    token = mint("migraciones", purpose=PURPOSE)
    return httpx.post(
        gateway.url,
        json={"query": QUERY, "variables": {"doc": DOCUMENT}},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": PURPOSE},
        timeout=60,
    )


def readiness(gateway: Gateway) -> httpx.Response:
    return httpx.get(f"http://{gateway.host}:{gateway.port}/readiness", timeout=30)


def answered(gateway: Gateway) -> dict[str, Any]:
    for _ in range(300):
        response = lookup(gateway)
        if response.status_code == 200:
            return response.json()  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(response.text)


def test_database_stopped_behind_the_gateway_is_a_503(own_server: Any, gateway: Gateway) -> None:  # noqa: F811
    # Given the gateway answers a Migration Office lookup and is ready
    assert answered(gateway) == {"data": {"protectionStatus": {"found": False, "protected": False}}}
    assert readiness(gateway).status_code == 200
    # When the hub's database stops
    stop_server(own_server)
    try:
        refused = lookup(gateway)
        ready = readiness(gateway)
    finally:
        start_server(own_server)
    # Then the gateway answers 503 with Retry-After, not 200 with a null status
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    assert not (refused.json().get("data") or {}).get("protectionStatus")
    # and its readiness follows the hub's
    assert ready.status_code == 503
    assert ready.json()["reason"] == "hub not ready"
    # When the database is back, the gateway answers and is ready again
    assert answered(gateway)["data"]["protectionStatus"]["found"] is False
    assert readiness(gateway).status_code == 200


def test_hub_gone_behind_the_gateway_is_a_503_and_not_ready(
    hub: LiveHub,  # noqa: F811
    gateway: Gateway,
) -> None:
    # Given a gateway that answers
    answered(gateway)
    # When the hub stops
    hub.stop()
    refused = lookup(gateway)
    ready = readiness(gateway)
    # Then the gateway says it failed (503, Retry-After) and is not ready
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "reason": "hub unreachable"}
    # and the document number looked up never reached the gateway's log (debug level)
    assert gateway.log is not None
    log = gateway.log.read_text(encoding="utf-8", errors="replace")
    assert log, "the gateway logged nothing at debug level"
    assert DOCUMENT["number"] not in log
