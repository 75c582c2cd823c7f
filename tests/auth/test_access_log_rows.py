"""Entries reach the table exactly as given (the log sends a batch as one JSON text the
server decodes): awkward text, arrays, JSON and hashes read back unchanged, and the
stored hash is the one recomputed from what was stored (as ``verify_chain`` does)."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from auth.access_log import Entry, chain_hash
from auth.access_log_append import append
from auth.log_chains import genesis
from hub.readpool import libpq_url

AWKWARD = 'tab\there, line\nbreak, back\\slash, "quotes", {braces}, Ñandú 🌎, \\N'


async def test_awkward_values_round_trip_and_the_chain_holds(database_url: str) -> None:
    # Given an entry whose every text field holds COPY's and arrays' special characters
    entry = Entry(
        at=datetime(2026, 11, 29, 12, 0, 0, 0, tzinfo=UTC),
        client_id=None,
        subject=AWKWARD,
        agency="acnur",
        role="acnur",
        purpose=None,
        operation=AWKWARD,
        action="write",
        person_ids=(3, 1, 2),
        categories=("needs", AWKWARD),
        changes={"arguments": {"why": AWKWARD, "n": 1.5, "none": None}},
    )
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        # When it is appended
        async with conn.transaction():
            await append(conn, [entry])
        cursor = await conn.execute(
            "SELECT at, client_id, subject, purpose, operation, person_ids, categories,"
            " changes, agency, role, action, prev_hash, entry_hash, chain, seq"
            " FROM access_log ORDER BY id DESC LIMIT 1"
        )
        row = await cursor.fetchone()
        assert row is not None
        chain, seq = row[13:]
        last_before = await conn.execute(
            "SELECT entry_hash FROM access_log WHERE chain = %s AND seq = %s", (chain, seq - 1)
        )
        previous = await last_before.fetchone()
    # Then every value reads back as given, and the whole chain verifies
    at, client_id, subject, purpose, operation, persons, categories, changes = row[:8]
    assert (at, client_id, subject, purpose, operation, persons, categories, changes) == (
        entry.at,
        None,
        AWKWARD,
        None,
        AWKWARD,
        [3, 1, 2],
        ["needs", AWKWARD],
        {"arguments": {"why": AWKWARD, "n": 1.5, "none": None}},
    )
    agency, role, action, prev_hash, entry_hash = row[8:13]
    stored = Entry(
        at, client_id, subject, agency, role, purpose, operation, action,
        tuple(persons), tuple(categories), changes,
    )  # fmt: skip
    assert bytes(prev_hash) == (bytes(previous[0]) if previous else genesis(chain))
    assert bytes(entry_hash) == chain_hash(bytes(prev_hash), stored)
