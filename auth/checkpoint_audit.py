"""The log against its checkpoints: what a checkpoint certifies and what the database holds.

``chain_heads`` reads the heads a new checkpoint certifies (one consistent snapshot).
``compare`` walks the stored hashes once and names each checkpoint the log contradicts:

- ``TRUNCATED``: the chain is shorter than a checkpoint says it was;
- ``REWRITTEN``: at a checkpoint's count the chain ends in another hash — entries it
  certified were changed, even if every hash after the change was recomputed;
- ``FORKED``: two signed checkpoints cannot lie on one history (same count, different
  heads; or the log agrees with a later checkpoint while contradicting an earlier one:
  the hub signed a history that does not extend what it had certified).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.access_log import GENESIS
from auth.checkpoints import MAIN_CHAIN, ChainHead, Checkpoint


@dataclass(frozen=True)
class Finding:
    code: str  # TRUNCATED | REWRITTEN | FORKED | BAD_SIGNATURE | UNKNOWN_KEY | ...
    checkpoint: str  # the name of the checkpoint contradicted
    message: str  # Spanish, for people


async def chain_heads(conn: AsyncConnection[Any]) -> tuple[ChainHead, ...]:
    """Entry count and last hash of each chain (one chain, ``main``, today)."""
    row = await (
        await conn.execute(
            "SELECT count(*), (SELECT entry_hash FROM access_log ORDER BY id DESC LIMIT 1)"
            " FROM access_log"
        )
    ).fetchone()
    assert row is not None
    return (ChainHead(MAIN_CHAIN, int(row[0]), bytes(row[1]) if row[1] else GENESIS),)


async def _hashes_at(
    conn: AsyncConnection[Any], positions: set[int]
) -> tuple[int, dict[int, bytes]]:
    """(entries in the chain, the stored hash of the entry at each 1-based position)."""
    found = {0: GENESIS} if 0 in positions else {}
    count = 0
    async with conn.transaction():  # a server-side cursor lives in a transaction
        cursor = conn.cursor(name="checkpoint_walk")
        await cursor.execute("SELECT entry_hash FROM access_log ORDER BY id")
        async for (digest,) in cursor:
            count += 1
            if count in positions:
                found[count] = bytes(digest)
        await cursor.close()
    return count, found


async def compare(
    conn: AsyncConnection[Any], checkpoints: Sequence[tuple[str, Checkpoint]]
) -> tuple[int, list[Finding]]:
    """(entries in the log, what contradicts which checkpoint), for the main chain."""
    heads = [(name, h) for name, cp in checkpoints if (h := cp.head(MAIN_CHAIN)) is not None]
    heads.sort(key=lambda item: (item[1].count, item[0]))
    findings: list[Finding] = []
    by_count: dict[int, tuple[str, ChainHead]] = {}
    for name, head in heads:
        other = by_count.setdefault(head.count, (name, head))
        if other[1].head != head.head:
            findings.append(
                Finding(
                    "FORKED",
                    name,
                    f"«{name}» y «{other[0]}» certifican {head.count} entradas con cabezas"
                    " distintas: el hub firmó dos historias.",
                )
            )
    total, stored = await _hashes_at(conn, {h.count for _, h in heads})
    agrees = {name: stored.get(h.count) == h.head for name, h in heads}
    for name, head in heads:
        if head.count > total:
            findings.append(
                Finding(
                    "TRUNCATED",
                    name,
                    f"El registro tiene {total} entradas y «{name}» certificó {head.count}:"
                    " se borraron entradas del final.",
                )
            )
        elif not agrees[name]:
            later = next(
                (n for n, h in heads if h.count > head.count and agrees[n]),
                None,
            )
            if later is not None:
                findings.append(
                    Finding(
                        "FORKED",
                        name,
                        f"El registro coincide con «{later}» pero contradice «{name}» en la"
                        f" entrada {head.count}: la historia se bifurcó después de «{name}».",
                    )
                )
            else:
                findings.append(
                    Finding(
                        "REWRITTEN",
                        name,
                        f"La entrada {head.count} no termina en la cabeza que certificó"
                        f" «{name}»: el registro fue reescrito (aunque sus huellas se"
                        " recalcularan).",
                    )
                )
    return total, findings
