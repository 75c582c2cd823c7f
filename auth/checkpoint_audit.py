"""The log against its checkpoints: what a checkpoint certifies and what the database holds.

``chain_heads`` reads the heads a new checkpoint certifies (one consistent snapshot).
``compare`` walks the stored hashes once and names each checkpoint the log contradicts,
in any of the chains it certified:

- ``TRUNCATED``: the chain is shorter than a checkpoint says it was;
- ``REWRITTEN``: at a checkpoint's count the chain ends in another hash — entries it
  certified were changed, even if every hash after the change was recomputed;
- ``FORKED``: two signed checkpoints cannot lie on one history (same count, different
  heads; or the log agrees with a later checkpoint while contradicting an earlier one:
  the hub signed a history that does not extend what it had certified).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.checkpoints import MAIN_CHAIN, ChainHead, Checkpoint
from auth.log_chains import genesis


@dataclass(frozen=True)
class Finding:
    code: str  # TRUNCATED | REWRITTEN | FORKED | BAD_SIGNATURE | UNKNOWN_KEY | ...
    checkpoint: str  # the name of the checkpoint contradicted
    message: str  # Spanish, for people


async def chain_heads(conn: AsyncConnection[Any]) -> tuple[ChainHead, ...]:
    """Entry count and last hash of each chain, by name (one statement: one snapshot)."""
    rows = await (
        await conn.execute(
            "SELECT c.chain_id, l.seq, l.entry_hash FROM access_chain c LEFT JOIN LATERAL"
            " (SELECT seq, entry_hash FROM access_log WHERE chain = c.chain_id"
            "  ORDER BY seq DESC LIMIT 1) l ON true"
        )
    ).fetchall()
    heads = (
        ChainHead(chain, int(seq or 0), bytes(digest) if digest else genesis(chain))
        for chain, seq, digest in rows
    )
    return tuple(sorted(heads, key=lambda h: h.chain))


async def _hashes_at(
    conn: AsyncConnection[Any], positions: Mapping[str, set[int]]
) -> tuple[dict[str, int], dict[tuple[str, int], bytes]]:
    """(entries in each chain, the stored hash at each chain's 1-based positions asked),
    counting positions as they are walked, not trusting the stored numbering."""
    found = {(chain, 0): genesis(chain) for chain, wanted in positions.items() if 0 in wanted}
    counts: dict[str, int] = {}
    async with conn.transaction():  # a server-side cursor lives in a transaction
        cursor = conn.cursor(name="checkpoint_walk")
        await cursor.execute("SELECT chain, entry_hash FROM access_log ORDER BY chain, seq")
        async for chain, digest in cursor:
            count = counts[chain] = counts.get(chain, 0) + 1
            if count in positions.get(chain, ()):
                found[(chain, count)] = bytes(digest)
        await cursor.close()
    return counts, found


async def compare(
    conn: AsyncConnection[Any], checkpoints: Sequence[tuple[str, Checkpoint]]
) -> tuple[int, list[Finding]]:
    """(entries in the log, what contradicts which checkpoint), chain by chain."""
    by_chain: dict[str, list[tuple[str, ChainHead]]] = {}
    for name, checkpoint in checkpoints:
        for head in checkpoint.heads:
            by_chain.setdefault(head.chain, []).append((name, head))
    counts, stored = await _hashes_at(
        conn, {chain: {h.count for _, h in heads} for chain, heads in by_chain.items()}
    )
    findings: list[Finding] = []
    for chain, heads in sorted(by_chain.items()):
        findings += _contradictions(chain, heads, counts.get(chain, 0), stored)
    return sum(counts.values()), findings


def _contradictions(
    chain: str,
    heads: list[tuple[str, ChainHead]],
    total: int,
    stored: Mapping[tuple[str, int], bytes],
) -> list[Finding]:
    of = "" if chain == MAIN_CHAIN else f" (cadena {chain})"
    heads = sorted(heads, key=lambda item: (item[1].count, item[0]))
    findings: list[Finding] = []
    by_count: dict[int, tuple[str, ChainHead]] = {}
    for name, head in heads:
        other = by_count.setdefault(head.count, (name, head))
        if other[1].head != head.head:
            findings.append(
                Finding(
                    "FORKED",
                    name,
                    f"«{name}» y «{other[0]}» certifican {head.count} entradas{of} con"
                    " cabezas distintas: el hub firmó dos historias.",
                )
            )
    agrees = {name: stored.get((chain, h.count)) == h.head for name, h in heads}
    for name, head in heads:
        if head.count > total:
            findings.append(
                Finding(
                    "TRUNCATED",
                    name,
                    f"El registro tiene {total} entradas{of} y «{name}» certificó"
                    f" {head.count}: se borraron entradas del final.",
                )
            )
        elif not agrees[name]:
            later = next((n for n, h in heads if h.count > head.count and agrees[n]), None)
            if later is not None:
                findings.append(
                    Finding(
                        "FORKED",
                        name,
                        f"El registro coincide con «{later}» pero contradice «{name}» en la"
                        f" entrada {head.count}{of}: la historia se bifurcó después de"
                        f" «{name}».",
                    )
                )
            else:
                findings.append(
                    Finding(
                        "REWRITTEN",
                        name,
                        f"La entrada {head.count}{of} no termina en la cabeza que certificó"
                        f" «{name}»: el registro fue reescrito (aunque sus huellas se"
                        " recalcularan).",
                    )
                )
    return findings
