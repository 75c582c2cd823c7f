"""Checkpoints anchor the access log outside the database: a chain recomputed after an
edit, a truncated chain and a forked one are each detected against the published
checkpoints, naming the checkpoint contradicted (by ``qhub audit verify --checkpoints``
too); checkpoints carry an RFC 3161 timestamp from the TSA and are served publicly."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from asn1crypto import x509 as asn1_x509

from auth.access_log import GENESIS, chain_hash, entry_for
from auth.access_log_append import append
from auth.checkpoint_audit import compare
from auth.checkpoint_files import load, opened, publish, timestamp_time, untrusted_timestamps
from auth.checkpoints import Checkpoint, CheckpointError, parse_body
from auth.keys import KeyStore
from auth.log_verify import verify_chain
from auth.principal import Principal
from hub.commands.data_at_rest import check_against
from hub.readpool import libpq_url
from hub.settings import load_settings
from models.vocab import Agency, Role
from tests.conftest import LiveHub, create_database, drop_database
from tests.qhub_cli import run_qhub
from tests.services.documents.test_timestamp import (  # the TSA fixture and its identity
    tsa,  # noqa: F401
    tsa_identity,
)

READER = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="lector")


@pytest.fixture(scope="module")
def own_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_checkpoints")
    yield url
    drop_database(server_url, url)


@pytest.fixture()
async def conn(own_database: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    async with await psycopg.AsyncConnection.connect(libpq_url(own_database), autocommit=True) as c:
        await _behind_the_trigger(  # a fresh log per test: one empty chain, main
            c,
            "DELETE FROM access_log",
            "DELETE FROM access_chain",
            "INSERT INTO access_chain (chain_id, head_hash)"
            " VALUES ('main', decode(repeat('00', 32), 'hex'))",
        )
        yield c


async def _behind_the_trigger(conn: psycopg.AsyncConnection[Any], *statements: str) -> None:
    """What someone with the database's superuser can do."""
    async with conn.transaction():
        for table in ("access_log", "access_chain"):
            await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for statement in statements:
            await conn.execute(statement)
        for table in ("access_log", "access_chain"):
            await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _head_moved_to_the_last_entry() -> str:
    """The statement a thorough tamperer adds: the chain's recorded head made to agree."""
    return (
        "UPDATE access_chain c SET entries = l.seq, head_hash = l.entry_hash FROM"
        " (SELECT seq, entry_hash FROM access_log WHERE chain = 'main'"
        "  ORDER BY seq DESC LIMIT 1) l WHERE c.chain_id = 'main'"
    )


async def intact(conn: psycopg.AsyncConnection[Any]) -> bool:
    async with conn.transaction():
        return (await verify_chain(conn)).intact


async def log(conn: psycopg.AsyncConnection[Any], count: int, person: int = 1) -> None:
    async with conn.transaction():
        await append(
            conn, [entry_for(READER, "read", [person], ["identity"]) for _ in range(count)]
        )


async def rewrite_from(conn: psycopg.AsyncConnection[Any], position: int) -> None:
    """Edit the entry at ``position`` (1-based) and recompute every hash after it, so the
    chain verifies on its own."""
    from auth.access_log import Entry

    rows = await (
        await conn.execute(
            "SELECT id, at, client_id, subject, agency, role, purpose, operation, action,"
            " person_ids, categories, changes FROM access_log WHERE chain = 'main' ORDER BY seq"
        )
    ).fetchall()
    previous = GENESIS
    updates = []
    for index, r in enumerate(rows, start=1):
        subject = "alguien-inocente" if index == position else r[3]
        entry = Entry(
            r[1], r[2], subject, r[4], r[5], r[6], r[7], r[8], tuple(r[9]), tuple(r[10]), r[11]
        )
        digest = chain_hash(previous, entry)
        updates.append(
            f"UPDATE access_log SET subject = '{subject}', prev_hash = '\\x{previous.hex()}',"
            f" entry_hash = '\\x{digest.hex()}' WHERE id = {r[0]}"
        )
        previous = digest
    await _behind_the_trigger(conn, *updates, _head_moved_to_the_last_entry())
    assert await intact(conn)  # the chain alone no longer tells


