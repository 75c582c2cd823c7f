"""Verifying the access log: every chain, entry by entry, and each chain's recorded head.

``verify_chain`` recomputes every hash of every chain (or of the entries after what a
checkpoint certified) and names, per chain, the first entry that was altered, removed or
renumbered; a chain whose recorded head (``access_chain``) is not one of its entries was
truncated or had entries added outside the hub. The table refuses UPDATE, DELETE and
TRUNCATE (a trigger); this is what still catches someone who bypassed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.access_log import Entry, chain_hash
from auth.log_chains import genesis


@dataclass(frozen=True)
class ChainReport:
    chain: str
    entries: int
    first_bad_id: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class LogReport:
    chains: tuple[ChainReport, ...]

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.chains)

    @property
    def intact(self) -> bool:
        return all(c.intact for c in self.chains)

    @property
    def broken(self) -> ChainReport | None:
        return next((c for c in self.chains if not c.intact), None)

    @property
    def first_bad_id(self) -> int | None:
        return self.broken.first_bad_id if self.broken else None

    @property
    def reason(self) -> str | None:
        broken = self.broken
        return None if broken is None else f"cadena {broken.chain}: {broken.reason}"


# The chains present in the log, read off the (chain, seq) index one chain at a time.
_CHAINS = """
WITH RECURSIVE c AS (
    SELECT min(chain) AS chain FROM access_log
    UNION ALL
    SELECT (SELECT min(chain) FROM access_log WHERE chain > c.chain) FROM c
    WHERE c.chain IS NOT NULL)
SELECT chain FROM c WHERE chain IS NOT NULL
"""

_WALK = (
    "SELECT id, seq, at, client_id, subject, agency, role, purpose, operation, action,"
    " person_ids, categories, changes, prev_hash, entry_hash FROM access_log"
    " WHERE chain = %s AND seq > %s ORDER BY seq"
)


async def _heads(conn: AsyncConnection[Any]) -> dict[str, tuple[int, bytes]]:
    rows = await (
        await conn.execute("SELECT chain_id, entries, head_hash FROM access_chain")
    ).fetchall()
    return {r[0]: (int(r[1]), bytes(r[2])) for r in rows}


async def verify_chain(
    conn: AsyncConnection[Any], start: Mapping[str, tuple[int, bytes]] | None = None
) -> LogReport:
    """Walk every chain (in a transaction: the walks use server-side cursors); a chain in
    ``start`` only after the entries a checkpoint certified (count, last hash)."""
    start = start or {}
    # Heads first: appends after this read only add entries beyond them.
    heads = await _heads(conn)
    chains = [r[0] for r in await (await conn.execute(_CHAINS)).fetchall()]
    if any(c not in heads for c in chains):  # created since the heads were read?
        heads = await _heads(conn)
    reports = []
    for chain in sorted(set(chains) | set(heads)):
        after, head = start.get(chain, (0, genesis(chain)))
        reports.append(await _walk(conn, chain, after, head, heads.get(chain)))
    return LogReport(tuple(reports))


async def _walk(
    conn: AsyncConnection[Any],
    chain: str,
    after: int,
    previous: bytes,
    recorded: tuple[int, bytes] | None,
) -> ChainReport:
    count = after
    bad: tuple[int | None, str] | None = None
    if recorded is None:
        bad = (None, "la cadena no tiene cabeza registrada (entradas agregadas fuera del hub)")
    elif recorded[0] == after and recorded[1] != previous:
        bad = (None, "la cabeza registrada no coincide con la última entrada certificada")
    cursor = conn.cursor(name="access_log_walk")
    await cursor.execute(_WALK, (chain, after))
    async for row in cursor:
        count += 1
        if bad is not None:
            continue  # counted, not checked: the first problem is the one named
        if row[1] != count:
            bad = (row[0], f"la entrada ocupa el puesto {count} y dice {row[1]} (renumerada)")
            continue
        at, client, subject, agency, role, purpose, operation, action = row[2:10]
        entry = Entry(at, client, subject, agency, role, purpose, operation, action,
                      tuple(row[10]), tuple(row[11]), row[12])  # fmt: skip
        if bytes(row[13]) != previous:
            bad = (
                row[0],
                "el enlace con la entrada anterior no coincide "
                "(una entrada anterior fue borrada o alterada)",
            )
        elif chain_hash(previous, entry) != bytes(row[14]):
            bad = (row[0], "el contenido no coincide con su huella")
        elif recorded is not None and count == recorded[0] and bytes(row[14]) != recorded[1]:
            bad = (row[0], "la cabeza registrada de la cadena no es esta entrada")
        previous = bytes(row[14])
    await cursor.close()
    if bad is None and recorded is not None and count < recorded[0]:
        bad = (
            None,
            f"la cabeza registrada dice {recorded[0]} entradas y hay {count}: se"
            " borraron entradas del final",
        )
    return ChainReport(chain, count, *bad) if bad else ChainReport(chain, count, None, None)
