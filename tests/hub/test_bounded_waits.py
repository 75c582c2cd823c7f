"""Issue 18: every connection the hub opens has bounded lock and idle-in-transaction
waits. No lock is shared between instances on the read path (each appends to chains of
its own), and an append never waits for its own chain's row: one held by a stuck
transaction sends the batch to another chain."""

from __future__ import annotations

import time
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub import availability
from hub.readpool import libpq_url
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.access_reads import reads_logged

QUERY = """query Bloqueo%s($d: DocumentInput!) { protectionStatus(document: $d) { protected } }"""


async def _document(engine: AsyncEngine) -> str:
    case = (await make_cases(engine, 1, office_code="LIM", family_size=1))[0]
    async with engine.connect() as conn:
        return str(
            (
                await conn.execute(
                    text("SELECT number FROM identity_document WHERE person_id = :p"),
                    {"p": case.person_ids[0]},
                )
            ).scalar_one()
        )


def _lookup(hub: LiveHub, name: str, number: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/graphql",
        json={
            "query": QUERY % name,
            "variables": {"d": {"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"}},
        },
        headers={
            "Authorization": f"Bearer {mint('migraciones')}",
            "X-Purpose": "deportation-protection",
        },
        timeout=30,
    )


def _show(conn: Any, setting: str) -> str:
    return str(conn.execute(f"SHOW {setting}").fetchone()[0])


async def test_every_pool_of_the_hub_bounds_lock_and_idle_waits(live_hub: LiveHub) -> None:
    # Given a running hub: its engine, its read pool and its access-log pool
    state = live_hub.app.state.hub
    pools = {"consultas": state.pool, "registro": state.services["access_log_pool"]}
    # When each one's connection is asked for its settings
    seen = {}
    for name, pool in pools.items():
        async with pool.connection() as conn:
            row = await (
                await conn.execute(
                    "SELECT current_setting('lock_timeout'),"
                    " current_setting('idle_in_transaction_session_timeout')"
                )
            ).fetchone()
            seen[name] = tuple(row)
    async with state.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT current_setting('lock_timeout'),"
                    " current_setting('idle_in_transaction_session_timeout')"
                )
            )
        ).one()
        seen["engine"] = tuple(row)
    # Then every one carries the documented bounds (2 s, 10 s)
    assert seen == {name: ("2s", "10s") for name in ("consultas", "registro", "engine")}


def _lock_the_writers_chain(hub: LiveHub, conn: Any) -> str:
    """Take, in ``conn``'s transaction, the row of the chain this hub's log writer appends
    to (the one lock left on the read path, and no other instance's); its name."""
    owner = hub.app.state.hub.services["access_log_writer"].owner
    row = conn.execute(
        "SELECT chain_id FROM access_chain WHERE lease_owner = %s FOR UPDATE", (owner,)
    ).fetchone()
    assert row is not None
    return str(row[0])


async def test_a_held_chain_row_does_not_hold_up_a_lookup_another_chain_logs_it(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a protected person looked up once (the hub's writer holds a chain), and a
    # connection that took that chain's row and stopped (a transaction left open)
    number = await _document(engine)
    assert _lookup(live_hub, "Previa", number).status_code == 200
    with psycopg.connect(libpq_url(live_hub.app.state.hub.database_url)) as stuck:
        held = _lock_the_writers_chain(live_hub, stuck)
        # When the Migration Office looks the person up on this hub
        answered = _lookup(live_hub, "OtraCadena", number)
        # Then it is answered (the writer skipped the held row: no wait, no 503)
        assert answered.status_code == 200, answered.text
        assert answered.json()["data"]["protectionStatus"]["protected"] is True
        stuck.rollback()
    # and logged exactly once, on another chain
    assert len(await reads_logged(engine, "BloqueoOtraCadena", who="agency")) == 1
    async with engine.connect() as conn:
        chain = (
            await conn.execute(
                text("SELECT chain FROM access_log WHERE operation = 'BloqueoOtraCadena'")
            )
        ).scalar_one()
    assert chain != held


async def test_a_frozen_holder_is_cut_off_by_the_idle_bound(
    live_hub: LiveHub, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a connection opened with the hub's options (idle bound shortened to 1 s)
    # that takes a chain's row inside a transaction and then does nothing (frozen)
    monkeypatch.setattr(availability, "IDLE_IN_TRANSACTION_MS", 1000)
    number = await _document(engine)
    assert _lookup(live_hub, "AntesDelCorte", number).status_code == 200
    url = libpq_url(live_hub.app.state.hub.database_url)
    frozen = psycopg.connect(url, **availability.connection_options())  # type: ignore[arg-type]
    try:
        assert _show(frozen, "idle_in_transaction_session_timeout") == "1s"
        _lock_the_writers_chain(live_hub, frozen)
        pid = frozen.info.backend_pid
        # When it stays idle past the bound
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with psycopg.connect(url, autocommit=True) as probe:
                alive = probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)
                ).fetchone()
            if alive == (0,):
                break
            time.sleep(0.2)
        # Then the server closed it and released the row: the hub's lookups are logged
        answered = _lookup(live_hub, "TrasCorte", number)
        assert answered.status_code == 200, answered.text
        assert len(await reads_logged(engine, "BloqueoTrasCorte", who="agency")) == 1
        with pytest.raises(psycopg.errors.IdleInTransactionSessionTimeout):
            frozen.execute("SELECT 1")
    finally:
        frozen.close()
