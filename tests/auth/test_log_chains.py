"""Issue 18: the access log as several chains. Two writers (two instances) append to
chains of their own and neither waits for the other's; a writer frozen past its lease
has its chain taken over, and when it thaws it neither forks that chain nor loses its
batch; tampering with one chain of several is named, by the walk and by a checkpoint;
the checkpoint's Merkle root ties each chain's head to it; an existing single-chain log
becomes chain ``main`` and still verifies."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from auth.access_log import GENESIS, Entry, chain_hash, entry_for
from auth.access_log_append import AccessLogWriter
from auth.checkpoint_audit import chain_heads, compare
from auth.checkpoint_files import publish
from auth.checkpoints import Checkpoint, inclusion_proof, merkle_root, parse_body, root_from_proof
from auth.keys import KeyStore
from auth.log_verify import verify_chain
from auth.principal import Principal
from hub import availability
from hub.migrations import upgrade
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from tests.conftest import _with_database, create_database, drop_database

READER = Principal(role=Role.MIGRACIONES, agency=Agency.MIGRACIONES, subject="lector")


@pytest.fixture(scope="module")
def own_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_chains")
    yield url
    drop_database(server_url, url)


@pytest.fixture()
async def writers(own_database: str) -> AsyncIterator[list[AccessLogWriter]]:
    """Two group-commit writers, as two instances have, on connections with the hub's
    bounded waits (a wait for the other's lock would fail, not hang)."""

    async def configure(conn: psycopg.AsyncConnection[Any]) -> None:
        await conn.set_autocommit(True)

    made = []
    for _ in range(2):
        pool = AsyncConnectionPool(
            libpq_url(own_database),
            min_size=1,
            max_size=2,
            kwargs=availability.connection_options(),
            configure=configure,
            open=False,
        )
        await pool.open(wait=True)
        writer = AccessLogWriter(pool)
        writer.start()
        made.append(writer)
    yield made
    for writer in made:
        await writer.stop()
        await writer.pool.close()


async def _log(writer: AccessLogWriter, operation: str, count: int = 1) -> None:
    for _ in range(count):
        await writer.write(entry_for(READER, "read", [7], ["status"], operation=operation))


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True)


async def _chain_of(conn: psycopg.AsyncConnection[Any], operation: str) -> list[str]:
    rows = await (
        await conn.execute(
            "SELECT chain FROM access_log WHERE operation = %s ORDER BY id", (operation,)
        )
    ).fetchall()
    return [r[0] for r in rows]


async def _verified(conn: psycopg.AsyncConnection[Any]) -> dict[str, tuple[int, str | None]]:
    async with conn.transaction():
        report = await verify_chain(conn)
    return {c.chain: (c.entries, c.reason) for c in report.chains}


async def test_two_writers_append_to_their_own_chains_and_neither_waits_for_the_other(
    own_database: str, writers: list[AccessLogWriter]
) -> None:
    a, b = writers
    # Given two writers that have each appended once (each now holds a chain)
    await _log(a, "PrimeraA")
    await _log(b, "PrimeraB")
    async with await _connect(own_database) as conn:
        chain_a, chain_b = (
            (await _chain_of(conn, "PrimeraA"))[0],
            (await _chain_of(conn, "PrimeraB"))[0],
        )
        assert chain_a != chain_b
        # When B's chain row is held by a transaction that stopped, and A appends
        async with await psycopg.AsyncConnection.connect(libpq_url(own_database)) as stuck:
            await stuck.execute(
                "SELECT 1 FROM access_chain WHERE chain_id = %s FOR UPDATE", (chain_b,)
            )
            await _log(a, "MientrasB", 3)
            await stuck.rollback()
        # Then A's entries were committed on A's chain, without waiting for B's row
        assert await _chain_of(conn, "MientrasB") == [chain_a] * 3
        # and every chain verifies, each holding its own entries
        seen = await _verified(conn)
    assert seen[chain_a] == (4, None) and seen[chain_b] == (1, None)


