"""Issue 18: several hub instances on one database behave as one deployment — a
protection change made through one instance reaches subscribers on every instance,
exactly once; the pre-registration limit holds for the instances together; a persisted
query registered on one instance runs on another (a separate `qhub serve` process)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.readpool import libpq_url
from hub.settings import load_settings
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.test_agency_read_logging import ask, logged, subscribe
from tests.hub.test_db_faults import qhub_serve
from tests.hub.test_input_limits import send
from tests.hub.test_pre_registration import submission
from tests.hub.test_serve_workers import _wait_ready


@pytest.fixture(scope="module")
def two_hubs(database_url: str) -> Iterator[tuple[LiveHub, LiveHub]]:
    a, b = LiveHub(database_url).start(), LiveHub(database_url).start()
    yield a, b
    a.stop()
    b.stop()


def ws(hub: LiveHub) -> str:
    return hub.url.replace("http://", "ws://") + "/graphql"


async def test_a_change_through_one_instance_reaches_subscribers_of_both_once(
    two_hubs: tuple[LiveHub, LiveHub], engine: AsyncEngine
) -> None:
    a, b = two_hubs
    # Given a pending case, and the Migration Office subscribed on instance B and on A
    case = (await make_cases(engine, 1, office_code="LIM", family_size=2))[0]
    before = len(await logged(engine, "CambiosEnVivo"))
    on_b = await subscribe(ws(b), mint("migraciones"))
    on_a = await subscribe(ws(a), mint("migraciones"))
    try:
        # When a supervisor withdraws the claim through instance A
        moved = await asyncio.to_thread(
            ask,
            a,
            mint("cepr-supervisor", office="LIM"),
            """mutation($n: Int!) { changeCaseStatus(caseNumber: $n, to: WITHDRAWN,
               reason: "Desiste") { toStatus } }""",
            {},
            n=case.number,
        )
        assert moved["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
        # Then the subscriber on B is told, and so is the one on A
        expected = {"caseNumber": case.number, "protected": False}
        for sub in (on_b, on_a):
            message = json.loads(await asyncio.wait_for(sub.recv(), 10))
            assert message["type"] == "next"
            assert message["payload"]["data"]["protectionStatusChanged"] == expected
        # and neither gets it twice: the next thing each receives answers its own ping
        for sub in (on_b, on_a):
            await sub.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(sub.recv(), 10)) == {"type": "pong"}
    finally:
        await on_b.close()
        await on_a.close()
    # and each delivery is logged once, against the case's persons
    assert (await logged(engine, "CambiosEnVivo"))[before:] == [
        ("migraciones", ["status"], sorted(case.person_ids))
    ] * 2


@pytest.fixture(scope="module")
def two_limited_hubs(database_url: str) -> Iterator[tuple[LiveHub, LiveHub]]:
    settings = dataclasses.replace(
        load_settings(), pre_registration_rate_per_minute=3, trusted_proxies="127.0.0.0/8"
    )
    a, b = LiveHub(database_url, settings).start(), LiveHub(database_url, settings).start()
    yield a, b
    a.stop()
    b.stop()


async def test_two_instances_together_let_through_the_limit_once(
    two_limited_hubs: tuple[LiveHub, LiveHub], engine: AsyncEngine
) -> None:
    a, b = two_limited_hubs
    citizen = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    async with engine.connect() as conn:  # not across a minute's edge (a fixed window)
        second = (await conn.execute(text("SELECT extract(second FROM now())"))).scalar_one()
    if second > 50:
        await asyncio.sleep(61 - float(second))
    documents = [str(uuid.uuid4().int % 10**8).zfill(8) for _ in range(6)]
    # When one citizen (as the proxy forwards them) submits six pre-registrations,
    # alternating between instances A and B, with a limit of 3 a minute on each
    codes = []
    for index, doc in enumerate(documents):
        body = await asyncio.to_thread(send, (a, b)[index % 2], submission(doc), citizen)
        codes.append(body["errors"][0]["extensions"]["code"] if body.get("errors") else None)
    # Then the deployment let three through, and refused the rest
    assert codes == [None, None, None, "RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED"]
    # and only the three admitted exist
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE number = ANY(:d) ORDER BY 1"),
                {"d": documents},
            )
        ).scalars()
        assert sorted(stored) == sorted(documents[:3])


def _apq(url: str, digest: str, query: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if query is not None:
        body["query"] = query
    response = httpx.post(f"{url}/graphql", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_persisted_query_registered_on_one_instance_runs_on_another(
    live_hub: LiveHub, database_url: str, tmp_path: Path
) -> None:
    # Given instance B, another `qhub serve` process on the same database, running
    env = {"QHUB_DATABASE_URL": libpq_url(database_url), "QHUB_DATA_DIR": str(tmp_path)}
    proc, url = qhub_serve(env)
    try:
        _wait_ready(url, proc)
        # When a query is registered by its hash on instance A (this process)
        first = f"{{ offices {{ code name }} }} # {uuid.uuid4()}"
        first_hash = hashlib.sha256(first.encode()).hexdigest()
        registered = _apq(live_hub.url, first_hash, first)
        assert "errors" not in registered and len(registered["data"]["offices"]) == 14
        # Then the hash alone runs on B at once, with the same answer (no wait, no retry)
        assert _apq(url, first_hash) == registered
        # and a text stored without any notification (one B never heard of) runs on B
        # too, on its first request: B looks a hash it does not know up in PostgreSQL
        second = f"{{ offices {{ code }} }} # {uuid.uuid4()}"
        second_hash = hashlib.sha256(second.encode()).hexdigest()
        assert _apq(url, second_hash)["errors"][0]["extensions"]["code"] == (
            "PERSISTED_QUERY_NOT_FOUND"
        )
        with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO persisted_query (sha256, query) VALUES (%s, %s)",
                (second_hash, second),
            )
        answer = _apq(url, second_hash)
        assert "errors" not in answer and len(answer["data"]["offices"]) == 14
        # while a row whose text does not match its hash is not believed
        forged = "0" * 63 + "1"
        with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO persisted_query (sha256, query) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (forged, "{ offices { code } }"),
            )
        assert _apq(url, forged)["errors"][0]["extensions"]["code"] == ("PERSISTED_QUERY_NOT_FOUND")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
