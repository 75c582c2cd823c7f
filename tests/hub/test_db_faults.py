"""Honest failure and no write without its log entry, on a PostgreSQL server of this
module's own (stopped, restarted, made read-only, and a hub killed mid-load)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from hub.db import ensure_database
from hub.embedded import restart_server, sqlalchemy_url, start_embedded, start_server, stop_server
from hub.migrations import upgrade
from tests.auth.tokens import mint
from tests.conftest import ROOT, LiveHub, free_port
from tests.hub.test_pre_registration import MUTATION, submission

CASES = "{ cases(first: 1) { edges { node { number } } } }"
SUPERVISOR = {"Authorization": f"Bearer {mint('cepr-supervisor', office='LIM')}"}


@pytest.fixture(scope="module")
def own_server() -> Iterator[Any]:
    # under var/ (pytest's temporary folders are closed to the server's system user)
    # a folder of its own each time: the wheel keeps one handle per folder for the process
    pg_dir = ROOT / "var" / f"test-faults-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    server = start_embedded(pg_dir)
    yield server
    stop_server(server, mode="immediate")
    shutil.rmtree(pg_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_url(own_server: Any) -> str:
    ensure_database(own_server, "qhub")
    url = sqlalchemy_url(own_server, "qhub")
    upgrade(url)
    return url


@pytest.fixture(scope="module")
def hub(own_url: str) -> Iterator[LiveHub]:
    live = LiveHub(own_url).start()
    yield live
    live.stop()


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def ask(hub: LiveHub, query: str = CASES, **kwargs: Any) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/graphql", json={"query": query, **kwargs}, headers=SUPERVISOR, timeout=60
    )


def pre_register(url: str, doc: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json={"query": MUTATION, "variables": {"input": submission(doc)}},
        timeout=60,
    )


def count(url: str, sql: str) -> int:
    with psycopg.connect(libpq(url)) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def qhub_serve(env: dict[str, str], output: bool = False) -> tuple[subprocess.Popen[str], str]:
    """``qhub serve`` in its own process with ``env`` added (webhooks off); its URL.
    ``output``: its stdout and stderr readable as text, else discarded."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--port", str(port)],
        env={**os.environ, "QHUB_WEBHOOK_DISPATCH": "0", **env},
        cwd=ROOT,
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
        text=True,
    )
    return proc, f"http://127.0.0.1:{port}"


def assert_every_write_logged(url: str, env: dict[str, str]) -> None:
    """Every committed case has its write-log entry, no staged change is left outside
    the chain, and ``qhub audit verify`` (run with ``env``) finds the chain intact."""
    for _ in range(100):  # requests cancelled mid-write may still be rolling back
        if count(url, "SELECT count(*) FROM write_change") == 0:
            break
        time.sleep(0.1)
    assert count(url, "SELECT count(*) FROM write_change") == 0
    unlogged = (
        "SELECT count(*) FROM case_file c WHERE NOT EXISTS (SELECT 1 FROM access_log a,"
        " jsonb_array_elements(a.changes -> 'rows') r WHERE r ->> 'table' = 'case_file'"
        " AND (r -> 'key' ->> 'id')::bigint = c.id)"
    )
    assert count(url, unlogged) == 0
    verify = subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", "verify"],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "Cadena íntegra" in verify.stdout


def until_answered(hub: LiveHub) -> httpx.Response:
    for _ in range(300):
        response = ask(hub)
        if response.status_code == 200:
            return response
        time.sleep(0.1)
    raise AssertionError(f"the hub did not answer again: {response.text}")


def test_database_stopped_and_started_under_a_live_hub(
    own_server: Any, own_url: str, hub: LiveHub
) -> None:
    # Given a hub that answers
    assert ask(hub).json() == {"data": {"cases": {"edges": []}}}
    assert httpx.get(f"{hub.url}/readyz").status_code == 200
    cases_before = count(own_url, "SELECT count(*) FROM case_file")
    # When its database stops
    stop_server(own_server)
    try:
        lookup = ask(hub)
        write = pre_register(hub.url, "51000001")
        ready = httpx.get(f"{hub.url}/readyz", timeout=30)
    finally:
        start_server(own_server)
    # Then a read and a write are refused with 503, the code and Retry-After, no data
    for refused in (lookup, write):
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "5"
        body = refused.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["DATABASE_UNAVAILABLE"]
    # and readiness says so
    assert ready.status_code == 503
    assert ready.json()["reason"] == "database unreachable"
    # When the database is back, the hub answers again and is ready
    assert until_answered(hub).json() == {"data": {"cases": {"edges": []}}}
    assert httpx.get(f"{hub.url}/readyz").json()["status"] == "ready"
    # and the refused write left nothing
    assert count(own_url, "SELECT count(*) FROM case_file") == cases_before


