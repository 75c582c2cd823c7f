"""The adjudication queue (confirm / reject candidate pairs), provenance, detaching a row.

A confirmation merges the pair's persons (``services.importing.merging``, where the
merge is also undone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from models.importing import ImportPair
from services.errors import Conflict, NotFound
from services.importing.linkage import Pair
from services.importing.merging import MergeResult, dumps, insert_sql, merge_persons


@dataclass
class PersonSummary:
    id: int
    given_names: str
    paternal_surname: str
    maternal_surname: str | None
    birth_date: date | None
    nationality: str | None
    documents: list[str]
    case_numbers: list[int]
    sources: list[str]
    office_codes: list[str]
    assigned_officer_ids: list[int]


@dataclass
class QueuedPair:
    id: int
    probability: float
    status: str
    person_a: PersonSummary | None
    person_b: PersonSummary | None
    detail: dict[str, Any]
    decided_by: str | None
    decided_at: datetime | None


@dataclass
class ProvenanceEntry:
    field: str
    file: str
    sheet: str
    row: int
    column: str
    raw_value: str
    normalised_value: str | None
    chosen: bool


@dataclass
class FieldChoice:
    field: str
    value: str | None
    rule: str
    reason: str
    candidates: int


async def _summaries(conn: AsyncConnection, ids: list[int]) -> dict[int, PersonSummary]:
    if not ids:
        return {}
    rows = (
        await conn.execute(
            text(
                "SELECT p.id, p.given_names, p.paternal_surname, p.maternal_surname, p.birth_date, "
                "p.nationality, "
                "COALESCE((SELECT array_agg(d.doc_type || ':' || d.number ORDER BY d.id) "
                "  FROM identity_document d WHERE d.person_id = p.id), '{}'), "
                "COALESCE((SELECT array_agg(c.number ORDER BY c.number) FROM case_member m "
                "  JOIN case_file c ON c.id = m.case_id WHERE m.person_id = p.id), '{}'), "
                "COALESCE((SELECT array_agg(DISTINCT r.file_name || ' ' || r.sheet_name || ' "
                "fila ' "
                "  || r.row_number) FROM import_row r WHERE r.person_id = p.id), '{}'), "
                "COALESCE((SELECT array_agg(DISTINCT o.code) FROM case_member m JOIN case_file c "
                "  ON c.id = m.case_id JOIN office o ON o.id = c.office_id WHERE m.person_id "
                "= p.id), "
                "'{}'), "
                "COALESCE((SELECT array_agg(DISTINCT c.assigned_officer_id) FROM case_member m "
                "  JOIN case_file c ON c.id = m.case_id WHERE m.person_id = p.id "
                "  AND c.assigned_officer_id IS NOT NULL), '{}') "
                "FROM person p WHERE p.id = ANY(:ids)"
            ),
            {"ids": ids},
        )
    ).all()
    out = {}
    for pid, g, pat, mat, bd, nat, docs, cases, sources, offices, officers in rows:
        out[pid] = PersonSummary(
            pid,
            g,
            pat,
            mat,
            None if bd == date(1900, 1, 1) else bd,
            None if nat == "XX" else nat,
            list(docs),
            list(cases),
            sorted(sources),
            list(offices),
            list(officers),
        )
    return out


async def list_pairs(
    conn: AsyncConnection,
    status: str = "open",
    limit: int = 50,
    offset: int = 0,
    pair_id: int | None = None,
) -> list[QueuedPair]:
    """Candidate pairs in the queue (highest probability first); or one pair by id."""
    rows = (
        await conn.execute(
            text(
                "SELECT id, probability, status, person_a_id, person_b_id, detail, "
                "decided_by, decided_at "
                "FROM import_pair WHERE status = :s AND (CAST(:i AS BIGINT) IS NULL OR id = :i) "
                "ORDER BY probability DESC, id LIMIT :l OFFSET :o"
            ),
            {"s": status, "l": limit, "o": offset, "i": pair_id},
        )
    ).all()
    persons = await _summaries(conn, [r.person_a_id for r in rows] + [r.person_b_id for r in rows])
    return [
        QueuedPair(
            id=r.id,
            probability=float(r.probability),
            status=r.status,
            person_a=persons.get(r.person_a_id),
            person_b=persons.get(r.person_b_id),
            detail=dict(r.detail),
            decided_by=r.decided_by,
            decided_at=r.decided_at,
        )
        for r in rows
    ]


async def _pair(conn: AsyncConnection, pair_id: int) -> tuple[int, int, str]:
    row = (
        await conn.execute(
            text(
                "SELECT person_a_id, person_b_id, status FROM import_pair WHERE id = :i FOR UPDATE"
            ),
            {"i": pair_id},
        )
    ).first()
    if row is None:
        raise NotFound("No existe ese par en la cola de adjudicación.", "PAIR_NOT_FOUND")
    return int(row.person_a_id), int(row.person_b_id), str(row.status)


async def reject_pair(conn: AsyncConnection, pair_id: int, actor: str) -> None:
    """The two persons are different: the pair leaves the queue and is not proposed again."""
    _, _, status = await _pair(conn, pair_id)
    if status != "open":
        raise Conflict("El par ya fue resuelto.", "PAIR_ALREADY_DECIDED")
    await conn.execute(
        text(
            "UPDATE import_pair SET status = 'rejected', decided_by = :a, decided_at = now() "
            "WHERE id = :i"
        ),
        {"a": actor, "i": pair_id},
    )


async def confirm_pair(conn: AsyncConnection, pair_id: int, actor: str) -> MergeResult:
    """Same person: merge B into A (the lower id is kept)."""
    a, b, status = await _pair(conn, pair_id)
    if status != "open":
        raise Conflict("El par ya fue resuelto.", "PAIR_ALREADY_DECIDED")
    result = await merge_persons(conn, a, b, actor, pair_id)
    await conn.execute(
        text(
            "UPDATE import_pair SET status = 'confirmed', decided_by = :a, decided_at = now() "
            "WHERE id = :i"
        ),
        {"a": actor, "i": pair_id},
    )
    return result


async def person_summary(conn: AsyncConnection, person_id: int) -> PersonSummary:
    """Names, documents, cases, sources, offices and assigned officers of one person."""
    found = await _summaries(conn, [person_id])
    if person_id not in found:
        raise NotFound("No existe esa persona.", "PERSON_NOT_FOUND")
    return found[person_id]


async def person_provenance(
    conn: AsyncConnection, person_id: int
) -> tuple[list[ProvenanceEntry], list[FieldChoice]]:
    """Where a person's data came from: every imported value and which value won, and why."""
    chosen = {
        value_id
        for (value_id,) in (
            await conn.execute(
                text(
                    "SELECT value_id FROM import_field_choice WHERE person_id = :p AND "
                    "value_id IS NOT NULL"
                ),
                {"p": person_id},
            )
        ).all()
    }
    values = [
        ProvenanceEntry(f, file, sheet, row, col, raw, norm, vid in chosen)
        for vid, f, file, sheet, row, col, raw, norm in (
            await conn.execute(
                text(
                    "SELECT v.id, v.field, r.file_name, r.sheet_name, r.row_number, v.column_name, "
                    "v.raw_value, v.normalised_value FROM import_value v JOIN import_row r ON "
                    "r.id = v.row_id "
                    "WHERE v.person_id = :p ORDER BY r.file_name, r.sheet_name, r.row_number, v.id"
                ),
                {"p": person_id},
            )
        ).all()
    ]
    choices = [
        FieldChoice(**r._mapping)
        for r in (
            await conn.execute(
                text(
                    "SELECT field, value, rule, reason, candidates FROM import_field_choice "
                    "WHERE person_id = :p ORDER BY field"
                ),
                {"p": person_id},
            )
        ).all()
    ]
    return values, choices


