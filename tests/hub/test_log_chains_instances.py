"""Issue 18, with three separate ``qhub serve`` processes on one PostgreSQL: agency lookups
driven through all of them at once are each logged exactly once, every chain and a
checkpoint verify (``qhub audit verify``), and an edit of one row of one chain is named;
a change made through one instance reaches a subscriber on another once, and a query
registered on one runs on the others;
an instance frozen (SIGSTOP) mid-load, inside a logged write (its chain's row held), does
not slow the others (p99 under 1 s) nor stop their writes, their reads are logged, and
once it thaws it answers and logs again with the log intact."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from hub.db import create_engine as create_async
from hub.readpool import libpq_url
from hub.settings import load_settings
from tests.auth.tokens import mint
from tests.conftest import create_database, drop_database
from tests.factories import make_cases
from tests.hub.test_agency_read_logging import subscribe
from tests.hub.test_db_faults import qhub_serve
from tests.hub.test_pre_registration import MUTATION, submission
from tests.hub.test_serve_workers import _wait_ready
from tests.qhub_cli import run_qhub

LOOKUP = "query %s($d: DocumentInput!) { protectionStatus(document: $d) { protected } }"


@dataclass
class Deployment:
    url: str  # the database (SQLAlchemy form)
    procs: list[subprocess.Popen[str]]
    bases: list[str]
    data_dirs: list[Path]
    documents: list[str]
    token: str  # the Migration Office's (minted once: the CLI runner is not thread-safe)
    supervisor: str  # a Lima supervisor's


@pytest.fixture(scope="module")
def deployment(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Three instances (own data folders, the deployment's keys) on a database of their own."""
    url = create_database(server_url, "qhub_instances")
    root = tmp_path_factory.mktemp("instances")
    documents = _documents(url, 30)
    procs, bases, dirs = [], [], []
    for index in range(3):
        data = root / f"data{index}"
        shutil.copytree(load_settings().keys_dir, data / "keys")  # tokens the tests mint
        env = {
            "QHUB_DATABASE_URL": libpq_url(url),
            "QHUB_DATA_DIR": str(data),
            "QHUB_CHECKPOINT_SECONDS": "0",
            "QHUB_PRE_REGISTRATION_RATE_PER_MINUTE": "1000000",
        }
        proc, base = qhub_serve(env)
        procs.append(proc)
        bases.append(base)
        dirs.append(data)
    try:
        for proc, base in zip(procs, bases, strict=True):
            _wait_ready(base, proc)
        yield Deployment(
            url,
            procs,
            bases,
            dirs,
            documents,
            mint("migraciones"),
            mint("cepr-supervisor", office="LIM"),
        )
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGCONT)
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        drop_database(server_url, url)


def _documents(url: str, count: int) -> list[str]:
    import asyncio

    async def make() -> list[int]:
        engine = create_async(url, load_settings())
        try:
            cases = await make_cases(engine, count, office_code="LIM", family_size=1)
        finally:
            await engine.dispose()
        return [c.person_ids[0] for c in cases]

    persons = asyncio.run(make())
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT number FROM identity_document WHERE person_id = ANY(%s)", (persons,)
        ).fetchall()
    return [str(r[0]) for r in rows]


def _lookup(
    client: httpx.Client, deployment: Deployment, base: str, name: str, number: str
) -> httpx.Response:
    return client.post(
        f"{base}/graphql",
        json={
            "query": LOOKUP % name,
            "variables": {"d": {"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"}},
        },
        headers={
            "Authorization": f"Bearer {deployment.token}",
            "X-Purpose": "deportation-protection",
        },
        timeout=60,
    )


def _logged(url: str, prefix: str) -> dict[str, int]:
    """Read entries per operation whose name starts with ``prefix``."""
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT operation, count(*) FROM access_log WHERE action = 'read'"
            " AND operation LIKE %s GROUP BY operation",
            (prefix + "%",),
        ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def _verify(deployment: Deployment, *args: str) -> subprocess.CompletedProcess[str]:
    return run_qhub(deployment.url, deployment.data_dirs[0], "audit", "verify", *args)