def test_a_login_while_the_database_is_down_is_503(own_server: Any, hub: LiveHub) -> None:
    # Given the database is stopped (accounts and the login throttle's counters are there)
    stop_server(own_server)
    try:
        # When an officer tries to log in
        response = httpx.post(
            f"{hub.url}/oauth/token",
            data={
                "grant_type": "password",
                "client_id": "qhub-console",
                "username": "alguien",
                "password": "clave",
            },
            timeout=30,
        )
    finally:
        start_server(own_server)
    # Then the answer says the service is unavailable and when to retry, not a 500
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert (body["error"], body["code"]) == ("temporarily_unavailable", "DATABASE_UNAVAILABLE")
    assert "access_token" not in body
    until_answered(hub)


def test_a_routine_restart_fails_no_request(own_server: Any, hub: LiveHub) -> None:
    # Given a hub whose pool holds connections
    assert [ask(hub).status_code for _ in range(5)] == [200] * 5
    # When PostgreSQL restarts (every pooled connection is now stale)
    restart_server(own_server)
    # Then the next requests are all answered (stale connections are checked and replaced)
    assert [ask(hub).status_code for _ in range(20)] == [200] * 20


def test_read_only_database_is_not_ready_and_refuses_writes(
    own_server: Any, own_url: str, hub: LiveHub
) -> None:
    admin = libpq(sqlalchemy_url(own_server, "postgres"))
    cases_before = count(own_url, "SELECT count(*) FROM case_file")
    # Given a database that only accepts reads
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET default_transaction_read_only = on")
        conn.execute("SELECT pg_reload_conf()")
    for _ in range(100):  # the reload reaches the server's processes asynchronously
        with psycopg.connect(libpq(own_url)) as conn:
            setting = conn.execute("SHOW default_transaction_read_only").fetchone()
        if setting == ("on",):
            break
        time.sleep(0.1)
    time.sleep(0.5)
    try:
        ready = httpx.get(f"{hub.url}/readyz")
        write = pre_register(hub.url, "51000002")
        read = ask(hub)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM RESET default_transaction_read_only")
            conn.execute("SELECT pg_reload_conf()")
    # Then readiness is 503 with the reason, a write is 503 DATABASE_READ_ONLY, reads work
    assert ready.status_code == 503
    assert ready.json()["reason"] == "database read-only"
    assert write.status_code == 503, write.text
    assert [e["extensions"]["code"] for e in write.json()["errors"]] == ["DATABASE_READ_ONLY"]
    assert read.status_code == 200
    assert count(own_url, "SELECT count(*) FROM case_file") == cases_before


def test_hub_killed_mid_write_load_loses_no_acknowledged_write(
    own_url: str, tmp_path: Path
) -> None:
    # Given a hub in its own process, taking pre-registrations from 6 clients
    env = {
        "QHUB_DATABASE_URL": libpq(own_url),
        "QHUB_DATA_DIR": str(tmp_path / "data"),
        "QHUB_PRE_REGISTRATION_RATE_PER_MINUTE": "1000000",
    }
    proc, url = qhub_serve(env)
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                response = pre_register(url, f"6{worker:02d}{n:05d}")
            except httpx.HTTPError:
                continue
            if response.status_code == 200 and response.json().get("data"):
                with lock:
                    acknowledged.append(response.json()["data"]["preRegister"]["caseNumber"])

    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        threads = [threading.Thread(target=client, args=(w,)) for w in range(6)]
        for thread in threads:
            thread.start()
        # When the hub is killed (SIGKILL) while writes are in flight
        while len(acknowledged) < 150:
            assert proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
    for thread in threads:
        thread.join()
    # Then every acknowledged write is in the database
    numbers = ",".join(str(n) for n in acknowledged)
    assert count(own_url, f"SELECT count(*) FROM case_file WHERE number IN ({numbers})") == len(
        set(acknowledged)
    )
    # and every committed case has its log entry, and the chain verifies
    assert_every_write_logged(own_url, env)


def test_hub_started_before_its_database_waits_and_says_so(
    own_server: Any, own_url: str, tmp_path: Path
) -> None:
    # Given the database is down when the hub starts
    stop_server(own_server)
    env = {"QHUB_DATABASE_URL": libpq(own_url), "QHUB_DATA_DIR": str(tmp_path / "data")}
    proc, url = qhub_serve(env, output=True)
    try:
        # When it has tried for a while
        assert proc.stdout is not None
        first = proc.stdout.readline()
        while "no responde todavía" not in first:
            assert proc.poll() is None, first
            first = proc.stdout.readline()
        # Then it is still running and says it waits; when the database comes, it is ready
        assert proc.poll() is None
        start_server(own_server)
        ready = 0
        for _ in range(300):
            try:
                ready = httpx.get(f"{url}/readyz").status_code
            except httpx.HTTPError:
                ready = 0
            if ready == 200:
                break
            time.sleep(0.1)
        assert ready == 200
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
        start_server_if_stopped(own_server)


def start_server_if_stopped(server: Any) -> None:
    from hub.embedded import server_running

    if not server_running(server):
        start_server(server)