async def test_a_frozen_writers_chain_is_taken_over_and_the_thawed_writer_does_not_fork_it(
    own_database: str, writers: list[AccessLogWriter]
) -> None:
    a, b = writers
    async with await _connect(own_database) as conn:
        # Given writer A appending to its chain, which then froze past its lease
        await _log(a, "AntesDeHelar", 2)
        (held,) = set(await _chain_of(conn, "AntesDeHelar"))
        await conn.execute(
            "UPDATE access_chain SET lease_until = '-infinity' WHERE chain_id = %s", (held,)
        )
        # When another writer (B, which holds no chain yet) needs one
        await _log(b, "TrasTomarla", 2)
        # Then B took A's chain over and extended it
        assert await _chain_of(conn, "TrasTomarla") == [held] * 2
        taken = await (
            await conn.execute(
                "SELECT lease_owner, taken_over_at IS NOT NULL FROM access_chain"
                " WHERE chain_id = %s",
                (held,),
            )
        ).fetchone()
        assert taken == (b.owner, True)
        # When A thaws and appends with the head it remembers
        await _log(a, "AlDeshelar", 2)
        # Then its entries went to another chain (its compare-and-set failed, nothing was
        # written on the taken chain), each once, and every chain verifies
        thawed = await _chain_of(conn, "AlDeshelar")
        assert len(thawed) == 2 and len(set(thawed)) == 1 and thawed[0] != held
        assert await _chain_of(conn, "AntesDeHelar") == [held] * 2
        seen = await _verified(conn)
    assert all(reason is None for _, reason in seen.values()), seen


async def _rewrite_one_chain(conn: psycopg.AsyncConnection[Any], chain: str) -> None:
    """A superuser edits the chain's first entry and recomputes every later hash and the
    chain's recorded head: the walk alone no longer tells."""
    rows = await (
        await conn.execute(
            "SELECT id, at, client_id, subject, agency, role, purpose, operation, action,"
            " person_ids, categories, changes, prev_hash FROM access_log WHERE chain = %s"
            " ORDER BY seq",
            (chain,),
        )
    ).fetchall()
    previous = bytes(rows[0][12])
    async with conn.transaction():
        await conn.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        for index, r in enumerate(rows):
            subject = "alguien-inocente" if index == 0 else r[3]
            entry = Entry(r[1], r[2], subject, r[4], r[5], r[6], r[7], r[8],
                          tuple(r[9]), tuple(r[10]), r[11])  # fmt: skip
            digest = chain_hash(previous, entry)
            await conn.execute(
                "UPDATE access_log SET subject = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
                (subject, previous, digest, r[0]),
            )
            previous = digest
        await conn.execute(
            "UPDATE access_chain SET head_hash = %s WHERE chain_id = %s", (previous, chain)
        )
        await conn.execute("ALTER TABLE access_log ENABLE TRIGGER USER")


async def test_tampering_with_one_chain_of_several_is_named(
    own_database: str, writers: list[AccessLogWriter], tmp_path: Path
) -> None:
    a, b = writers
    async with await _connect(own_database) as conn:
        # Given entries on two chains and a checkpoint of every chain
        await _log(a, "ParaAlterar", 2)
        await _log(b, "Intacta", 2)
        (target,) = set(await _chain_of(conn, "ParaAlterar"))
        (other,) = set(await _chain_of(conn, "Intacta"))
        made = await publish(conn, KeyStore.open(tmp_path / "keys"), tmp_path / "checkpoints")
        certified = parse_body(made.note.partition("\n\n")[0] + "\n")
        assert {h.chain for h in certified.heads} >= {target, other}
        # When one entry of one chain is changed in place
        await conn.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        await conn.execute(
            "UPDATE access_log SET purpose = 'otro' WHERE chain = %s AND seq ="
            " (SELECT max(seq) FROM access_log WHERE chain = %s)",
            (target, target),
        )
        await conn.execute("ALTER TABLE access_log ENABLE TRIGGER USER")
        # Then the walk names that chain, and only it
        seen = await _verified(conn)
        assert seen[target][1] == "el contenido no coincide con su huella"
        assert [c for c, (_, reason) in seen.items() if reason] == [target]
        # When the chain is rewritten with every hash recomputed (the walk passes)
        await _rewrite_one_chain(conn, target)
        assert (await _verified(conn))[target][1] is None
        # Then the checkpoint names the rewrite, in that chain
        _, findings = await compare(conn, [(made.name, certified)])
    assert [(f.code, f.checkpoint) for f in findings] == [("REWRITTEN", made.name)]
    assert f"(cadena {target})" in findings[0].message


