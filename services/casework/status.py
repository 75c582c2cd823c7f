"""The case status machine: which role may move a case from which status to which.

Every transition is recorded (actor, time, reason) in the same transaction as the
change; an illegal one is refused and changes nothing. Decisions on the claim
(recognise, reject, make final) are the Executive Secretary's; the workflow steps belong
to registrars (own office) and supervisors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.principal import Principal
from models.vocab import CaseStatus, Role
from services.casework.notifications import enqueue_protection_change
from services.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed

S = CaseStatus
WORKFLOW = frozenset({Role.CEPR_REGISTRAR, Role.CEPR_SUPERVISOR})
DECISION = frozenset({Role.CEPR_SECRETARY})
CLOSING = frozenset({Role.CEPR_SUPERVISOR})

# (from, to) -> roles allowed to make that move
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], frozenset[Role]] = {
    (S.PRE_REGISTERED, S.APPOINTMENT_SCHEDULED): WORKFLOW,
    (S.APPOINTMENT_SCHEDULED, S.REGISTERED): WORKFLOW,
    (S.REGISTERED, S.UNDER_REVIEW): WORKFLOW,
    (S.UNDER_REVIEW, S.RECOGNISED): DECISION,
    (S.UNDER_REVIEW, S.REJECTED): DECISION,
    (S.REJECTED, S.APPEAL): WORKFLOW,
    (S.REJECTED, S.REJECTED_FINAL): DECISION,
    (S.APPEAL, S.RECOGNISED): DECISION,
    (S.APPEAL, S.REJECTED_FINAL): DECISION,
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
    """Where ``role`` may move a case that is in ``current``."""
    return [to for (frm, to), roles in TRANSITIONS.items() if frm is current and role in roles]


async def change_status(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    to: CaseStatus,
    reason: str,
) -> Transition:
    """Move a case, or refuse (ILLEGAL_TRANSITION, FORBIDDEN) and change nothing."""
    if not reason.strip():
        raise ValidationFailed(
            [FieldProblem(("reason",), "REQUIRED", "Indique el motivo del cambio de estado.")]
        )
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT c.id, c.status, o.code FROM case_file c JOIN office o ON o.id = c.office_id"
                " WHERE c.number = %s FOR UPDATE OF c",
                (case_number,),
            )
        ).fetchone()
        if row is None:
            raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
        case_id, current_raw, office = row
        current = CaseStatus(current_raw)
        if principal.role is Role.CEPR_REGISTRAR and principal.office_code != office:
            raise Forbidden("Solo puede cambiar el estado de expedientes de su oficina.")
        roles = TRANSITIONS.get((current, to))
        if roles is None or principal.role not in roles:
            possible = ", ".join(LABELS[s] for s in allowed_targets(current, principal.role))
            raise Conflict(
                f"No se puede pasar de «{LABELS[current]}» a «{LABELS[to]}» con su rol. "
                + (
                    f"Desde aquí puede pasar a: {possible}."
                    if possible
                    else "Su rol no puede cambiar este estado."
                ),
                "ILLEGAL_TRANSITION",
            )
        await conn.execute(
            "UPDATE case_file SET status = %s, updated_at = now() WHERE id = %s",
            (to.value, case_id),
        )
        await conn.execute(
            "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
            " VALUES (%s, %s, %s, %s, %s)",
            (case_id, current.value, to.value, principal.actor_label, reason.strip()),
        )
        # subscribed agencies' webhooks, in the same transaction (outbox)
        await enqueue_protection_change(conn, case_id, case_number, current, to)
    return Transition(case_number, current, to, office)