async def detach_row(conn: AsyncConnection, row_id: int, actor: str) -> int:
    """Undo an automatic merge made by the import: one source row leaves its person and
    becomes a person of its own (with its document and case membership). Returns its id."""
    found = (
        await conn.execute(
            text('SELECT person_id, "values", status FROM import_row WHERE id = :r FOR UPDATE'),
            {"r": row_id},
        )
    ).first()
    if found is None:
        raise NotFound("No existe esa fila importada.", "ROW_NOT_FOUND")
    old, values, status = found
    if status != "imported" or old is None:
        raise Conflict("La fila no está vinculada a ninguna persona.", "ROW_NOT_LINKED")
    others = (
        await conn.execute(
            text('SELECT "values" FROM import_row WHERE person_id = :p AND id <> :r'),
            {"p": old, "r": row_id},
        )
    ).all()
    if not others:
        raise Conflict("La fila es la única fuente de esa persona.", "ROW_IS_ONLY_SOURCE")
    v = dict(values)
    person = {
        "given_names": v.get("given_names") or "?",
        "paternal_surname": v.get("paternal_surname") or "",
        "maternal_surname": v.get("maternal_surname"),
        "birth_date": date.fromisoformat(v["birth_date"])
        if v.get("birth_date")
        else date(1900, 1, 1),
        "nationality": v.get("nationality") or "XX",
        "sex": v.get("sex") or "X",
        "phone": v.get("phone"),
        "email": v.get("email"),
    }
    new = (
        await conn.execute(text(insert_sql("person", person) + " RETURNING id"), person)
    ).scalar_one()
    p = {"old": old, "new": new, "r": row_id}
    await conn.execute(text("UPDATE import_row SET person_id = :new WHERE id = :r"), p)
    await conn.execute(text("UPDATE import_value SET person_id = :new WHERE row_id = :r"), p)
    other_values = [dict(other) for (other,) in others]
    doc = v.get("doc_number")
    if doc and all(o.get("doc_number") != doc for o in other_values):
        await conn.execute(
            text(
                "UPDATE identity_document SET person_id = :new WHERE person_id = :old "
                "AND number = :d"
            ),
            {**p, "d": doc},
        )
    case = v.get("case_number")
    if case:
        await conn.execute(
            text(
                "INSERT INTO case_member (case_id, person_id, relationship) SELECT id, :new, "
                "'other' FROM case_file WHERE number = :c ON CONFLICT DO NOTHING"
            ),
            {**p, "c": case},
        )
        if all(o.get("case_number") != case for o in other_values):
            await conn.execute(
                text(
                    "DELETE FROM case_member WHERE person_id = :old AND relationship <> "
                    "'principal' AND case_id = (SELECT id FROM case_file WHERE number = :c)"
                ),
                {**p, "c": case},
            )
    await conn.execute(
        text(
            "INSERT INTO import_merge (kept_person_id, merged_person_id, snapshot, automatic, "
            "status, merged_by, undone_by, undone_at) VALUES (:old, :new, CAST(:snap AS JSONB), "
            "true, 'undone', 'qhub import', :a, now())"
        ),
        {**p, "snap": dumps({"row_id": row_id}), "a": actor},
    )
    return int(new)


