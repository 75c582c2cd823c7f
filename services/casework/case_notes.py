"""Case notes: what an officer writes down about a case between formal records.

ACCESS-POLICY.md lists "interview records and notes" under ``claim``, so a note is claim
data wherever it is: the assigned eligibility officer writes it (the ``claim`` write
grant), the roles that read claim read it (the GraphQL layer checks and logs each read
before calling ``notes_by_case``), and its text is sealed at rest under the case's data
key (``services.sealing``) like every other claim value. No other agency reads claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, RowScope
from auth.principal import Principal
from services.casework.claim_records import KEYS_SQL, _opener, fetch_pipelined
from services.errors import FieldProblem, Forbidden, ValidationFailed
from services.input_limits import LONG_TEXT, text_problem
from services.permissions import require_any_write, scope_holds
from services.sealing import case_key_for_writing, key_from_row

NOTE_BODY = "case_note.body"  # the field name bound into each sealed note
_REFUSED = "Solo el oficial de elegibilidad asignado al expediente escribe sus notas."


@dataclass(frozen=True)
class CaseNote:
    id: int
    case_id: int
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class NoteAdded:
    note: CaseNote
    row_scope: RowScope  # the case's: office, assigned officer, members


async def add_case_note(
    conn: AsyncConnection[Any], principal: Principal, case_number: int, text: str
) -> NoteAdded:
    """Add a note to a case (sealed); one transaction. A case the caller may not write
    and a case that does not exist get the same refusal (existence is personal data)."""
    scope = require_any_write(principal, Category.CLAIM, _REFUSED)
    problem = text_problem(("text",), text, LONG_TEXT)
    if problem is None and len(text.strip()) < 3:
        problem = FieldProblem(("text",), "NOTE_REQUIRED", "Escriba la nota.")
    if problem is not None:
        raise ValidationFailed([problem])
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT c.id, c.assigned_officer_id, o.code,"
                " array(SELECT m.person_id FROM case_member m WHERE m.case_id = c.id)"
                " FROM case_file c JOIN office o ON o.id = c.office_id WHERE c.number = %s"
                " FOR UPDATE OF c",
                (case_number,),
            )
        ).fetchone()
        if row is None or not scope_holds(principal, scope, office_code=row[2], officer_id=row[1]):
            raise Forbidden(_REFUSED)
        key = await case_key_for_writing(conn, row[0])
        created = await (
            await conn.execute(
                "INSERT INTO case_note (case_id, body, author) VALUES (%s, %s, %s)"
                " RETURNING id, created_at",
                (row[0], key.seal(text.strip(), NOTE_BODY), principal.actor_label),
            )
        ).fetchone()
    assert created is not None
    row_scope = RowScope(
        person_ids=tuple(row[3]),
        office_codes=frozenset({row[2]}),
        assigned_officer_ids=frozenset({row[1]} if row[1] is not None else ()),
    )
    note = CaseNote(created[0], row[0], text.strip(), principal.actor_label, created[1])
    return NoteAdded(note, row_scope)


async def notes_by_case(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, list[CaseNote]]:
    """Each case's notes, oldest first, opened (two statements, one round trip). Call
    only after the policy allowed and logged the read of claim data."""
    ids = sorted(set(case_ids))
    out: dict[int, list[CaseNote]] = {case_id: [] for case_id in ids}
    if not ids:
        return out
    keys, rows = await fetch_pipelined(
        conn,
        (
            KEYS_SQL,
            "SELECT case_id, id, body, author, created_at FROM case_note"
            " WHERE case_id = ANY(%s::bigint[]) ORDER BY id",
        ),
        ids,
    )
    opened = _opener({r[0]: key_from_row(r[0], r[1], r[2]) for r in keys})
    for r in rows:
        out[r[0]].append(CaseNote(r[1], r[0], opened(r[0], r[2], NOTE_BODY), r[3], r[4]))
    return out
