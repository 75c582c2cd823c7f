"""Automatic assignment of cases to eligibility officers.

Rule (version ``RULE_VERSION``): a case under review without an officer goes to an
available eligibility officer of the case's office whose profiles cover the case's
profile, with open caseload below capacity, least loaded first (ties: the officer who
specialises in the principal's nationality, then the lowest id). A case's profile is
``children`` when it has an unaccompanied/separated child or child-at-risk need (UNHCR
categories UASC, CR), otherwise ``general``. Cases are taken in priority order.

Concurrency: an assigner locks the office's eligibility officers (``FOR UPDATE``, in id
order, so caseload counts are exact and capacity is never exceeded) and then takes cases
with ``FOR UPDATE SKIP LOCKED``: two assigners never take the same case, and a case
locked elsewhere (e.g. being moved) is left for the next run. Every assignment is
recorded in ``case_assignment`` with the rule version, the previous officer and the actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category
from auth.principal import Principal
from models.vocab import CaseStatus, Role
from services.errors import FieldProblem, NotFound, ValidationFailed
from services.permissions import require_any_write

RULE_VERSION = "assign-2026.11-1"
CHILD_CATEGORIES = ("UASC", "CR")
OPEN_STATUSES = (CaseStatus.UNDER_REVIEW.value, CaseStatus.APPEAL.value)
ASSIGNABLE_STATUS = CaseStatus.UNDER_REVIEW.value
MAX_BATCH = 1000


@dataclass(frozen=True)
class Assignment:
    case_number: int
    officer_id: int
    officer_username: str
    previous_officer_id: int | None
    rule_version: str
    reason: str


@dataclass(frozen=True)
class NotAssigned:
    """A case the rule could not give to anyone, and why (in Spanish, for the supervisor)."""

    case_number: int
    code: str  # NO_OFFICERS | NO_PROFILE | NO_CAPACITY
    reason: str


@dataclass(frozen=True)
class AssignmentRun:
    assigned: list[Assignment]
    unassigned: list[int]  # case numbers that no officer could take (profile or capacity)
    rule_version: str = RULE_VERSION
    not_assigned: list[NotAssigned] = field(default_factory=list)


@dataclass
class _Officer:
    id: int
    username: str
    profiles: frozenset[str]
    capacity: int
    load: int


def _may_assign(principal: Principal) -> None:
    require_any_write(
        principal,
        Category.CASE_ADMIN,
        "Solo un supervisor o supervisora puede asignar expedientes.",
    )


async def _officers(
    conn: AsyncConnection[Any], office_id: int, exclude: int | None = None
) -> list[_Officer]:
    """The office's available eligibility officers, locked, with their open caseload."""
    rows = await (
        await conn.execute(
            "SELECT o.id, o.username, o.profiles, o.capacity FROM officer o"
            " WHERE o.office_id = %s AND o.role = %s AND o.available"
            " AND o.id IS DISTINCT FROM %s ORDER BY o.id FOR UPDATE",
            (office_id, Role.CEPR_ELIGIBILITY.value, exclude),
        )
    ).fetchall()
    if not rows:
        return []
    loads = dict(
        await (
            await conn.execute(
                "SELECT assigned_officer_id, count(*) FROM case_file"
                " WHERE assigned_officer_id = ANY(%s) AND status = ANY(%s)"
                " GROUP BY assigned_officer_id",
                ([r[0] for r in rows], list(OPEN_STATUSES)),
            )
        ).fetchall()
    )
    return [_Officer(r[0], r[1], frozenset(r[2]), r[3], int(loads.get(r[0], 0))) for r in rows]


async def _case_profiles(
    conn: AsyncConnection[Any], case_ids: list[int]
) -> dict[int, tuple[str, str | None]]:
    """case id -> (profile, principal's nationality)."""
    rows = await (
        await conn.execute(
            "SELECT c.id,"
            " EXISTS (SELECT 1 FROM case_need n JOIN specific_need_code s ON s.code = n.code"
            "  WHERE n.case_id = c.id AND s.category = ANY(%s)),"
            " (SELECT p.nationality FROM case_member m JOIN person p ON p.id = m.person_id"
            "  WHERE m.case_id = c.id AND m.relationship = 'principal' LIMIT 1)"
            " FROM case_file c WHERE c.id = ANY(%s)",
            (list(CHILD_CATEGORIES), case_ids),
        )
    ).fetchall()
    return {r[0]: ("children" if r[1] else "general", r[2]) for r in rows}


def why_not(officers: list[_Officer], case_number: int, profile: str) -> NotAssigned:
    """Why no officer of ``officers`` can take a case of ``profile`` (the rule's words)."""
    if not officers:
        return NotAssigned(
            case_number,
            "NO_OFFICERS",
            "La oficina no tiene oficiales de elegibilidad disponibles.",
        )
    fit = [o for o in officers if profile in o.profiles]
    if not fit:
        return NotAssigned(
            case_number,
            "NO_PROFILE",
            f"Ningún oficial disponible de la oficina atiende el perfil «{profile}».",
        )
    loads = ", ".join(f"{o.username} {o.load} de {o.capacity}" for o in fit)
    return NotAssigned(
        case_number,
        "NO_CAPACITY",
        f"Los oficiales con el perfil «{profile}» tienen la carga completa ({loads}).",
    )


