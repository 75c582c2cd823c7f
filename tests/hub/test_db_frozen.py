"""A database that stops answering (its processes frozen with SIGSTOP, on a PostgreSQL
server of this module's own): requests are answered 503 within seconds, ``/readyz``
says so, the hub answers again within 2 s of the server's return, no acknowledged
write is lost and the access log's chain verifies."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from hub.settings import load_settings
from tests.conftest import LiveHub
from tests.hub.test_db_faults import (
    ask,
    assert_every_write_logged,
    count,
    libpq,
    own_server,
    own_url,
    pre_register,
)

__all__ = ["own_server", "own_url"]  # this module's own server (fixtures)


@pytest.fixture(scope="module")
def writable_hub(own_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(load_settings(), pre_registration_rate_per_minute=1_000_000)
    live = LiveHub(own_url, settings).start()
    yield live
    live.stop()


def server_processes(server: Any) -> list[psutil.Process]:
    """The postmaster and every process it started."""
    pid = int((Path(server.pgdata) / "postmaster.pid").read_text().split("\n", 1)[0])
    postmaster = psutil.Process(pid)
    return [postmaster, *postmaster.children(recursive=True)]


def signal_all(processes: list[psutil.Process], sig: signal.Signals) -> None:
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(sig)


class Writers:
    """Clients pre-registering without pause; every acknowledged case number kept."""

    def __init__(self, url: str, clients: int = 3) -> None:
        self.url = url
        self.acknowledged: list[int] = []
        self.refusals: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(c,)) for c in range(clients)]

    def _run(self, client: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                response = pre_register(self.url, f"7{client:02d}{n:05d}")
            except httpx.HTTPError:
                continue
            body = response.json()
            with self.lock:
                if response.status_code == 200 and body.get("data"):
                    self.acknowledged.append(body["data"]["preRegister"]["caseNumber"])
                else:
                    self.refusals.append(body["errors"][0]["extensions"]["code"])

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def test_a_frozen_database_is_answered_503_and_loses_nothing(
    own_server: Any, own_url: str, writable_hub: LiveHub, tmp_path: Path
) -> None:
    hub = writable_hub
    assert ask(hub).status_code == 200
    processes = server_processes(own_server)
    with Writers(hub.url) as writers:
        while len(writers.acknowledged) < 20:
            time.sleep(0.05)
        # When every process of the database server is frozen
        signal_all(processes, signal.SIGSTOP)
        frozen_at = time.monotonic()
        try:
            lookup = ask(hub)
            lookup_seconds = time.monotonic() - frozen_at
            ready = httpx.get(f"{hub.url}/readyz", timeout=30)
            refused_new = ask(hub)
            time.sleep(1)
        finally:
            signal_all(processes, signal.SIGCONT)
        resumed_at = time.monotonic()
        answered = ask(hub)
        while answered.status_code != 200 and time.monotonic() - resumed_at < 30:
            time.sleep(0.05)
            answered = ask(hub)
        recovery_seconds = time.monotonic() - resumed_at
        time.sleep(0.5)  # writes acknowledged after the return
    # Then a lookup in flight is answered 503 with the stable code within seconds
    for refused in (lookup, refused_new):
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "5"
        assert "data" not in refused.json()
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == [
            "DATABASE_UNAVAILABLE"
        ]
    assert lookup_seconds < 8, lookup_seconds
    # and readiness says so
    assert ready.status_code == 503
    assert ready.json()["reason"] == "database not responding"
    # and the writers were told the same, not left hanging
    assert "DATABASE_UNAVAILABLE" in writers.refusals
    # When the server runs again, the hub answers within 2 s
    assert answered.status_code == 200
    assert recovery_seconds < 2, recovery_seconds
    # and every acknowledged write is there, each in the chain, nothing staged left
    numbers = ",".join(str(n) for n in writers.acknowledged)
    assert count(own_url, f"SELECT count(*) FROM case_file WHERE number IN ({numbers})") == len(
        set(writers.acknowledged)
    )
    env = {"QHUB_DATABASE_URL": libpq(own_url), "QHUB_DATA_DIR": str(tmp_path / "data")}
    assert_every_write_logged(own_url, env)
    print(
        f"\nfrozen: first 503 after {lookup_seconds:.2f} s; answered again"
        f" {recovery_seconds:.2f} s after the return; {len(writers.acknowledged)} writes"
        f" acknowledged, {len(writers.refusals)} refused"
    )
