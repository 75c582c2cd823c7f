"""Eligibility (qualification): interview records, assessment and recommendation, the
decision with its reasons, and the appeal. All of it is ``claim`` data under the policy.

Interviews, assessments and appeals are claim writes: the policy gives them to the
eligibility officer assigned to the case (``claim`` write, assigned). The decision is
the Executive Secretary's (``status.decision``) and is the only way into the decision
states (the status machine's ``DECISIONS``), which also queues the agencies'
notifications; the appeal is the only way into ``appeal``. Who may write is asked of
``auth.policy``, before anything changes. One transaction per write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category
from auth.principal import Principal
from models.vocab import AppointmentMode, CaseStatus
from services.casework import claim_records as claim
from services.casework import status
from services.casework.registration import _language
from services.errors import Conflict, FieldProblem, ValidationFailed
from services.input_limits import LONG_TEXT, text_problem
from services.permissions import require_any_write, require_write
from services.sealing import case_key_for_writing


class Ground(StrEnum):
    """Grounds of the 1951 Convention and the Cartagena Declaration (Law 27891, art. 3)."""

    RACE = "race"
    RELIGION = "religion"
    NATIONALITY = "nationality"
    SOCIAL_GROUP = "social_group"
    POLITICAL_OPINION = "political_opinion"
    CARTAGENA = "cartagena"


class Recommendation(StrEnum):
    RECOGNISE = "recognise"
    REJECT = "reject"


class Outcome(StrEnum):
    RECOGNISED = "recognised"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Recorded:
    id: int
    case_number: int
    at: datetime
    moved: tuple[CaseStatus, CaseStatus] | None = None  # (from, to) of a decision or appeal


def _required(value: str, path: str, what: str) -> list[FieldProblem]:
    capped = text_problem((path,), value, LONG_TEXT)
    if capped is not None:
        return [capped]
    return [] if value.strip() else [FieldProblem((path,), "REQUIRED", f"Indique {what}.")]


def _assigned(principal: Principal, officer_id: int | None) -> None:
    require_write(
        principal,
        Category.CLAIM,
        "Solo el oficial de elegibilidad asignado puede registrar esta información.",
        officer_id=officer_id,
    )


def _in_review(current: CaseStatus) -> None:
    if current not in (CaseStatus.UNDER_REVIEW, CaseStatus.APPEAL):
        raise Conflict(
            "El expediente no está en evaluación de elegibilidad ni en apelación.",
            "NOT_UNDER_REVIEW",
        )


async def record_interview(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    *,
    mode: AppointmentMode,
    held_at: datetime,
    summary: str,
    language: str = "spa",
    interpreter: bool = False,
) -> Recorded:
    """Record an eligibility interview (in person or remote) of a case under review."""
    problems = _required(summary, "summary", "el resumen de la entrevista")
    language_code = _language(language)
    if language_code is None:
        problems.append(
            FieldProblem(
                ("language",),
                "UNKNOWN_LANGUAGE",
                f"Idioma desconocido: «{language[:40]}» (use el código ISO 639).",
            )
        )
    if held_at.tzinfo is None or held_at > datetime.now(held_at.tzinfo):
        problems.append(
            FieldProblem(("heldAt",), "INVALID", "La fecha de la entrevista no puede ser futura.")
        )
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        case_id, current, officer, _ = await status.lock_case(conn, case_number)
        _assigned(principal, officer)
        _in_review(current)
        key = await case_key_for_writing(conn, case_id)
        row = await (
            await conn.execute(
                "INSERT INTO interview_record (case_id, mode, held_at, summary, language,"
                " interpreter, interviewer) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " RETURNING id, created_at",
                (
                    case_id,
                    mode.value,
                    held_at,
                    key.seal(summary.strip(), claim.INTERVIEW_SUMMARY),
                    language_code,
                    interpreter,
                    principal.actor_label,
                ),
            )
        ).fetchone()
    assert row is not None
    record_id, at = row
    return Recorded(record_id, case_number, at)


async def record_assessment(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    *,
    grounds: list[Ground],
    credibility: str,
    analysis: str,
    recommendation: Recommendation,
) -> Recorded:
    """Record the assessment and recommendation (needs at least one interview first)."""
    problems = _required(credibility, "credibility", "la evaluación de credibilidad")
    problems += _required(analysis, "analysis", "el análisis del caso")
    if recommendation is Recommendation.RECOGNISE and not grounds:
        problems.append(
            FieldProblem(
                ("grounds",),
                "REQUIRED",
                "Indique al menos un motivo de la definición de refugiado para recomendar el"
                " reconocimiento.",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        case_id, current, officer, _ = await status.lock_case(conn, case_number)
        _assigned(principal, officer)
        _in_review(current)
        interviewed = await (
            await conn.execute("SELECT 1 FROM interview_record WHERE case_id = %s", (case_id,))
        ).fetchone()
        if interviewed is None:
            raise Conflict(
                "Registre la entrevista de elegibilidad antes de la evaluación.", "NO_INTERVIEW"
            )
        key = await case_key_for_writing(conn, case_id)
        row = await (
            await conn.execute(
                "INSERT INTO eligibility_assessment (case_id, grounds, credibility, analysis,"
                " recommendation, assessor) VALUES (%s, %s, %s, %s, %s, %s)"
                " RETURNING id, created_at",
                (
                    case_id,
                    key.seal(json.dumps([g.value for g in grounds]), claim.ASSESSMENT_GROUNDS),
                    key.seal(credibility.strip(), claim.ASSESSMENT_CREDIBILITY),
                    key.seal(analysis.strip(), claim.ASSESSMENT_ANALYSIS),
                    key.seal(recommendation.value, claim.ASSESSMENT_RECOMMENDATION),
                    principal.actor_label,
                ),
            )
        ).fetchone()
    assert row is not None
    record_id, at = row
    return Recorded(record_id, case_number, at)


async def decide(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_number: int,
    outcome: Outcome,
    reasons: str,
) -> Recorded:
    """The Executive Secretary's decision with its reasons. First instance: recognised or
    rejected; on appeal: recognised or rejected_final; a first-instance rejection that was
    not appealed is made final (rejected_final) by a decision too. Needs an assessment."""
    require_any_write(
        principal, Category.STATUS_DECISION, "Solo la Secretaría Ejecutiva decide las solicitudes."
    )
    problems = _required(reasons, "reasons", "los fundamentos de la decisión")
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        case_id, current, _, _ = await status.lock_case(conn, case_number)
        final = current is CaseStatus.REJECTED and outcome is Outcome.REJECTED
        if not final:
            _in_review(current)
        assessed = await (
            await conn.execute(
                "SELECT 1 FROM eligibility_assessment WHERE case_id = %s AND created_at >="
                " coalesce((SELECT max(filed_at) FROM claim_appeal WHERE case_id = %s),"
                " '-infinity')",
                (case_id, case_id),
            )
        ).fetchone()
        if assessed is None:
            raise Conflict(
                "Falta la evaluación de elegibilidad de esta instancia.", "NO_ASSESSMENT"
            )
        instance = "appeal" if current is CaseStatus.APPEAL else "first"
        to = (
            CaseStatus.RECOGNISED
            if outcome is Outcome.RECOGNISED
            else CaseStatus.REJECTED_FINAL
            if instance == "appeal" or final
            else CaseStatus.REJECTED
        )
        if (current, to) not in status.DECISIONS:  # pragma: no cover - by construction
            raise Conflict(
                "Esta decisión no corresponde al estado del expediente.", "ILLEGAL_TRANSITION"
            )
        await status.record_move(
            conn, principal, case_id, case_number, current, to, reasons.strip()
        )
        key = await case_key_for_writing(conn, case_id)
        row = await (
            await conn.execute(
                "INSERT INTO case_decision (case_id, instance, outcome, reasons, decided_by)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id, decided_at",
                (
                    case_id,
                    instance,
                    to.value,
                    key.seal(reasons.strip(), claim.DECISION_REASONS),
                    principal.actor_label,
                ),
            )
        ).fetchone()
    assert row is not None
    record_id, at = row
    return Recorded(record_id, case_number, at, (current, to))


async def file_appeal(
    conn: AsyncConnection[Any], principal: Principal, case_number: int, grounds: str
) -> Recorded:
    """File an appeal against a first-instance rejection: a claim write (the eligibility
    officer assigned to the case); anyone else is refused before anything changes."""
    require_any_write(
        principal, Category.CLAIM, "Solo el oficial de elegibilidad asignado registra apelaciones."
    )
    problems = _required(grounds, "grounds", "los fundamentos de la apelación")
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        case_id, current, officer, _ = await status.lock_case(conn, case_number)
        _assigned(principal, officer)
        if (current, CaseStatus.APPEAL) not in status.APPEALS:
            raise Conflict(
                "Solo se apela una denegación en primera instancia.", "ILLEGAL_TRANSITION"
            )
        await status.record_move(
            conn,
            principal,
            case_id,
            case_number,
            current,
            CaseStatus.APPEAL,
            "Apelación presentada",
        )
        key = await case_key_for_writing(conn, case_id)
        row = await (
            await conn.execute(
                "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES (%s, %s, %s)"
                " RETURNING id, filed_at",
                (case_id, key.seal(grounds.strip(), claim.APPEAL_GROUNDS), principal.actor_label),
            )
        ).fetchone()
    assert row is not None
    record_id, at = row
    return Recorded(record_id, case_number, at, (current, CaseStatus.APPEAL))
