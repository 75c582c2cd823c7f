"""Merging two persons found to be one, and undoing it.

Person B merges into person A: B's source rows, values, documents, case memberships,
needs, health profile and consents move to A, B is deleted, and everything needed to put
B back is kept in ``import_merge.snapshot``. Undo restores B with its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.errors import Conflict, NotFound


@dataclass
class MergeResult:
    merge_id: int
    kept_person_id: int
    merged_person_id: int


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in row.items()}


async def _rows(conn: AsyncConnection, sql: str, pid: int) -> list[dict[str, Any]]:
    res = await conn.execute(text(sql), {"p": pid})
    return [_jsonable(dict(r)) for r in res.mappings()]


async def merge_persons(
    conn: AsyncConnection, keep: int, merge: int, actor: str, pair_id: int | None = None
) -> MergeResult:
    if keep == merge:
        raise Conflict("No se puede fusionar una persona consigo misma.", "SAME_PERSON")
    person = await _rows(conn, "SELECT * FROM person WHERE id = :p", merge)
    if not person or not await _rows(conn, "SELECT id FROM person WHERE id = :p", keep):
        raise NotFound("La persona ya no existe (¿fusión previa?).", "PERSON_NOT_FOUND")
    snap = {
        "person": person[0],
        "documents": await _rows(
            conn, "SELECT * FROM identity_document WHERE person_id = :p", merge
        ),
        "members": await _rows(conn, "SELECT * FROM case_member WHERE person_id = :p", merge),
        "needs": await _rows(conn, "SELECT * FROM case_need WHERE person_id = :p", merge),
        "health": await _rows(conn, "SELECT * FROM health_profile WHERE person_id = :p", merge),
        "consents": await _rows(conn, "SELECT * FROM consent WHERE person_id = :p", merge),
        "choices": await _rows(
            conn, "SELECT * FROM import_field_choice WHERE person_id = :p", merge
        ),
        "rows": [
            r["id"]
            for r in await _rows(conn, "SELECT id FROM import_row WHERE person_id = :p", merge)
        ],
        "values": [
            r["id"]
            for r in await _rows(conn, "SELECT id FROM import_value WHERE person_id = :p", merge)
        ],
    }
    p = {"k": keep, "m": merge}
    await conn.execute(text("UPDATE import_row SET person_id = :k WHERE person_id = :m"), p)
    await conn.execute(text("UPDATE import_value SET person_id = :k WHERE person_id = :m"), p)
    await conn.execute(text("UPDATE identity_document SET person_id = :k WHERE person_id = :m"), p)
    await conn.execute(
        text(
            "INSERT INTO case_member (case_id, person_id, relationship) "
            "SELECT case_id, :k, CASE WHEN relationship = 'principal' AND EXISTS (SELECT 1 FROM "
            "case_member x WHERE x.case_id = case_member.case_id AND x.relationship = 'principal' "
            "AND x.person_id <> :m) THEN 'other' ELSE relationship END "
            "FROM case_member WHERE person_id = :m ON CONFLICT DO NOTHING"
        ),
        p,
    )
    await conn.execute(
        text(
            "INSERT INTO case_need (case_id, person_id, code, detail, recorded_at) "
            "SELECT case_id, :k, code, detail, recorded_at FROM case_need WHERE person_id = :m "
            "ON CONFLICT DO NOTHING"
        ),
        p,
    )
    await conn.execute(
        text(
            "INSERT INTO health_profile (person_id, profession, specialty, degree, degree_country, "
            "recognition_status, licence_number, years_experience) SELECT :k, profession, "
            "specialty, "
            "degree, degree_country, recognition_status, licence_number, years_experience "
            "FROM health_profile WHERE person_id = :m ON CONFLICT DO NOTHING"
        ),
        p,
    )
    await conn.execute(
        text(
            "INSERT INTO consent (person_id, purpose, granted_at, withdrawn_at) "
            "SELECT :k, c.purpose, c.granted_at, c.withdrawn_at FROM consent c WHERE "
            "c.person_id = :m "
            "AND (c.withdrawn_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM consent y WHERE "
            "y.person_id = :k AND y.purpose = c.purpose AND y.withdrawn_at IS NULL))"
        ),
        p,
    )
    await conn.execute(text("DELETE FROM person WHERE id = :m"), p)
    merge_id = (
        await conn.execute(
            text(
                "INSERT INTO import_merge (pair_id, kept_person_id, merged_person_id, "
                "snapshot, merged_by) "
                "VALUES (:pair, :k, :m, CAST(:snap AS JSONB), :a) RETURNING id"
            ),
            {"pair": pair_id, "k": keep, "m": merge, "snap": dumps(snap), "a": actor},
        )
    ).scalar_one()
    return MergeResult(int(merge_id), keep, merge)


def dumps(obj: Any) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, default=str)


def insert_sql(table: str, row: dict[str, Any]) -> str:
    cols = ", ".join(row)
    vals = ", ".join(f":{c}" for c in row)
    return f"INSERT INTO {table} ({cols}) VALUES ({vals})"


def _typed(
    row: dict[str, Any], dates: tuple[str, ...] = (), stamps: tuple[str, ...] = ()
) -> dict[str, Any]:
    out = dict(row)
    for k in dates:
        if out.get(k):
            out[k] = date.fromisoformat(out[k])
    for k in stamps:
        if out.get(k):
            out[k] = datetime.fromisoformat(out[k])
    return out


async def undo_merge(conn: AsyncConnection, merge_id: int, actor: str) -> int:
    """Put the merged person back as it was (same id); returns that id."""
    row = (
        await conn.execute(
            text(
                "SELECT kept_person_id, merged_person_id, snapshot, status, pair_id FROM "
                "import_merge "
                "WHERE id = :i FOR UPDATE"
            ),
            {"i": merge_id},
        )
    ).first()
    if row is None:
        raise NotFound("No existe esa fusión.", "MERGE_NOT_FOUND")
    keep, merged, snap, status, pair_id = row
    if status != "active":
        raise Conflict("La fusión ya fue deshecha.", "MERGE_ALREADY_UNDONE")
    person = _typed(snap["person"], ("birth_date", "entry_date"), ("created_at", "updated_at"))
    await conn.execute(text(insert_sql("person", person)), person)
    p = {"k": keep, "m": merged}
    for d in snap["documents"]:
        await conn.execute(
            text("UPDATE identity_document SET person_id = :m WHERE id = :d AND person_id = :k"),
            {**p, "d": d["id"]},
        )
    for m in snap["members"]:
        await conn.execute(
            text(
                "INSERT INTO case_member (case_id, person_id, relationship) VALUES (:c, :m, :r) "
                "ON CONFLICT DO NOTHING"
            ),
            {"c": m["case_id"], "m": merged, "r": m["relationship"]},
        )
        # the kept person's membership came from the merge when it had none before
        await conn.execute(
            text(
                "DELETE FROM case_member WHERE case_id = :c AND person_id = :k AND NOT EXISTS ("
                "SELECT 1 FROM import_row r JOIN case_file f ON f.id = :c WHERE r.person_id = :k "
                "AND r.id <> ALL(:rows) AND (r.\"values\"->>'case_number')::bigint = f.number)"
            ),
            {"c": m["case_id"], "k": keep, "rows": snap["rows"] or [0]},
        )
    for nd in snap["needs"]:
        nd = _typed(nd, (), ("recorded_at",))
        await conn.execute(text(insert_sql("case_need", nd) + " ON CONFLICT DO NOTHING"), nd)
    for h in snap["health"]:
        await conn.execute(text(insert_sql("health_profile", h) + " ON CONFLICT DO NOTHING"), h)
    for c in snap["consents"]:
        c = _typed(c, (), ("granted_at", "withdrawn_at"))
        await conn.execute(text(insert_sql("consent", c) + " ON CONFLICT DO NOTHING"), c)
    for ch in snap["choices"]:
        await conn.execute(
            text(insert_sql("import_field_choice", ch) + " ON CONFLICT DO NOTHING"), ch
        )
    if snap["rows"]:
        await conn.execute(
            text("UPDATE import_row SET person_id = :m WHERE id = ANY(:ids)"),
            {**p, "ids": snap["rows"]},
        )
    if snap["values"]:
        await conn.execute(
            text("UPDATE import_value SET person_id = :m WHERE id = ANY(:ids)"),
            {**p, "ids": snap["values"]},
        )
    await conn.execute(
        text(
            "UPDATE import_merge SET status = 'undone', undone_by = :a, undone_at = now() "
            "WHERE id = :i"
        ),
        {"a": actor, "i": merge_id},
    )
    if pair_id is not None:
        await conn.execute(
            text(
                "UPDATE import_pair SET status = 'rejected', decided_by = :a, decided_at = now() "
                "WHERE id = :i"
            ),
            {"a": actor, "i": pair_id},
        )
    return int(merged)
