"""Review of possible duplicates raised by biometric enrolment.

A registrar's enrolment that matches another person raises a possible duplicate and
enrols nothing (``biometrics.enrol``). A supervisor then decides: ``distinct`` (two
people: the enrolment can be made again and that match no longer blocks it) or
``duplicate`` (the same person registered twice: enrolment stays refused and the office
continues with the earlier registration). Registrars see the reviews of their own
office's persons; supervisors see all of them and decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from psycopg import AsyncConnection

from auth.policy import Category, RowScope, Scope
from auth.principal import Principal
from models.vocab import DuplicateStatus
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.input_limits import reason_problem
from services.permissions import require_any_write, require_read

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class PossibleDuplicateRecord:
    id: int
    person_id: int
    matched_person_id: int
    source: str
    score: float
    status: DuplicateStatus
    raised_by: str
    raised_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None
    row_scope: RowScope
    # the last "same person" decision undone (the review is open again), and why
    undone_by: str | None = None
    undone_at: datetime | None = None
    undo_note: str | None = None


_SELECT = """
SELECT d.id, d.person_id, d.matched_person_id, d.source, d.score, d.status, d.raised_by,
       d.raised_at, d.resolved_by, d.resolved_at, d.resolution_note,
       d.undone_by, d.undone_at, d.undo_note,
       coalesce(array_agg(DISTINCT o.code) FILTER (WHERE o.code IS NOT NULL), '{}')
  FROM possible_duplicate d
  LEFT JOIN case_member m ON m.person_id = d.person_id
  LEFT JOIN case_file c ON c.id = m.case_id
  LEFT JOIN office o ON o.id = c.office_id
"""
_GROUP = " GROUP BY d.id"


def _record(row: Any) -> PossibleDuplicateRecord:
    return PossibleDuplicateRecord(
        id=row[0],
        person_id=row[1],
        matched_person_id=row[2],
        source=row[3],
        score=float(row[4]),
        status=DuplicateStatus(row[5]),
        raised_by=row[6],
        raised_at=row[7],
        resolved_by=row[8],
        resolved_at=row[9],
        resolution_note=row[10],
        undone_by=row[11],
        undone_at=row[12],
        undo_note=row[13],
        row_scope=RowScope(person_ids=(row[1],), office_codes=frozenset(row[14])),
    )


async def list_possible_duplicates(
    conn: AsyncConnection[Any],
    principal: Principal,
    status: DuplicateStatus | None = DuplicateStatus.OPEN,
    first: int = 50,
    after_id: int | None = None,
) -> list[PossibleDuplicateRecord]:
    """Reviews by id, oldest first (``status`` None: all), one statement. Registrars get
    only those of persons with a case in their office; other roles none."""
    scope = require_read(
        principal, Category.BIOMETRICS_MATCH, "Su rol no revisa posibles duplicados."
    )
    if not 1 <= first <= MAX_PAGE:
        raise ValidationFailed(
            [FieldProblem(("first",), "OUT_OF_RANGE", f"Pida entre 1 y {MAX_PAGE} registros.")]
        )
    where = ["true"]
    params: dict[str, Any] = {"first": first}
    if status is not None:
        where.append("d.status = %(status)s")
        params["status"] = status.value
    if after_id is not None:
        where.append("d.id > %(after)s")
        params["after"] = after_id
    having = ""
    if scope is not Scope.ALL:
        # the offices the select already gathers for the row scope
        having = " HAVING bool_or(o.code = %(office)s)"
        params["office"] = principal.office_code or ""
    cursor = await conn.execute(
        _SELECT
        + " WHERE "
        + " AND ".join(where)
        + _GROUP
        + having
        + " ORDER BY d.id LIMIT %(first)s",
        params,
    )
    return [_record(row) for row in await cursor.fetchall()]


def _note_problems(note: str) -> list[FieldProblem]:
    problem = reason_problem(
        ("note",), note, "NOTE_REQUIRED", "Explique la decisión (al menos 10 caracteres)."
    )
    return [] if problem is None else [problem]


async def _refuse_missing_or(
    conn: AsyncConnection[Any], duplicate_id: int, conflict: Conflict
) -> NoReturn:
    """After an update that matched nothing: NotFound when the review does not exist,
    else ``conflict`` (someone decided first, or it is not in the state asked for)."""
    exists = await (
        await conn.execute("SELECT 1 FROM possible_duplicate WHERE id = %s", (duplicate_id,))
    ).fetchone()
    if exists is None:
        raise NotFound("No existe esa revisión de posible duplicado.", "DUPLICATE_NOT_FOUND")
    raise conflict


async def resolve_possible_duplicate(
    conn: AsyncConnection[Any],
    principal: Principal,
    duplicate_id: int,
    decision: DuplicateStatus,
    note: str,
) -> PossibleDuplicateRecord:
    """A supervisor's decision on an open review, with the reason; one transaction.

    ``Conflict`` (ALREADY_RESOLVED) when someone decided it first: decisions are not
    overwritten silently."""
    require_any_write(
        principal,
        Category.BIOMETRICS_REVIEW,
        "Solo una supervisora o un supervisor decide sobre posibles duplicados.",
    )
    problems = _note_problems(note)
    if decision is DuplicateStatus.OPEN:
        problems.append(
            FieldProblem(("decision",), "INVALID_DECISION", "Decida DUPLICATE o DISTINCT.")
        )
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE possible_duplicate SET status = %s, resolved_by = %s, resolved_at = now(),"
            " resolution_note = %s WHERE id = %s AND status = 'open' RETURNING id",
            (decision.value, principal.actor_label, note.strip(), duplicate_id),
        )
        if await cursor.fetchone() is None:
            await _refuse_missing_or(
                conn,
                duplicate_id,
                Conflict(
                    "Esta revisión ya fue decidida; recargue para ver la decisión.",
                    "ALREADY_RESOLVED",
                ),
            )
        row = await (
            await conn.execute(_SELECT + " WHERE d.id = %s" + _GROUP, (duplicate_id,))
        ).fetchone()
    assert row is not None
    return _record(row)


async def undo_duplicate_decision(
    conn: AsyncConnection[Any], principal: Principal, duplicate_id: int, note: str
) -> PossibleDuplicateRecord:
    """Undo a "same person" (DUPLICATE) decision, with the reason: the review is open
    again (enrolment stays refused until someone decides anew); one transaction. Who
    decided, when and why stays in the access log's before/after of this write."""
    require_any_write(
        principal,
        Category.BIOMETRICS_REVIEW,
        "Solo una supervisora o un supervisor deshace una decisión sobre duplicados.",
    )
    problems = _note_problems(note)
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE possible_duplicate SET status = 'open', resolved_by = NULL,"
            " resolved_at = NULL, resolution_note = NULL, undone_by = %s, undone_at = now(),"
            " undo_note = %s WHERE id = %s AND status = 'duplicate' RETURNING id",
            (principal.actor_label, note.strip(), duplicate_id),
        )
        if await cursor.fetchone() is None:
            await _refuse_missing_or(
                conn,
                duplicate_id,
                Conflict(
                    "Solo se deshace una decisión «misma persona»; recargue para ver el estado.",
                    "NOT_A_DUPLICATE_DECISION",
                ),
            )
        row = await (
            await conn.execute(_SELECT + " WHERE d.id = %s" + _GROUP, (duplicate_id,))
        ).fetchone()
    assert row is not None
    return _record(row)
