"""Prioritisation: a score with its reasons, from versioned rules held as data.

The rules (``models/data/priority_rules.json``, loaded into ``priority_rule_set``) give
points per UNHCR need category, per profile (nationality-based procedures) and per week of
waiting (capped, but enough that no case starves behind newer urgent ones). Each case's
score is stored in ``case_priority`` with its reasons ``[{rule, points, explanation}]``
and the rule version; ``case_file.priority_score`` holds the effective score (a
supervisor's override when there is one). Scores are recomputed when a case's needs change
(``recompute_case``) and when the rules change (``activate_rules`` recomputes every open
case).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import kwargs_row
from psycopg.types.json import Jsonb

from auth.policy import Category, Scope
from auth.principal import Principal
from models.vocab import PENDING_STATUSES
from services.errors import FieldProblem, Forbidden, NotFound, ValidationFailed
from services.input_limits import REASON, text_problem
from services.permissions import require_any_write, require_read
from services.record_columns import by_name

RULES_FILE = Path(__file__).resolve().parents[2] / "models" / "data" / "priority_rules.json"
OPEN = sorted(s.value for s in PENDING_STATUSES)
MAX_SCORE = Decimal("999999.99")


@dataclass(frozen=True)
class Reason:
    rule: str
    points: Decimal
    explanation: str


@dataclass(frozen=True)
class Priority:
    case_number: int
    score: Decimal  # effective: the override when there is one
    computed_score: Decimal
    rule_version: str
    reasons: list[Reason]
    override_reason: str | None = None
    override_by: str | None = None
    override_at: datetime | None = None


@dataclass(frozen=True)
class QueueEntry:
    case_number: int
    status: str
    filing_date: date
    assigned_officer_id: int | None
    priority: Priority
    office_code: str


def file_rules() -> dict[str, Any]:
    """The rules shipped with the hub (the current version)."""
    rules: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return rules


def _check_rules(rules: dict[str, Any]) -> None:
    problems: list[FieldProblem] = []
    if not isinstance(rules.get("version"), str) or not rules["version"].strip():
        problems.append(FieldProblem(("version",), "REQUIRED", "Indique la versión de las reglas."))
    for category, need in (rules.get("needs") or {}).items():
        if not isinstance(need, dict) or not isinstance(need.get("points"), int | float):
            problems.append(
                FieldProblem(("needs", category, "points"), "INVALID", "Indique los puntos.")
            )
    waiting = rules.get("waiting") or {}
    for key in ("points_per_week", "max_points"):
        if not isinstance(waiting.get(key), int | float) or waiting[key] < 0:
            problems.append(
                FieldProblem(("waiting", key), "INVALID", "Indique un número no negativo.")
            )
    if problems:
        raise ValidationFailed(problems)


def score(
    rules: dict[str, Any],
    categories: set[str],
    nationality: str | None,
    filing_date: date,
    today: date,
) -> tuple[Decimal, list[Reason]]:
    """The score and its reasons for a case (pure: same inputs, same answer)."""
    reasons: list[Reason] = []
    for category in sorted(categories):
        need = rules.get("needs", {}).get(category)
        if need:
            reasons.append(
                Reason(f"necesidad:{category}", Decimal(str(need["points"])), need["explanation"])
            )
    for profile in rules.get("profiles", []):
        if nationality in profile.get("nationalities", []):
            reasons.append(
                Reason(profile["rule"], Decimal(str(profile["points"])), profile["explanation"])
            )
    waiting = rules["waiting"]
    weeks = max(0, (today - filing_date).days // 7)
    points = min(
        Decimal(str(waiting["max_points"])), weeks * Decimal(str(waiting["points_per_week"]))
    )
    if points > 0:
        reasons.append(Reason(waiting["rule"], points, waiting["explanation"].format(weeks=weeks)))
    return min(MAX_SCORE, sum((r.points for r in reasons), Decimal(0))), reasons


async def active_rules(conn: AsyncConnection[Any]) -> dict[str, Any]:
    """The rules in force: the active version in the database, else the shipped file."""
    row = await (await conn.execute("SELECT rules FROM priority_rule_set WHERE active")).fetchone()
    if row is None:
        return file_rules()
    (rules,) = row
    return dict(rules)


async def activate_rules(
    conn: AsyncConnection[Any], principal: Principal, rules: dict[str, Any] | None = None
) -> int:
    """Put a rule version in force (the shipped file when ``rules`` is None) and recompute
    every open case; returns how many cases were recomputed. Supervisors only; a version
    already stored is reused as is (versions are immutable)."""
    require_any_write(
        principal,
        Category.NEEDS_PRIORITY,
        "Solo un supervisor o supervisora puede cambiar las reglas de prioridad.",
    )
    rules = rules if rules is not None else file_rules()
    _check_rules(rules)
    async with conn.transaction():
        await conn.execute("LOCK TABLE priority_rule_set IN SHARE ROW EXCLUSIVE MODE")
        await conn.execute(
            "INSERT INTO priority_rule_set (version, rules, created_by) VALUES (%s, %s, %s)"
            " ON CONFLICT (version) DO NOTHING",
            (rules["version"], Jsonb(rules), principal.actor_label),
        )
        await conn.execute(
            "UPDATE priority_rule_set SET active = (version = %s)", (rules["version"],)
        )
        return await _recompute(conn, None)


async def recompute_case(conn: AsyncConnection[Any], case_id: int) -> None:
    """Recompute one case (call in the transaction that changed its needs)."""
    await _recompute(conn, case_id)


async def _recompute(conn: AsyncConnection[Any], case_id: int | None) -> int:
    rules = await active_rules(conn)
    rows = await (
        await conn.execute(
            "SELECT c.id, c.filing_date,"
            " (SELECT p.nationality FROM case_member m JOIN person p ON p.id = m.person_id"
            "  WHERE m.case_id = c.id AND m.relationship = 'principal' LIMIT 1),"
            " ARRAY(SELECT DISTINCT s.category FROM case_need n"
            "  JOIN specific_need_code s ON s.code = n.code WHERE n.case_id = c.id),"
            " current_date"
            " FROM case_file c WHERE (%s::bigint IS NULL AND c.status = ANY(%s)) OR c.id = %s",
            (case_id, OPEN, case_id),
        )
    ).fetchall()
    batch = []
    for cid, filing, nationality, categories, today in rows:
        total, reasons = score(rules, set(categories), nationality, filing, today)
        batch.append(
            (
                cid,
                total,
                rules["version"],
                Jsonb(
                    [
                        {"rule": r.rule, "points": float(r.points), "explanation": r.explanation}
                        for r in reasons
                    ]
                ),
            )
        )
    if not batch:
        return 0
    async with conn.cursor() as cur:
        await cur.executemany(
            "INSERT INTO case_priority (case_id, score, rule_version, reasons, computed_at)"
            " VALUES (%s, %s, %s, %s, now()) ON CONFLICT (case_id) DO UPDATE SET"
            " score = excluded.score, rule_version = excluded.rule_version,"
            " reasons = excluded.reasons, computed_at = excluded.computed_at",
            batch,
        )
    await conn.execute(
        "UPDATE case_file c SET priority_score = coalesce(p.override_score, p.score)"
        " FROM case_priority p WHERE p.case_id = c.id AND c.id = ANY(%s)"
        " AND c.priority_score IS DISTINCT FROM coalesce(p.override_score, p.score)",
        ([b[0] for b in batch],),
    )
    return len(batch)


async def override(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    new_score: Decimal | None,
    reason: str,
) -> Priority:
    """A supervisor sets (or with ``new_score=None`` lifts) a case's priority, with a reason
    that is shown with the score."""
    require_any_write(
        principal,
        Category.NEEDS_PRIORITY,
        "Solo un supervisor o supervisora puede modificar la prioridad.",
    )
    problems = []
    capped = text_problem(("reason",), reason, REASON)
    if capped is not None:
        problems.append(capped)
    elif not reason.strip():
        problems.append(FieldProblem(("reason",), "REQUIRED", "Indique el motivo del cambio."))
    if new_score is not None and not Decimal(0) <= new_score <= MAX_SCORE:
        problems.append(
            FieldProblem(("score",), "OUT_OF_RANGE", "La prioridad debe ser un número positivo.")
        )
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT id FROM case_file WHERE number = %s FOR UPDATE", (case_number,)
            )
        ).fetchone()
        if row is None:
            raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
        (case_id,) = row
        await _recompute(conn, case_id)
        await conn.execute(
            "UPDATE case_priority SET override_score = %s, override_reason = %s,"
            " override_by = %s, override_at = now() WHERE case_id = %s",
            (new_score, reason.strip(), principal.actor_label, case_id),
        )
        await conn.execute(
            "UPDATE case_file c SET priority_score = coalesce(p.override_score, p.score)"
            " FROM case_priority p WHERE p.case_id = c.id AND c.id = %s",
            (case_id,),
        )
    result = await priorities(conn, [case_number])
    return result[case_number]


# Named after the fields of Priority and QueueEntry, for ``_queue_entry``.
_SELECT = (
    "SELECT c.number AS case_number, coalesce(p.override_score, p.score) AS score,"
    " p.score AS computed_score, p.rule_version, p.reasons, p.override_reason,"
    " p.override_by, p.override_at, c.status, c.filing_date, c.assigned_officer_id,"
    " o.code AS office_code FROM case_file c JOIN case_priority p ON p.case_id = c.id"
    " JOIN office o ON o.id = c.office_id"
)


def _queue_entry(
    *,
    status: str,
    filing_date: date,
    assigned_officer_id: int | None,
    office_code: str,
    score: Decimal,
    computed_score: Decimal,
    reasons: list[dict[str, Any]],
    **fields: Any,
) -> QueueEntry:
    priority = Priority(
        score=Decimal(score),
        computed_score=Decimal(computed_score),
        reasons=[Reason(x["rule"], Decimal(str(x["points"])), x["explanation"]) for x in reasons],
        **fields,
    )
    return QueueEntry(
        priority.case_number, status, filing_date, assigned_officer_id, priority, office_code
    )


async def priorities(conn: AsyncConnection[Any], case_numbers: list[int]) -> dict[int, Priority]:
    """Stored priorities (score, reasons, override) of these cases, in one statement."""
    entries = await by_name(
        conn,
        _queue_entry,
        _SELECT + " WHERE c.number = ANY(%(numbers)s)",
        {"numbers": case_numbers},
    )
    return {e.case_number: e.priority for e in entries}


async def officer_queue(
    conn: AsyncConnection[Any], principal: Principal, limit: int = 50
) -> list[QueueEntry]:
    """The caller's queue, highest priority first: an eligibility officer's assigned open
    cases; a registrar's or supervisor's office's open cases (supervisor: all offices
    when the principal has no office)."""
    params: list[object]
    # the queue is case administration: its rows are those the role reads (policy)
    scope = require_read(
        principal, Category.CASE_ADMIN, "Solo el personal de la Comisión tiene cola de expedientes."
    )
    if scope is Scope.ASSIGNED:
        where, params = "c.assigned_officer_id = %s", [principal.officer_id]
    elif scope in (Scope.OWN_OFFICE, Scope.ALL):
        where = "(%s::text IS NULL OR c.office_id = (SELECT id FROM office WHERE code = %s))"
        params = [principal.office_code, principal.office_code]
        if scope is Scope.OWN_OFFICE and principal.office_code is None:
            raise Forbidden("Su cuenta no tiene oficina.")
    else:
        raise Forbidden("Solo el personal de la Comisión tiene cola de expedientes.")
    async with conn.cursor(row_factory=kwargs_row(_queue_entry)) as cursor:
        await cursor.execute(
            _SELECT + f" WHERE {where} AND c.status = ANY(%s)"
            " ORDER BY coalesce(p.override_score, p.score) DESC, c.filing_date, c.number"
            " LIMIT %s",
            (*params, OPEN, max(1, min(limit, 500))),
        )
        return await cursor.fetchall()
