"""`qhub serve --demo` on a fresh data folder: embedded PostgreSQL, demo data, ready fast."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port


def test_serve_demo_from_nothing(tmp_path: Path) -> None:
    # Given an empty data folder and a free port
    port = free_port()
    env = {**os.environ, "QHUB_DATA_DIR": str(tmp_path / "data")}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # When it starts, it becomes ready within 60 seconds
        ready = None
        while time.monotonic() - started < 60:
            try:
                ready = httpx.get(f"{base}/readyz", timeout=1)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.5)
        assert ready is not None and ready.status_code == 200
        # Then an officer logs in with the printed demo credentials and lists cases
        login = httpx.post(
            f"{base}/oauth/token",
            data={
                "grant_type": "password",
                "client_id": "qhub-console",
                "username": "sup1.lim",
                "password": "demo-qoricancha",
            },
        )
        assert login.status_code == 200, login.text
        response = httpx.post(
            f"{base}/graphql",
            json={
                "query": "{ cases(first: 5) { edges { node { number principal { fullName } } } } }"
            },
            headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        )
        edges = response.json()["data"]["cases"]["edges"]
        assert len(edges) == 5 and all(e["node"]["principal"]["fullName"] for e in edges)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    # and it printed where to go and how to get a token
    assert f"{base}/graphql" in output
    assert "qhub token" in output
    assert "5000" in output
