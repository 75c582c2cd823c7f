"""The case status machine: which moves exist, and under which declared write each is made.

Every transition is recorded (actor, time, reason) in the same transaction as the
change; an illegal one is refused and changes nothing. The generic change of status
(``change_status``) makes only workflow moves: registrars (own office) and supervisors
write ``status.workflow``; archiving is case administration (``case_admin``, the
supervisors'). The states that record an eligibility decision or an appeal are reached
only through ``decideCase`` and ``fileAppeal`` (``services.casework.eligibility``), with
their checks and record (ACCESS-POLICY.md, rule 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, write_scope
from auth.principal import Principal
from models.vocab import CaseStatus, Role
from services.casework.claim_records import STATUS_REASON
from services.casework.notifications import enqueue_protection_change
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.input_limits import REASON, require_text
from services.permissions import require_write
from services.sealing import case_key_for_writing

S = CaseStatus
WORKFLOW = Category.STATUS_WORKFLOW
CLOSING = Category.CASE_ADMIN

# (from, to) -> the category whose write a generic move needs
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], str] = {
    (S.PRE_REGISTERED, S.APPOINTMENT_SCHEDULED): WORKFLOW,
    (S.APPOINTMENT_SCHEDULED, S.REGISTERED): WORKFLOW,
    (S.REGISTERED, S.UNDER_REVIEW): WORKFLOW,
    (S.RECOGNISED, S.CLOSED): CLOSING,
    (S.REJECTED_FINAL, S.CLOSED): CLOSING,
    **{
        (s, S.WITHDRAWN): WORKFLOW
        for s in (S.PRE_REGISTERED, S.APPOINTMENT_SCHEDULED, S.REGISTERED, S.UNDER_REVIEW, S.APPEAL)
    },
    **{
        (s, S.ABANDONED): WORKFLOW
        for s in (S.PRE_REGISTERED, S.APPOINTMENT_SCHEDULED, S.REGISTERED)
    },
}
# Moves made only by the decision (``decideCase``) and the appeal (``fileAppeal``).
DECISIONS: frozenset[tuple[CaseStatus, CaseStatus]] = frozenset(
    {
        (S.UNDER_REVIEW, S.RECOGNISED),
        (S.UNDER_REVIEW, S.REJECTED),
        (S.APPEAL, S.RECOGNISED),
        (S.APPEAL, S.REJECTED_FINAL),
        (S.REJECTED, S.REJECTED_FINAL),  # a rejection not appealed, made final
    }
)
APPEALS: frozenset[tuple[CaseStatus, CaseStatus]] = frozenset({(S.REJECTED, S.APPEAL)})
DECISION_STATES = frozenset({S.RECOGNISED, S.REJECTED, S.REJECTED_FINAL, S.APPEAL})
# A decision's reasons are claim data: sealed in ``sealed_reason``; ``reason`` says so.
SEALED_REASON_NOTE = "Fundamentos de la decisión (datos de la solicitud, sellados)"
LABELS = {
    S.PRE_REGISTERED: "prerregistrado",
    S.APPOINTMENT_SCHEDULED: "citado",
    S.REGISTERED: "registrado",
    S.UNDER_REVIEW: "en evaluación de elegibilidad",
    S.RECOGNISED: "reconocido",
    S.REJECTED: "denegado",
    S.APPEAL: "en apelación",
    S.REJECTED_FINAL: "denegado en última instancia",
    S.WITHDRAWN: "desistido",
    S.CLOSED: "archivado",
    S.ABANDONED: "abandonado",
}


@dataclass(frozen=True)
class Transition:
    case_number: int
    from_status: CaseStatus
    to_status: CaseStatus
    office_code: str


def allowed_targets(current: CaseStatus, role: Role) -> list[CaseStatus]:
    """Where ``role`` may move a case that is in ``current`` with the generic change."""
    return [
        to
        for (frm, to), category in TRANSITIONS.items()
        if frm is current and write_scope(role, category) is not None
    ]


def _reason(reason: str) -> str:
    require_text(("reason",), reason, REASON)
    if not reason.strip():
        raise ValidationFailed(
            [FieldProblem(("reason",), "REQUIRED", "Indique el motivo del cambio de estado.")]
        )
    return reason.strip()


async def lock_case(
    conn: AsyncConnection[Any], case_number: int
) -> tuple[int, CaseStatus, int | None, str]:
    """(id, status, assigned officer, office code) of the case, locked for the change;
    ``NotFound`` (CASE_NOT_FOUND) when there is none."""
    row = await (
        await conn.execute(
            "SELECT c.id, c.status, c.assigned_officer_id, o.code FROM case_file c"
            " JOIN office o ON o.id = c.office_id WHERE c.number = %s FOR UPDATE OF c",
            (case_number,),
        )
    ).fetchone()
    if row is None:
        raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
    case_id, status, officer_id, office_code = row
    return case_id, CaseStatus(status), officer_id, office_code


async def change_status(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    to: CaseStatus,
    reason: str,
) -> Transition:
    """Move a case along the workflow, or refuse (ILLEGAL_TRANSITION, FORBIDDEN) and change
    nothing. Decisions and appeals are refused here: they have their own actions."""
    text = _reason(reason)
    async with conn.transaction():
        case_id, current, officer, office = await lock_case(conn, case_number)
        category = TRANSITIONS.get((current, to))
        if category is None or write_scope(principal.role, category) is None:
            possible = ", ".join(LABELS[s] for s in allowed_targets(current, principal.role))
            through = (
                " Ese estado solo se alcanza con la decisión (decideCase) o la apelación"
                " (fileAppeal)."
                if (current, to) in DECISIONS | APPEALS
                else ""
            )
            raise Conflict(
                f"No se puede pasar de «{LABELS[current]}» a «{LABELS[to]}» con su rol."
                + through
                + (
                    f" Desde aquí puede pasar a: {possible}."
                    if possible
                    else " Su rol no puede cambiar este estado."
                ),
                "ILLEGAL_TRANSITION",
            )
        require_write(
            principal,
            category,
            "Solo puede cambiar el estado de expedientes de su oficina.",
            office_code=office,
            officer_id=officer,
        )
        await record_move(conn, principal, case_id, case_number, current, to, text)
    return Transition(case_number, current, to, office)


async def record_move(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_id: int,
    case_number: int,
    current: CaseStatus,
    to: CaseStatus,
    reason: str,
) -> None:
    """Write a move already allowed by its action (generic change, decision, appeal): the
    new status, its history row, and the agencies' notifications (outbox), in the caller's
    transaction."""
    await conn.execute(
        "UPDATE case_file SET status = %s, updated_at = now() WHERE id = %s",
        (to.value, case_id),
    )
    sealed = None
    if (current, to) in DECISIONS:
        key = await case_key_for_writing(conn, case_id)
        reason, sealed = SEALED_REASON_NOTE, key.seal(reason, STATUS_REASON)
    await conn.execute(
        "INSERT INTO status_change (case_id, from_status, to_status, actor, reason,"
        " sealed_reason) VALUES (%s, %s, %s, %s, %s, %s)",
        (case_id, current.value, to.value, principal.actor_label, reason, sealed),
    )
    await enqueue_protection_change(conn, case_id, case_number, current, to)


async def member_ids(conn: AsyncConnection[Any], case_number: int) -> tuple[int, ...]:
    """The persons of a case (whose protection a move of the case changes)."""
    row = await (
        await conn.execute(
            "SELECT coalesce(array_agg(m.person_id ORDER BY m.person_id), '{}')"
            " FROM case_member m JOIN case_file c ON c.id = m.case_id WHERE c.number = %s",
            (case_number,),
        )
    ).fetchone()
    if row is None:
        return ()
    (ids,) = row
    return tuple(ids)