async def checked(conn: psycopg.AsyncConnection[Any], directory: Path) -> list[tuple[str, str]]:
    items, jwks = load(str(directory))
    good, bad = opened(items, jwks)
    assert bad == []
    _, findings = await compare(conn, good)
    return [(f.code, f.checkpoint) for f in findings]


def audit_verify(
    database_url: str, data_dir: Path, source: str
) -> subprocess.CompletedProcess[str]:
    return run_qhub(database_url, data_dir, "audit", "verify", "--checkpoints", source)


async def test_a_chain_recomputed_after_an_edit_contradicts_the_checkpoint(
    conn: psycopg.AsyncConnection[Any], own_database: str, tmp_path: Path
) -> None:
    store = KeyStore.open(tmp_path / "keys")
    # Given 5 entries and a checkpoint of them, then 3 more entries
    await log(conn, 5)
    first = await publish(conn, store, tmp_path / "checkpoints")
    await log(conn, 3)
    ok = audit_verify(own_database, tmp_path, str(tmp_path / "checkpoints"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # When entry 2 is edited and every later hash recomputed
    await rewrite_from(conn, 2)
    # Then the checkpoint names the rewrite
    assert await checked(conn, tmp_path / "checkpoints") == [("REWRITTEN", first.name)]
    # And so does the command, with a failing exit status
    broken = audit_verify(own_database, tmp_path, str(tmp_path / "checkpoints"))
    assert broken.returncode == 1
    assert f"REWRITTEN «{first.name}»" in broken.stdout


async def test_a_truncated_chain_contradicts_the_checkpoint(
    conn: psycopg.AsyncConnection[Any], tmp_path: Path
) -> None:
    store = KeyStore.open(tmp_path / "keys")
    # Given 6 entries and a checkpoint of them
    await log(conn, 6)
    checkpoint = await publish(conn, store, tmp_path / "checkpoints")
    # When the last two entries are removed (the rest still verifies)
    await _behind_the_trigger(
        conn,
        "DELETE FROM access_log WHERE id IN (SELECT id FROM access_log ORDER BY id DESC LIMIT 2)",
        _head_moved_to_the_last_entry(),
    )
    assert await intact(conn)
    # Then the checkpoint names the truncation
    assert await checked(conn, tmp_path / "checkpoints") == [("TRUNCATED", checkpoint.name)]


async def test_a_forked_history_contradicts_the_earlier_checkpoint(
    conn: psycopg.AsyncConnection[Any], tmp_path: Path
) -> None:
    store = KeyStore.open(tmp_path / "keys")
    # Given a checkpoint of 4 entries
    await log(conn, 4)
    before = await publish(conn, store, tmp_path / "checkpoints")
    # When the history is rewritten from entry 3
    await rewrite_from(conn, 3)
    await log(conn, 2)
    # Then the hub refuses to sign it where its last checkpoint is
    with pytest.raises(CheckpointError) as refused:
        await publish(conn, store, tmp_path / "checkpoints")
    assert refused.value.code == "CHAIN_CONTRADICTS_CHECKPOINT"
    # When it is signed anyway where the earlier checkpoint is not (another instance's
    # folder, or a wiped one), and the log goes on
    after = await publish(conn, store, tmp_path / "elsewhere")
    await log(conn, 1)
    # Then an auditor holding both names the earlier one as forked from
    auditor = tmp_path / "auditor"
    auditor.mkdir()
    for made, folder in ((before, "checkpoints"), (after, "elsewhere")):
        shutil.copy(tmp_path / folder / f"{made.name}.checkpoint", auditor)
    shutil.copy(tmp_path / "checkpoints" / "keys.json", auditor)
    assert await checked(conn, auditor) == [("FORKED", before.name)]


async def test_a_checkpoint_edited_or_signed_by_another_key_is_not_evidence(
    conn: psycopg.AsyncConnection[Any], tmp_path: Path
) -> None:
    store = KeyStore.open(tmp_path / "keys")
    await log(conn, 2)
    made = await publish(conn, store, tmp_path / "checkpoints")
    path = tmp_path / "checkpoints" / f"{made.name}.checkpoint"
    # When the count in the note is changed (the note kept canonical, its signature kept)
    body, _, signature = made.note.partition("\n\n")
    signed = parse_body(body + "\n")
    forged = Checkpoint((dataclasses.replace(signed.heads[0], count=1),), signed.at)
    path.write_text(forged.body() + "\n" + signature)
    items, jwks = load(str(tmp_path / "checkpoints"))
    good, bad = opened(items, jwks)
    # Then it is refused, not used
    assert good == []
    assert [(f.code, f.checkpoint) for f in bad] == [("BAD_SIGNATURE", made.name)]
    # And a note whose lines were edited by hand is refused as malformed
    path.write_text(made.note.replace("\nchain main 2 ", "\nchain main 1 "))
    good, bad = opened(*load(str(tmp_path / "checkpoints")))
    assert good == []
    assert [(f.code, f.checkpoint) for f in bad] == [("CHECKPOINT_MALFORMED", made.name)]


async def test_checkpoints_carry_a_tsa_timestamp(
    conn: psycopg.AsyncConnection[Any],
    tmp_path: Path,
    tsa: tuple[str, asn1_x509.Certificate],  # noqa: F811
) -> None:
    url, tsa_root = tsa
    store = KeyStore.open(tmp_path / "keys")
    await log(conn, 3)
    # When a checkpoint is signed with a TSA configured
    made = await publish(conn, store, tmp_path / "checkpoints", url)
    # Then the timestamp token is beside it and attests the note's digest
    assert made.timestamp_token == (tmp_path / "checkpoints" / f"{made.name}.tst").read_bytes()
    assert made.timestamp_token is not None
    stamped = timestamp_time(made.note, made.timestamp_token)
    assert abs(stamped.timestamp() - time.time()) < 600
    items, jwks = load(str(tmp_path / "checkpoints"))
    good, bad = opened(items, jwks)
    assert bad == [] and [name for name, _ in good] == [made.name]
    # And the token validates against the TSA's root, and not against another root
    assert await untrusted_timestamps(items, [tsa_root]) == []
    other_root = tsa_identity()[0]
    assert [(f.code, f.checkpoint) for f in await untrusted_timestamps(items, [other_root])] == [
        ("TIMESTAMP_UNTRUSTED", made.name)
    ]


async def test_the_hub_publishes_checkpoints_on_its_own_and_serves_them(
    conn: psycopg.AsyncConnection[Any], own_database: str, tmp_path: Path
) -> None:
    # Given a hub signing a checkpoint every second (if the log grew) into its data dir
    database_url = own_database
    settings = dataclasses.replace(load_settings(), data_dir=tmp_path, checkpoint_seconds=1)
    await log(conn, 1)  # before the hub starts: its first checkpoint certifies it
    hub = LiveHub(database_url, settings).start()
    try:
        deadline = time.monotonic() + 60
        while not list((tmp_path / "checkpoints").glob("*.checkpoint")):
            assert time.monotonic() < deadline, "no checkpoint was published"
            time.sleep(0.2)
        # When anyone (no token) asks for the latest and for the list
        latest = httpx.get(f"{hub.url}/audit/checkpoints/latest")
        listed = httpx.get(f"{hub.url}/audit/checkpoints")
        # Then the latest is a signed note that verifies with the hub's published keys
        assert latest.status_code == 200 and listed.status_code == 200
        items, jwks = load(f"{hub.url}/audit/checkpoints/latest")
        good, bad = opened(items, jwks)
        assert bad == [] and len(good) == 1
        checkpoint: Checkpoint = good[0][1]
        head = checkpoint.head()
        assert head is not None and head.count >= 1
        assert latest.json()["name"] in [c["name"] for c in listed.json()["checkpoints"]]
        # And the log agrees with what the endpoint publishes
        async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
            assert await check_against(conn, f"{hub.url}/audit/checkpoints")
    finally:
        hub.stop()
