"""`qhub serve --workers 2`: several processes over one embedded PostgreSQL; writes from
both land in the access log, each process on chains of its own, every chain intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psutil

from tests.conftest import free_port
from tests.hub.test_pre_registration import MUTATION, submission


def _wait_ready(base: str, proc: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    while time.monotonic() - started < 90:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        time.sleep(0.5)
    raise AssertionError("the hub did not become ready")


def test_two_workers_serve_and_keep_the_access_log_intact(tmp_path: Path) -> None:
    # Given the hub on a fresh data folder with two worker processes
    port = free_port()
    env = {
        **os.environ,
        "QHUB_DATA_DIR": str(tmp_path / "data"),
        "QHUB_PRE_REGISTRATION_RATE_PER_MINUTE": "1000",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)

        # When 40 pre-registrations arrive at once (each is a logged write)
        def submit(i: int) -> dict[str, Any]:
            doc = str(30_000_000 + i)
            response = httpx.post(
                f"{base}/graphql",
                json={"query": MUTATION, "variables": {"input": submission(doc)}},
                timeout=60,
            )
            assert response.status_code == 200, response.text
            return response.json()  # type: ignore[no-any-return]

        with ThreadPoolExecutor(16) as pool:
            bodies = list(pool.map(submit, range(40)))
        # Then every one is answered with its own case number
        assert [b.get("errors") for b in bodies] == [None] * 40, bodies[0]
        numbers = {b["data"]["preRegister"]["caseNumber"] for b in bodies}
        assert len(numbers) == 40
        # and the uvicorn supervisor really runs two processes
        workers = [
            c for c in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(c.cmdline())
        ]
        assert len(workers) == 2
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    # and the access log, written by both processes, verifies (every chain)
    verified = subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Cadena íntegra: 40 entradas" in verified.stdout