async def queue_pairs(
    conn: AsyncConnection,
    batch_id: int,
    queued: Sequence[Pair],
    person_of: Callable[[str], int | None],
    row_of: Callable[[str], int | None],
) -> int:
    """Put an import's uncertain pairs in the queue: each pair of distinct persons once,
    the lower id first, with the rows that raised it; returns how many the batch holds."""
    pair_params = []
    for qp in queued:
        pa, pb = person_of(qp.a), person_of(qp.b)
        if pa is None or pb is None or pa == pb:
            continue
        ra, rb = row_of(qp.a), row_of(qp.b)
        if pa > pb:
            pa, pb, ra, rb = pb, pa, rb, ra
        pair_params.append(
            {
                "batch_id": batch_id,
                "person_a_id": pa,
                "person_b_id": pb,
                "row_a_id": ra,
                "row_b_id": rb,
                "probability": qp.probability,
                "detail": {
                    "weight": round(qp.weight, 3),
                    **{k: int(v) for k, v in qp.detail.items()},
                    **({"motivo": qp.reason} if qp.reason else {}),
                },
            }
        )
    if not pair_params:
        return 0
    await conn.execute(pg_insert(ImportPair).on_conflict_do_nothing(), pair_params)
    counted = await conn.execute(
        text("SELECT count(*) FROM import_pair WHERE batch_id = :b"), {"b": batch_id}
    )
    return int(counted.scalar_one())