def _choose(officers: list[_Officer], profile: str, nationality: str | None) -> _Officer | None:
    fit = [o for o in officers if profile in o.profiles and o.load < o.capacity]
    if not fit:
        return None
    return min(fit, key=lambda o: (o.load, nationality not in o.profiles, o.id))


async def record_assignment(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_id: int,
    officer_id: int,
    previous: int | None,
    rule_version: str,
    reason: str,
) -> None:
    """Give the case to the officer and record it (rule version, previous officer, actor)."""
    await conn.execute(
        "UPDATE case_file SET assigned_officer_id = %s, updated_at = now() WHERE id = %s",
        (officer_id, case_id),
    )
    await conn.execute(
        "INSERT INTO case_assignment (case_id, officer_id, previous_officer_id,"
        " rule_version, reason, actor) VALUES (%s, %s, %s, %s, %s, %s)",
        (case_id, officer_id, previous, rule_version, reason, principal.actor_label),
    )


async def _assign(
    conn: AsyncConnection[Any],
    principal: Principal,
    cases: list[tuple[int, int, int | None]],
    officers: list[_Officer],
    rule: str,
) -> AssignmentRun:
    profiles = await _case_profiles(conn, [c[0] for c in cases])
    assigned: list[Assignment] = []
    unassigned: list[int] = []
    why: list[NotAssigned] = []
    for case_id, number, previous in cases:
        profile, nationality = profiles[case_id]
        officer = _choose(officers, profile, nationality)
        if officer is None:
            unassigned.append(number)
            why.append(why_not(officers, number, profile))
            if previous is not None:
                await conn.execute(
                    "UPDATE case_file SET assigned_officer_id = NULL, updated_at = now()"
                    " WHERE id = %s",
                    (case_id,),
                )
            continue
        officer.load += 1
        reason = (
            f"{rule}; perfil «{profile}», carga abierta {officer.load - 1} de {officer.capacity}"
        )
        await record_assignment(
            conn, principal, case_id, officer.id, previous, RULE_VERSION, reason
        )
        assigned.append(
            Assignment(number, officer.id, officer.username, previous, RULE_VERSION, reason)
        )
    return AssignmentRun(assigned, unassigned, not_assigned=why)


async def _office_id(conn: AsyncConnection[Any], office_code: str) -> int:
    row = await (
        await conn.execute("SELECT id FROM office WHERE code = %s", (office_code,))
    ).fetchone()
    if row is None:
        raise ValidationFailed(
            [FieldProblem(("officeCode",), "UNKNOWN_OFFICE", "La oficina indicada no existe.")]
        )
    return int(row[0])


async def assign_cases(
    conn: AsyncConnection[Any], principal: Principal, office_code: str, limit: int = 100
) -> AssignmentRun:
    """Assign up to ``limit`` unassigned cases under review of an office (highest priority
    first) to its eligibility officers; safe to run concurrently."""
    _may_assign(principal)
    if not 1 <= limit <= MAX_BATCH:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("limit",), "OUT_OF_RANGE", f"Indique entre 1 y {MAX_BATCH} expedientes."
                )
            ]
        )
    async with conn.transaction():
        office_id = await _office_id(conn, office_code)
        officers = await _officers(conn, office_id)
        cases = await (
            await conn.execute(
                "SELECT c.id, c.number, NULL::int FROM case_file c"
                " WHERE c.office_id = %s AND c.status = %s AND c.assigned_officer_id IS NULL"
                " ORDER BY c.priority_score DESC NULLS LAST, c.filing_date, c.id LIMIT %s"
                " FOR UPDATE SKIP LOCKED",
                (office_id, ASSIGNABLE_STATUS, limit),
            )
        ).fetchall()
        return await _assign(
            conn, principal, [tuple(c) for c in cases], officers, "Asignación automática"
        )


async def reassign_unavailable(
    conn: AsyncConnection[Any], principal: Principal, officer_id: int
) -> AssignmentRun:
    """Mark an officer unavailable and hand their open cases to the others of the office
    (same rule); cases nobody can take are left unassigned and reported."""
    _may_assign(principal)
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT office_id FROM officer WHERE id = %s AND role = %s",
                (officer_id, Role.CEPR_ELIGIBILITY.value),
            )
        ).fetchone()
        if row is None:
            raise NotFound("No existe ese oficial de elegibilidad.", "OFFICER_NOT_FOUND")
        # lock the office's officers in id order, as assign_cases does (no deadlock)
        await conn.execute(
            "SELECT id FROM officer WHERE office_id = %s AND role = %s ORDER BY id FOR UPDATE",
            (row[0], Role.CEPR_ELIGIBILITY.value),
        )
        await conn.execute("UPDATE officer SET available = false WHERE id = %s", (officer_id,))
        officers = await _officers(conn, row[0], exclude=officer_id)
        cases = await (
            await conn.execute(
                "SELECT c.id, c.number, c.assigned_officer_id FROM case_file c"
                " WHERE c.assigned_officer_id = %s AND c.status = ANY(%s)"
                " ORDER BY c.priority_score DESC NULLS LAST, c.filing_date, c.id FOR UPDATE",
                (officer_id, list(OPEN_STATUSES)),
            )
        ).fetchall()
        return await _assign(
            conn,
            principal,
            [tuple(c) for c in cases],
            officers,
            "Reasignación: oficial no disponible",
        )
