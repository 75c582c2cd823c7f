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
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, RowScope, Scope
from auth.principal import Principal
from models.vocab import DuplicateStatus
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.input_limits import REASON, text_problem
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


_SELECT = """
SELECT d.id, d.person_id, d.matched_person_id, d.source, d.score, d.status, d.raised_by,
       d.raised_at, d.resolved_by, d.resolved_at, d.resolution_note,
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
        row_scope=RowScope(person_ids=(row[1],), office_codes=frozenset(row[11])),
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
    problems = []
    if decision is DuplicateStatus.OPEN:
        problems.append(
            FieldProblem(("decision",), "INVALID_DECISION", "Decida DUPLICATE o DISTINCT.")
        )
    capped = text_problem(("note",), note, REASON)
    if capped is not None:
        problems.append(capped)
    elif len(note.strip()) < 10:
        problems.append(
            FieldProblem(
                ("note",), "NOTE_REQUIRED", "Explique la decisión (al menos 10 caracteres)."
            )
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
            exists = await (
                await conn.execute(
                    "SELECT status FROM possible_duplicate WHERE id = %s", (duplicate_id,)
                )
            ).fetchone()
            if exists is None:
                raise NotFound(
                    "No existe esa revisión de posible duplicado.", "DUPLICATE_NOT_FOUND"
                )
            raise Conflict(
                "Esta revisión ya fue decidida; recargue para ver la decisión.", "ALREADY_RESOLVED"
            )
        row = await (
            await conn.execute(_SELECT + " WHERE d.id = %s" + _GROUP, (duplicate_id,))
        ).fetchone()
    assert row is not None
    return _record(row)