def test_lookups_through_three_instances_are_logged_once_and_every_chain_verifies(
    deployment: Deployment,
) -> None:
    # Given three instances on one database
    # When 180 lookups, each its own operation, are driven through all three at once
    def drive(worker: int) -> list[tuple[str, int]]:
        base = deployment.bases[worker % 3]
        done = []
        with httpx.Client() as client:
            for i in range(15):
                name = f"Tres{worker}x{i}"
                number = deployment.documents[(worker + i) % len(deployment.documents)]
                done.append((name, _lookup(client, deployment, base, name, number).status_code))
        return done

    with ThreadPoolExecutor(12) as pool:
        results = [r for batch in pool.map(drive, range(12)) for r in batch]
    # Then every one is answered, and each answered lookup is logged exactly once
    assert [status for _, status in results] == [200] * 180
    assert _logged(deployment.url, "Tres") == {name: 1 for name, _ in results}
    # and the instances appended to chains of their own (at least one each)
    with psycopg.connect(libpq_url(deployment.url)) as conn:
        chains = conn.execute(
            "SELECT count(DISTINCT chain) FROM access_log WHERE operation LIKE 'Tres%'"
        ).fetchone()
    assert chains is not None and chains[0] >= 3
    # and every chain verifies, and a checkpoint of them all signs and verifies
    verified = _verify(deployment)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Cadena íntegra" in verified.stdout
    signed = run_qhub(deployment.url, deployment.data_dirs[0], "audit", "checkpoint")
    assert signed.returncode == 0, signed.stdout + signed.stderr
    folder = str(deployment.data_dirs[0] / "checkpoints")
    against = _verify(deployment, "--checkpoints", folder)
    assert against.returncode == 0, against.stdout + against.stderr
    # When one row of one chain is edited in the database (behind the trigger)
    with psycopg.connect(libpq_url(deployment.url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT id, chain, subject FROM access_log WHERE operation = 'Tres4x7'"
        ).fetchone()
        assert row is not None
        _edit(conn, row[0], "otra-persona")
        try:
            tampered = _verify(deployment, "--checkpoints", folder)
        finally:
            _edit(conn, row[0], row[2])
    # Then the command fails and names that chain and that entry
    assert tampered.returncode == 1, tampered.stdout
    assert f"cadena {row[1]}: el contenido no coincide con su huella" in tampered.stdout
    assert f"entrada {row[0]}" in tampered.stdout
    assert _verify(deployment).returncode == 0  # the edit undone, the log verifies again


async def test_a_change_through_a_reaches_c_once_and_a_query_known_to_a_runs_on_b_and_c(
    deployment: Deployment,
) -> None:
    # Given the Migration Office subscribed on instance C, and a pending case
    (number,) = await _case_numbers(deployment.url, 1)
    ws_c = deployment.bases[2].replace("http://", "ws://") + "/graphql"
    on_c = await subscribe(ws_c, deployment.token)
    try:
        # When a supervisor withdraws the claim through instance A
        moved = httpx.post(
            f"{deployment.bases[0]}/graphql",
            json={
                "query": "mutation Retiro($n: Int!) { changeCaseStatus(caseNumber: $n,"
                ' to: WITHDRAWN, reason: "Desiste") { toStatus } }',
                "variables": {"n": number},
            },
            headers={"Authorization": f"Bearer {deployment.supervisor}"},
            timeout=60,
        ).json()
        assert moved["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
        # Then the subscriber on C is told once (the next message answers its own ping)
        message = json.loads(await asyncio.wait_for(on_c.recv(), 20))
        assert message["type"] == "next"
        assert message["payload"]["data"]["protectionStatusChanged"] == {
            "caseNumber": number,
            "protected": False,
        }
        await on_c.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(on_c.recv(), 20)) == {"type": "pong"}
    finally:
        await on_c.close()
    # and the delivery to the agency is logged once
    assert _logged(deployment.url, "CambiosEnVivo") == {"CambiosEnVivo": 1}

    # When a query is registered by its hash on A
    text = f"{{ offices {{ code }} }} # {uuid.uuid4()}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    extension = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registered = httpx.post(
        f"{deployment.bases[0]}/graphql",
        json={"query": text, "extensions": extension},
        timeout=60,
    ).json()
    assert len(registered["data"]["offices"]) == 14
    # Then the hash alone runs on B and on C at once, with the same answer
    for base in deployment.bases[1:]:
        answer = httpx.post(f"{base}/graphql", json={"extensions": extension}, timeout=60)
        assert answer.json() == registered, base


async def _case_numbers(url: str, count: int) -> list[int]:
    engine = create_async(url, load_settings())
    try:
        cases = await make_cases(engine, count, office_code="LIM", family_size=1)
    finally:
        await engine.dispose()
    return [c.number for c in cases]


def _edit(conn: psycopg.Connection[Any], entry_id: int, subject: str) -> None:
    with conn.transaction():
        conn.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        conn.execute("UPDATE access_log SET subject = %s WHERE id = %s", (subject, entry_id))
        conn.execute("ALTER TABLE access_log ENABLE TRIGGER USER")


def _inside_a_write(url: str, pid: int) -> bool:
    """Whether instance ``pid`` (stopped) is inside a logged write: a transaction of it
    has claimed one of its chains (the row stays locked until that transaction ends)."""
    owners = f"%:{pid}:%/writes"
    with psycopg.connect(libpq_url(url)) as conn:
        total = conn.execute(
            "SELECT count(*) FROM access_chain WHERE lease_owner LIKE %s", (owners,)
        ).fetchone()
        free = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM access_chain WHERE lease_owner LIKE %s"
            " FOR UPDATE SKIP LOCKED) f",
            (owners,),
        ).fetchone()
        conn.rollback()
    return total is not None and free is not None and total[0] > free[0]


