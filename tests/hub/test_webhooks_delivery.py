"""Webhooks end to end: a subscription made with ``qhub webhooks add``, a protection change
made over GraphQL, and the hub's own dispatcher posting the signed notice to the agency's
endpoint (a small HTTP server the test runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hub.db import create_engine
from hub.settings import load_settings
from services.casework.notifications import verify
from tests.auth.tokens import mint
from tests.conftest import LiveHub, create_database, drop_database, free_port
from tests.factories import make_cases
from tests.graphql_client import gql

RECEIVED: list[dict[str, Any]] = []


class _Agency(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        RECEIVED.append({"headers": dict(self.headers), "body": body})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def agency_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Agency)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/avisos"
    server.shutdown()


@pytest.fixture
def own_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_webhooks")
    yield url
    drop_database(server_url, url)


def qhub(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QHUB_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_a_protection_change_reaches_the_agency_signed(
    own_database: str, agency_endpoint: str
) -> None:
    # Given the Migration Office's endpoint registered with the command line
    added = qhub(
        own_database, "webhooks", "add", "--agency", "migraciones", "--url", agency_endpoint
    )
    assert added.returncode == 0, added.stdout + added.stderr
    secret = added.stdout.split("no se volverá a mostrar): ")[1].split()[0]
    # and a hub that delivers (the suite turns delivery off for shared databases)
    hub = LiveHub(own_database, replace(load_settings(), webhook_dispatch=True)).start()
    engine = create_engine(own_database, load_settings())
    try:
        case = (await make_cases(engine, 1, office_code="AQP", status="under_review"))[0]
        # When a supervisor records that the applicant withdrew the claim
        moved = gql(
            hub,
            mint("cepr-supervisor", office="LIM"),
            """mutation($n: Int!) { changeCaseStatus(caseNumber: $n, to: WITHDRAWN,
               reason: "Desistimiento por escrito") { toStatus } }""",
            n=case.number,
        )
        assert moved["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
        # Then the agency receives one signed notice, without personal data
        deadline = time.monotonic() + 20
        while not RECEIVED and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(RECEIVED) == 1
        notice = RECEIVED[0]
        headers = {k.lower(): v for k, v in notice["headers"].items()}
        assert verify(
            secret, headers["x-qhub-timestamp"], notice["body"], headers["x-qhub-signature"]
        )
        assert not verify(
            "otro-secreto", headers["x-qhub-timestamp"], notice["body"], headers["x-qhub-signature"]
        )
        payload = json.loads(notice["body"])
        assert payload["caseNumber"] == case.number
        assert (payload["protectionStatus"], payload["previousProtectionStatus"]) == (
            "withdrawn",
            "pending",
        )
        assert payload["protectedFromRemoval"] is False
        # and the subscription is listed, can be disabled, and bad ones are refused
        listed = qhub(own_database, "webhooks", "list")
        assert "migraciones" in listed.stdout and agency_endpoint in listed.stdout
        assert qhub(own_database, "webhooks", "disable", "1").returncode == 0
        refused = qhub(
            own_database, "webhooks", "add", "--agency", "interpol", "--url", "http://ejemplo.pe"
        )
        assert refused.returncode == 2
        assert "UNKNOWN_AGENCY" in refused.stdout and "INVALID_URL" in refused.stdout
    finally:
        hub.stop()
        await engine.dispose()
        RECEIVED.clear()
