"""A case's claim, read back (category ``claim``): interviews, assessments and their
recommendations, decisions and appeals — for the roles the policy lets read claim data
(the assigned eligibility officer, supervisors, the Executive Secretary), every read
logged; and the applicant's own decision letters (``claim.decision_letter``)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import AppointmentMode, CaseStatus, Ground, Recommendation


@strawberry.federation.type(shareable=True, description="Entrevista de elegibilidad.")
class ClaimInterview:
    mode: AppointmentMode | None
    held_at: datetime | None
    language: str | None
    interpreter: bool | None
    summary: str | None
    interviewer: str | None
    recorded_at: datetime | None


@strawberry.federation.type(
    shareable=True, description="Evaluación de elegibilidad y su recomendación."
)
class ClaimAssessment:
    grounds: list[Ground] | None
    credibility: str | None
    analysis: str | None
    recommendation: Recommendation | None
    assessor: str | None
    recorded_at: datetime | None


@strawberry.federation.type(shareable=True, description="Decisión sobre la solicitud.")
class ClaimDecision:
    instance: str | None = strawberry.field(description="first (primera instancia) o appeal.")
    outcome: CaseStatus | None
    reasons: str | None
    decided_by: str | None
    decided_at: datetime | None


@strawberry.federation.type(shareable=True, description="Apelación contra una denegatoria.")
class ClaimAppeal:
    grounds: str | None
    filed_by: str | None
    filed_at: datetime | None


@strawberry.federation.type(
    shareable=True, description="Lo registrado sobre la solicitud, del más antiguo."
)
class ClaimFile:
    interviews: list[ClaimInterview] | None
    assessments: list[ClaimAssessment] | None
    decisions: list[ClaimDecision] | None
    appeals: list[ClaimAppeal] | None


@strawberry.federation.type(
    shareable=True, description="Resolución notificada a la persona solicitante."
)
class DecisionLetter:
    case_number: int | None
    instance: str | None
    outcome: CaseStatus | None
    reasons: str | None
    decided_at: datetime | None