def _freeze_inside_a_write(url: str, proc: subprocess.Popen[str]) -> None:
    """SIGSTOP ``proc`` at a moment it holds its chain's row inside a write (stopped and
    looked at, let go for a few ms when it is not, up to 200 times)."""
    for attempt in range(200):
        os.kill(proc.pid, signal.SIGSTOP)
        # looked at twice: a COMMIT sent just before the stop still ends the transaction
        # (the server runs it), and the instance is then no longer inside a write
        if _inside_a_write(url, proc.pid):
            time.sleep(0.2)
            if _inside_a_write(url, proc.pid):
                return
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.003 * (attempt % 7))
    raise AssertionError("the instance was never caught inside a write")


def test_a_frozen_instance_does_not_slow_the_others_and_resumes(deployment: Deployment) -> None:
    frozen, others = deployment.procs[0], deployment.bases[1:]
    # Given load on all three instances: lookups everywhere, and pre-registrations
    # (logged writes, each in a transaction on a chain of its instance) on the instance
    # about to freeze and on another
    stop = threading.Event()
    timings: list[tuple[float, float, str, int]] = []  # start, seconds, operation, status
    writes: list[tuple[float, str, bool]] = []  # start, instance, answered without errors
    lock = threading.Lock()

    def look(worker: int, base: str) -> None:
        n = 0
        with httpx.Client() as client:
            while not stop.is_set():
                n += 1
                name = f"Helada{worker}x{n}"
                number = deployment.documents[n % len(deployment.documents)]
                started = time.monotonic()
                status = _lookup(client, deployment, base, name, number).status_code
                with lock:
                    timings.append((started, time.monotonic() - started, name, status))

    def register(worker: int, base: str) -> None:
        n = 0
        with httpx.Client() as client:
            while not stop.is_set():
                n += 1
                doc = str(60_000_000 + worker * 1_000_000 + n)
                started = time.monotonic()
                response = client.post(
                    f"{base}/graphql",
                    json={"query": MUTATION, "variables": {"input": submission(doc)}},
                    timeout=60,
                )
                ok = response.status_code == 200 and not response.json().get("errors")
                with lock:
                    writes.append((started, base, ok))

    threads = [threading.Thread(target=look, args=(w, others[w % 2])) for w in range(4)] + [
        threading.Thread(target=look, args=(9, deployment.bases[0])),
        threading.Thread(target=register, args=(0, deployment.bases[0])),
        threading.Thread(target=register, args=(1, others[0])),
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        # When the first instance is frozen for 5 s mid-load, inside a logged write
        # (holding its chain's row; its log writer holds nothing between statements)
        _freeze_inside_a_write(deployment.url, frozen)
        frozen_at = time.monotonic()
        time.sleep(5)
        thawed_at = time.monotonic()
        assert _inside_a_write(deployment.url, frozen.pid)  # still, all along
        os.kill(frozen.pid, signal.SIGCONT)
        time.sleep(1.5)
    finally:
        os.kill(frozen.pid, signal.SIGCONT)
        stop.set()
        for thread in threads:
            thread.join(90)
    # Then the other instance's pre-registrations went on meanwhile, on chains of its own
    meanwhile = [
        ok for started, base, ok in writes if base == others[0] and frozen_at <= started < thawed_at
    ]
    assert meanwhile and all(meanwhile), meanwhile
    # Then the other two kept answering while it was frozen, p99 under a second
    during = sorted(
        seconds
        for started, seconds, name, status in timings
        if frozen_at <= started < thawed_at and not name.startswith("Helada9x")
    )
    assert len(during) >= 20, len(during)
    statuses = {s for started, _, n, s in timings if frozen_at <= started < thawed_at}
    assert statuses == {200}
    p99 = during[min(len(during) - 1, int(len(during) * 0.99))]
    assert p99 < 1.0, f"p99 {p99:.3f} s over {len(during)} lookups"
    # and every answered lookup, on any instance, is logged exactly once
    answered = {name for _, _, name, status in timings if status == 200}
    assert _logged(deployment.url, "Helada") == dict.fromkeys(answered, 1)
    # and the thawed instance answers and logs again
    with httpx.Client() as client:
        again = _lookup(
            client, deployment, deployment.bases[0], "DeshieloFinal", deployment.documents[0]
        )
    assert again.status_code == 200, again.text
    assert _logged(deployment.url, "DeshieloFinal") == {"DeshieloFinal": 1}
    # and every chain verifies
    verified = _verify(deployment)
    assert verified.returncode == 0, verified.stdout + verified.stderr