async def test_the_root_ties_every_chain_head_to_the_checkpoint(own_database: str) -> None:
    async with await _connect(own_database) as conn:
        heads = await chain_heads(conn)
    checkpoint = Checkpoint(heads, datetime(2026, 11, 30, 6, 0, tzinfo=UTC))
    lines = [line.encode() for line in checkpoint.lines()]
    root = merkle_root(lines)
    # Each chain's line and its proof lead to the signed root; another head does not
    for index, line in enumerate(lines):
        proof = inclusion_proof(lines, index)
        assert root_from_proof(line, index, len(lines), proof) == root
        assert root_from_proof(line + b"x", index, len(lines), proof) != root
    # And for 1 to 9 chains the proofs hold at every position
    for size in range(1, 10):
        leaves = [f"chain c{i} {i} x".encode() for i in range(size)]
        top = merkle_root(leaves)
        for index in range(size):
            proof = inclusion_proof(leaves, index)
            assert root_from_proof(leaves[index], index, size, proof) == top
    # And with one chain the root is SHA-256 of its line (checkpoints signed before
    # there were several chains keep opening)
    single = b"chain main 3 " + b"A" * 44
    assert merkle_root([single]) == hashlib.sha256(single).digest()


async def test_an_existing_single_chain_log_becomes_chain_main_and_verifies(
    server_url: str,
) -> None:
    # Given a database at the revision before chains, with a log of three entries
    # appended the old way (one chain from zeros, in id order)
    name = f"qhub_chains_old_{hashlib.sha256(server_url.encode()).hexdigest()[:6]}"
    url = _with_database(server_url, name)
    admin = await psycopg.AsyncConnection.connect(
        libpq_url(_with_database(server_url, "postgres")), autocommit=True
    )
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        upgrade(url, "0015_scale_out")
        previous = GENESIS
        async with await _connect(url) as conn:
            for n in range(3):
                entry = entry_for(READER, "read", [n], ["status"], operation="Antigua")
                digest = chain_hash(previous, entry)
                await conn.execute(
                    "INSERT INTO access_log (at, client_id, subject, agency, role, purpose,"
                    " operation, action, person_ids, categories, changes, prev_hash,"
                    " entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, %s)",
                    (
                        entry.at, entry.client_id, entry.subject, entry.agency, entry.role,
                        entry.purpose, entry.operation, entry.action, list(entry.person_ids),
                        list(entry.categories), previous, digest,
                    ),
                )  # fmt: skip
                previous = digest
        # When it is migrated
        upgrade(url, "0016_log_chains")
        # Then the three entries are chain main, numbered in order, and the head recorded
        async with await _connect(url) as conn:
            rows = await (
                await conn.execute("SELECT chain, seq FROM access_log ORDER BY id")
            ).fetchall()
            head = await (
                await conn.execute("SELECT entries, head_hash, lease_owner FROM access_chain")
            ).fetchall()
            seen = await _verified(conn)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    assert rows == [("main", 1), ("main", 2), ("main", 3)]
    assert head == [(3, previous, None)]
    assert seen == {"main": (3, None)}
