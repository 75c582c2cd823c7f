"""Rotating the key-encryption key of sealed claim data, without stopping the hub.

``rotate_claims`` makes a new KEK (the newest is the current one, so every process wraps
new data keys under it from its next write on) and rewraps every case's data key under it,
in batches, each batch one short transaction. The claim values themselves are not touched:
a data key rewrapped keeps its bytes. Readers are never blocked: a row read before its
batch commits still names the old KEK, which still unwraps. Passes repeat until no row
names another KEK (a process that wrapped a new case's key under the previous KEK during
the pass is caught by the next one).

``retire_kek`` destroys a KEK once no row needs it: from then on, whatever is still
wrapped under it — old backups included — cannot be opened, on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from services.casework import claim_records as claim
from services.sealing import case_key_for_writing, forget_data_keys, keyring
from services.sealing_keys import SealingError

MAX_PASSES = 20
# Claim columns whose values may predate sealing (migration 0010 kept them as 0x00 + text)
LEGACY_COLUMNS = [
    ("interview_record", "summary", claim.INTERVIEW_SUMMARY),
    ("eligibility_assessment", "grounds", claim.ASSESSMENT_GROUNDS),
    ("eligibility_assessment", "credibility", claim.ASSESSMENT_CREDIBILITY),
    ("eligibility_assessment", "analysis", claim.ASSESSMENT_ANALYSIS),
    ("eligibility_assessment", "recommendation", claim.ASSESSMENT_RECOMMENDATION),
    ("case_decision", "reasons", claim.DECISION_REASONS),
    ("claim_appeal", "grounds", claim.APPEAL_GROUNDS),
]


@dataclass(frozen=True)
class Rotation:
    kek_id: str
    rewrapped: int
    passes: int


async def _pass(conn: AsyncConnection[Any], target: str, batch: int) -> int:
    ring = keyring()
    moved, last = 0, -1
    while True:
        async with conn.transaction():
            rows = await (
                await conn.execute(
                    "SELECT case_id, kek_id, wrapped FROM claim_data_key"
                    " WHERE kek_id <> %s AND case_id > %s ORDER BY case_id LIMIT %s"
                    " FOR UPDATE",
                    (target, last, batch),
                )
            ).fetchall()
            if not rows:
                return moved
            updates = [
                (target, ring.wrap(target, ring.unwrap(kek, bytes(wrapped), case), case), case)
                for case, kek, wrapped in rows
            ]
            async with conn.cursor() as cursor:
                await cursor.executemany(
                    "UPDATE claim_data_key SET kek_id = %s, wrapped = %s, rewrapped_at = now()"
                    " WHERE case_id = %s",
                    updates,
                )
        moved += len(rows)
        last = rows[-1][0]


async def rotate_claims(
    conn: AsyncConnection[Any], *, new_kek: bool = True, batch: int = 500
) -> Rotation:
    """Rewrap every case's data key under a new KEK (or the current one: ``new_kek=False``
    finishes a rotation that was interrupted)."""
    ring = keyring()
    target = ring.create() if new_kek else ring.current()
    rewrapped = passes = 0
    await seal_legacy(conn)
    while passes < MAX_PASSES:
        passes += 1
        rewrapped += await _pass(conn, target, batch)
        if await kek_usage(conn, exclude=target) == {}:
            break
    return Rotation(target, rewrapped, passes)


async def kek_usage(conn: AsyncConnection[Any], exclude: str | None = None) -> dict[str, int]:
    """How many cases' data keys each KEK wraps."""
    rows = await (
        await conn.execute(
            "SELECT kek_id, count(*) FROM claim_data_key"
            " WHERE kek_id IS DISTINCT FROM %s GROUP BY kek_id",
            (exclude,),
        )
    ).fetchall()
    return {kek_id: int(cases) for kek_id, cases in rows}


async def retire_kek(conn: AsyncConnection[Any], kek_id: str, *, force: bool = False) -> None:
    """Destroy KEK ``kek_id``. Refused while it is the current KEK, or while a case's data
    key in this database is still wrapped under it (unless ``force``: that data is lost)."""
    ring = keyring()
    if kek_id == ring.current():
        raise SealingError(
            "KEK_CURRENT", "No se puede retirar la clave maestra vigente: rote antes."
        )
    in_use = (await kek_usage(conn)).get(kek_id, 0)
    if in_use and not force:
        raise SealingError(
            "KEK_IN_USE",
            f"La clave maestra «{kek_id}» aún protege {in_use} expedientes: rote antes.",
        )
    ring.retire(kek_id)
    forget_data_keys()


async def seal_legacy(conn: AsyncConnection[Any]) -> int:
    """Seal the claim values written before sealing existed (and the decision reasons the
    status history held in plain text); returns how many values it sealed."""
    from services.casework.status import DECISIONS, SEALED_REASON_NOTE

    sealed = 0
    for table, column, name in LEGACY_COLUMNS:
        async with conn.transaction():
            rows = await (
                await conn.execute(
                    f"SELECT id, case_id, {column} FROM {table}"
                    f" WHERE substr({column}, 1, 1) = '\\x00'::bytea FOR UPDATE"
                )
            ).fetchall()
            for row_id, case_id, value in rows:
                key = await case_key_for_writing(conn, case_id)
                await conn.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",
                    (key.seal(bytes(value)[1:].decode(), name), row_id),
                )
            sealed += len(rows)
    decided = sorted({to.value for _, to in DECISIONS})
    async with conn.transaction():
        rows = await (
            await conn.execute(
                "SELECT id, case_id, reason FROM status_change WHERE sealed_reason IS NULL"
                " AND to_status = ANY(%s) AND reason IS NOT NULL AND reason <> %s FOR UPDATE",
                (decided, SEALED_REASON_NOTE),
            )
        ).fetchall()
        for row_id, case_id, reason in rows:
            key = await case_key_for_writing(conn, case_id)
            await conn.execute(
                "UPDATE status_change SET reason = %s, sealed_reason = %s WHERE id = %s",
                (SEALED_REASON_NOTE, key.seal(reason, claim.STATUS_REASON), row_id),
            )
        sealed += len(rows)
    return sealed
