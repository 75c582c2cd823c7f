"""The documents issued for a case (work permits and asylum-seeker cards), newest first,
with their status, for the case page; and one document's signed PDF, fetched only when
someone downloads it (the list never carries PDFs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from psycopg import AsyncConnection

from services.errors import DomainError

WORK_PERMIT = "WORK_PERMIT"
ASYLUM_CARD = "ASYLUM_CARD"
MAX_BATCH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class CaseDocument:
    kind: str  # WORK_PERMIT | ASYLUM_CARD
    id: str
    number: str  # the card's number; a permit's id
    status: str  # active | replaced | revoked
    valid_from: date | None
    valid_to: date | None  # cards do not expire
    issued_at: datetime
    issued_by: str
    revoked_reason: str | None
    revoked_at: datetime | None


_LIST = (
    "SELECT case_id, 'WORK_PERMIT', id, id, status, valid_from, valid_to, issued_at,"
    " issued_by, revoked_reason, revoked_at FROM work_permit WHERE case_id = ANY(%(ids)s)"
    " UNION ALL"
    " SELECT case_id, 'ASYLUM_CARD', id, number, status, issued_on, NULL::date, issued_at,"
    " issued_by, revoked_reason, revoked_at FROM asylum_card WHERE case_id = ANY(%(ids)s)"
    " ORDER BY 8 DESC, 3"
)


async def documents_by_case(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, list[CaseDocument]]:
    """Each case's issued documents, newest first (one statement)."""
    ids = sorted(set(case_ids))
    out: dict[int, list[CaseDocument]] = {case_id: [] for case_id in ids}
    if ids:
        for r in await (await conn.execute(_LIST, {"ids": ids})).fetchall():
            out[r[0]].append(CaseDocument(*r[1:]))
    return out


async def pdfs_by_key(
    conn: AsyncConnection[Any], keys: Sequence[tuple[str, str]]
) -> list[bytes | None]:
    """The signed PDF of each (kind, id), in order (one statement). The PDFs of one query
    level are bounded together (``MAX_BATCH_BYTES``): none is sent when their sizes add
    up to more (TOO_MANY_DOCUMENTS)."""
    permits = [i for k, i in keys if k == WORK_PERMIT]
    cards = [i for k, i in keys if k == ASYLUM_CARD]
    rows = await (
        await conn.execute(
            "SELECT k, i, CASE WHEN sum(octet_length(p)) OVER () <= %s THEN p END,"
            " sum(octet_length(p)) OVER () FROM ("
            "SELECT 'WORK_PERMIT', id, pdf FROM work_permit WHERE id = ANY(%s)"
            " UNION ALL SELECT 'ASYLUM_CARD', id, pdf FROM asylum_card WHERE id = ANY(%s)"
            ") s(k, i, p)",
            (MAX_BATCH_BYTES, permits, cards),
        )
    ).fetchall()
    if rows and rows[0][3] > MAX_BATCH_BYTES:
        raise DomainError(
            "Los documentos pedidos son demasiados para una sola consulta: pida los PDF de"
            " un expediente a la vez.",
            "TOO_MANY_DOCUMENTS",
        )
    found = {(r[0], r[1]): bytes(r[2]) for r in rows}
    return [found.get(k) for k in keys]
