"""A supervisor's manual assignment (or reassignment) of one case to an eligibility
officer, under the same office, profile and capacity rules as the automatic assignment
(``services.casework.assignment``), and the list of an office's officers with their load.

The officers of the case's office are locked in id order, as the automatic assigner locks
them, so a manual assignment and an automatic run never exceed a capacity together; the
case row is locked too. The assignment is recorded in ``case_assignment`` with rule
version ``manual`` and the supervisor's reason (the access log holds the before/after).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category
from auth.principal import Principal
from models.vocab import Role
from services.casework.assignment import (
    OPEN_STATUSES,
    Assignment,
    _case_profiles,
    _officers,
    record_assignment,
)
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.input_limits import reason_problem
from services.permissions import require_any_write, require_read

MANUAL_RULE = "manual"


@dataclass(frozen=True)
class OfficerLoad:
    id: int
    username: str
    full_name: str
    office_code: str
    profiles: list[str]
    capacity: int
    load: int
    available: bool


async def eligibility_officers(
    conn: AsyncConnection[Any], principal: Principal, office_code: str
) -> list[OfficerLoad]:
    """The office's eligibility officers with their open caseload (one statement)."""
    require_read(principal, Category.CASE_ADMIN, "Su rol no consulta la carga de los oficiales.")
    rows = await (
        await conn.execute(
            "SELECT o.id, o.username, o.full_name, f.code, o.profiles, o.capacity, o.available,"
            " (SELECT count(*) FROM case_file c WHERE c.assigned_officer_id = o.id"
            "   AND c.status = ANY(%s))"
            " FROM officer o JOIN office f ON f.id = o.office_id"
            " WHERE f.code = %s AND o.role = %s ORDER BY o.username",
            (list(OPEN_STATUSES), office_code, Role.CEPR_ELIGIBILITY.value),
        )
    ).fetchall()
    return [OfficerLoad(r[0], r[1], r[2], r[3], sorted(r[4]), r[5], int(r[7]), r[6]) for r in rows]


async def assign_case(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    officer_username: str,
    reason: str,
) -> Assignment:
    """Give the case to ``officer_username`` (an available eligibility officer of the
    case's office whose profiles cover the case's, below capacity); one transaction."""
    require_any_write(
        principal, Category.CASE_ADMIN, "Solo un supervisor o supervisora asigna expedientes."
    )
    problem = reason_problem(
        ("reason",), reason, "REASON_REQUIRED", "Explique la asignación (al menos 10 caracteres)."
    )
    if problem is not None:
        raise ValidationFailed([problem])
    async with conn.transaction():
        case = await (
            await conn.execute(
                "SELECT id, office_id, status, assigned_officer_id FROM case_file"
                " WHERE number = %s",
                (case_number,),
            )
        ).fetchone()
        if case is None:
            raise NotFound("No existe un expediente con ese número.", "CASE_NOT_FOUND")
        case_id, office_id, status, previous = case
        if status not in OPEN_STATUSES:
            raise Conflict(
                "Solo se asignan expedientes en evaluación o en apelación.", "CASE_NOT_ASSIGNABLE"
            )
        # the office's officers first, in id order (as the automatic assigner), then the case
        officers = await _officers(conn, office_id)
        await conn.execute("SELECT id FROM case_file WHERE id = %s FOR UPDATE", (case_id,))
        officer = next((o for o in officers if o.username == officer_username), None)
        if officer is None:
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("officer",),
                        "OFFICER_NOT_ELIGIBLE",
                        "Elija un oficial de elegibilidad disponible de la oficina del expediente.",
                    )
                ]
            )
        if officer.id == previous:
            raise Conflict("El expediente ya está asignado a ese oficial.", "ALREADY_ASSIGNED")
        profile = (await _case_profiles(conn, [case_id]))[case_id][0]
        if profile not in officer.profiles:
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("officer",),
                        "PROFILE_MISMATCH",
                        f"Ese oficial no atiende el perfil «{profile}» del expediente.",
                    )
                ]
            )
        if officer.load >= officer.capacity:
            raise Conflict(
                f"Ese oficial tiene la carga completa ({officer.load} de {officer.capacity}).",
                "OFFICER_AT_CAPACITY",
            )
        text = f"Asignación manual: {reason.strip()}"
        await record_assignment(conn, principal, case_id, officer.id, previous, MANUAL_RULE, text)
    return Assignment(case_number, officer.id, officer.username, previous, MANUAL_RULE, text)
