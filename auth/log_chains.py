"""The access log's chains: each appender extends a chain it leases, so no lock is shared.

A chain (``access_chain``) has a head (entries, last hash) and a lease (owner, until).
An appender claims a chain (``claim``: one it holds, else one whose lease ran out, else a
new one) and extends it (``extend``): one statement inserts the entries, each linked to
the previous one's hash, and advances the head with a compare-and-set on the chain's
row (same owner, same head). If the CAS finds another head or owner (the lease ran out
while the appender was frozen, and another instance took the chain over), nothing is
inserted and the appender claims again: two writers never extend one chain, and a stale
head can only cost a retry, never a fork. A chain row locked by another transaction
(one that took the chain over, or a stuck one) counts as lost too (SKIP LOCKED): an
append never waits for a lock.

The group-commit writer keeps its chain's head in memory and appends a batch in that one
statement, in autocommit: one round trip, and no lock held between round trips (a frozen
instance holds nothing). A write transaction claims a chain of its own process for the
transaction (row lock, SKIP LOCKED: another transaction of the process takes another
chain), then extends it: two round trips, and the row it locks is no other instance's.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from psycopg import AsyncConnection

from auth.access_log import GENESIS, Entry, chain_hash

MAIN = "main"  # the chain the single-chain log became (migration 0016)
# How long a chain stays its appender's without an append; then another may take it over.
LEASE = timedelta(seconds=int(os.environ.get("QHUB_LOG_CHAIN_LEASE_SECONDS", "30")))


def genesis(chain: str) -> bytes:
    """The hash a chain's first entry links to: zeros for ``main`` (as before chains), a
    hash of the chain's name otherwise, so no two chains ever share an entry hash."""
    if chain == MAIN:
        return GENESIS
    return hashlib.sha256(f"qoricancha-hub/access-log chain {chain}".encode()).digest()


_process: tuple[int, str] | None = None


def instance() -> str:
    """This process's name as a lease owner (host, pid and a random part, so a reused pid
    or a forked worker is never taken for another)."""
    global _process
    if _process is None or _process[0] != os.getpid():
        _process = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}")
    return _process[1]


def new_owner(role: str) -> str:
    """A lease owner of this process for one appender (``role``: what it appends)."""
    return f"{instance()}:{secrets.token_hex(3)}/{role}"


@dataclass(frozen=True)
class Head:
    chain: str
    entries: int
    hash: bytes


async def claim(conn: AsyncConnection[Any], owner: str) -> Head:
    """A chain for ``owner`` (locked until the caller's transaction ends, if it has one)."""
    new_id = secrets.token_hex(8)
    cursor = await conn.execute(
        "SELECT chain_id, entries, head_hash FROM qhub_claim_chain(%s, %s, %s, %s)",
        (owner, LEASE, new_id, genesis(new_id)),
    )
    row = await cursor.fetchone()
    assert row is not None  # the function always returns a chain
    return Head(row[0], int(row[1]), bytes(row[2]))


_EXTEND = """
WITH head AS (
    UPDATE access_chain SET entries = %(entries)s, head_hash = %(head)s,
        lease_until = now() + %(lease)s
    WHERE chain_id = (SELECT chain_id FROM access_chain
                      WHERE chain_id = %(chain)s AND lease_owner = %(owner)s
                        AND head_hash = %(prev)s
                      FOR UPDATE SKIP LOCKED)
    RETURNING chain_id)
INSERT INTO access_log (chain, seq, at, client_id, subject, agency, role, purpose,
    operation, action, person_ids, categories, changes, prev_hash, entry_hash)
SELECT head.chain_id, r.seq, r.at, r.client_id, r.subject, r.agency, r.role, r.purpose,
    r.operation, r.action, r.person_ids, r.categories, r.changes,
    decode(r.prev, 'hex'), decode(r.hash, 'hex')
FROM head, jsonb_to_recordset(%(rows)s::jsonb) AS r(seq bigint, at timestamptz,
    client_id text, subject text, agency text, role text, purpose text, operation text,
    action text, person_ids bigint[], categories text[], changes jsonb, prev text,
    hash text)
"""


def _rows(head: Head, entries: Sequence[Entry]) -> tuple[str, Head]:
    """The entries as one JSON text (decoded by the server: one parameter, no per-value
    adaptation in Python), and the head after them."""
    previous, rows = head.hash, []
    for seq, entry in enumerate(entries, start=head.entries + 1):
        digest = chain_hash(previous, entry)
        rows.append(
            {
                "seq": seq,
                "at": entry.at.isoformat(),
                "client_id": entry.client_id,
                "subject": entry.subject,
                "agency": entry.agency,
                "role": entry.role,
                "purpose": entry.purpose,
                "operation": entry.operation,
                "action": entry.action,
                "person_ids": [int(p) for p in entry.person_ids],
                "categories": list(entry.categories),
                "changes": entry.changes,
                "prev": previous.hex(),
                "hash": digest.hex(),
            }
        )
        previous = digest
    text = json.dumps(rows, default=str, separators=(",", ":"))
    return text, Head(head.chain, head.entries + len(entries), previous)


async def extend(
    conn: AsyncConnection[Any], owner: str, head: Head, entries: Sequence[Entry]
) -> Head | None:
    """Append ``entries`` after ``head`` (one statement); the new head, or None when the
    chain is no longer ``owner``'s or has another head (nothing was appended)."""
    rows, after = _rows(head, entries)
    cursor = await conn.execute(
        _EXTEND,
        {
            "entries": after.entries,
            "head": after.hash,
            "lease": LEASE,
            "chain": head.chain,
            "owner": owner,
            "prev": head.hash,
            "rows": rows,
        },
    )
    return after if cursor.rowcount == len(entries) else None
