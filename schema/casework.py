"""Case work: online pre-registration (no login)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import Any, cast

import strawberry

from resolvers import casework as r
from resolvers import casework_appointments as ra
from resolvers import casework_priority as rp
from schema.case_extras import UnassignedCase
from schema.enums import (
    AppointmentMode,
    AppointmentPurpose,
    CaseStatus,
    DecisionOutcome,
    DocumentType,
    Ground,
    ProtectionBasis,
    Recommendation,
    Relationship,
    Sex,
)
from schema.fields import field, mutation, subscription


@strawberry.input(description="Documento del país de origen o pasaporte.")
class DocumentData:
    type: DocumentType
    number: str
    issuing_country: str = strawberry.field(description="Código ISO o nombre del país.")


@strawberry.input(description="Datos de una persona (titular o dependiente).")
class PersonData:
    given_names: str
    paternal_surname: str
    maternal_surname: str | None = None
    sex: Sex
    birth_date: date
    nationality: str = strawberry.field(description="Código ISO 3166 o nombre (p. ej. Venezuela).")
    country_of_birth: str | None = None
    document: DocumentData | None = None
    relationship: Relationship | None = None


@strawberry.input(description="Prerregistro en línea de una solicitud de refugio.")
class PreRegistrationInput:
    idempotency_key: str = strawberry.field(
        description="Clave única del envío: reintentar con la misma clave no crea otro expediente."
    )
    office_code: str
    applicant: PersonData
    dependants: list[PersonData] | None = None
    entry_date: date | None = None
    phone: str | None = None
    email: str | None = None
    department: str | None = None
    province: str | None = None
    district: str | None = None
    street: str | None = None


@strawberry.federation.type(shareable=True, description="Resultado del prerregistro.")
class PreRegistrationResult:
    case_number: int
    replayed: bool = strawberry.field(description="Verdadero si es un reintento ya recibido.")
    activation_login: str | None
    activation_code: str | None = strawberry.field(
        description="Código para activar la cuenta de autoservicio; se muestra una sola vez."
    )
    instructions: str


@strawberry.federation.type(shareable=True, description="Cambio de estado registrado.")
class StatusTransition:
    case_number: int
    from_status: CaseStatus
    to_status: CaseStatus


@strawberry.type
class CaseworkMutation:
    @mutation(
        description="Cambia el estado de un expediente (queda en el historial con su motivo)."
    )
    async def change_case_status(
        self, info: strawberry.Info, case_number: int, to: CaseStatus, reason: str
    ) -> StatusTransition:
        return await r.change_case_status(info, case_number, to, reason)

    @mutation(description="Prerregistro en línea, sin iniciar sesión, las 24 horas.")
    @r.raw_arguments
    async def pre_register(
        self, info: strawberry.Info, input: PreRegistrationInput
    ) -> PreRegistrationResult:
        # raw arguments (r.raw_arguments): graphql-core's coerced input, a dict
        return await r.pre_register(info, cast(dict[str, Any], input))


@strawberry.federation.type(shareable=True, description="Cambio de la protección de un caso.")
class ProtectionStatusEvent:
    case_number: int | None
    protected: bool | None
    basis: ProtectionBasis | None
    at: datetime | None


@strawberry.type
class CaseworkSubscription:
    @subscription(
        description="Avisa cuando un caso gana o pierde la protección frente a la expulsión."
    )
    async def protection_status_changed(
        self, info: strawberry.Info
    ) -> AsyncGenerator[ProtectionStatusEvent, None]:
        async for event in r.protection_events(info):
            yield event


@strawberry.federation.type(shareable=True, description="Una regla de priorización.")
class PriorityRule:
    rule: str
    points: float
    explanation: str


@strawberry.federation.type(
    shareable=True, description="Reglas de priorización vigentes y su versión."
)
class PriorityRules:
    version: str
    description: str | None
    rules: list[PriorityRule]


@strawberry.federation.type(shareable=True, description="Un motivo de la prioridad de un caso.")
class PriorityReason:
    rule: str
    points: float
    explanation: str


@strawberry.federation.type(
    shareable=True, description="Un expediente en la cola, con su prioridad y sus motivos."
)
class QueueEntry:
    case_number: int | None
    office_code: str | None
    filing_date: date | None
    score: float | None = strawberry.field(description="Prioridad efectiva (con ajuste manual).")
    computed_score: float | None
    rule_version: str | None
    reasons: list[PriorityReason] | None
    override_reason: str | None
    override_by: str | None


@strawberry.federation.type(shareable=True, description="Un expediente asignado.")
class AssignedCase:
    case_number: int
    officer_id: int
    reason: str


@strawberry.federation.type(shareable=True, description="Resultado de la asignación automática.")
class AssignmentResult:
    rule_version: str
    assigned: list[AssignedCase]
    unassigned: list[int]
    not_assigned: list[UnassignedCase] = strawberry.field(
        description="Cada expediente que quedó sin asignar, con el motivo."
    )


@strawberry.type
class PriorityQuery:
    @field(description="Reglas de priorización vigentes, con su versión.")
    async def priority_rules(self, info: strawberry.Info) -> PriorityRules:
        return await rp.priority_rules(info)

    @field(description="Horarios de una oficina con cupos libres.")
    async def appointment_slots(
        self,
        info: strawberry.Info,
        office_code: str,
        purpose: AppointmentPurpose | None = None,
    ) -> list[AppointmentSlot]:
        return await ra.open_slots(info, office_code, purpose)

    @field(description="Cola de expedientes del oficial, por prioridad.")
    async def officer_queue(self, info: strawberry.Info, limit: int = 50) -> list[QueueEntry]:
        return await rp.officer_queue(info, limit)


@strawberry.type
class PriorityMutation:
    @mutation(description="Ajuste manual de la prioridad de un expediente, con motivo.")
    async def override_priority(
        self, info: strawberry.Info, case_number: int, score: float | None, reason: str
    ) -> QueueEntry:
        return await rp.override_priority(info, case_number, score, reason)

    @mutation(description="Asigna expedientes en evaluación a oficiales de elegibilidad.")
    async def assign_cases(
        self, info: strawberry.Info, office_code: str, limit: int = 100
    ) -> AssignmentResult:
        return await rp.assign_cases(info, office_code, limit)


@strawberry.federation.type(shareable=True, description="Una cita reservada.")
class AppointmentBooking:
    appointment_id: int | None
    case_number: int | None
    office_code: str | None
    starts_at: datetime | None
    mode: AppointmentMode | None
    purpose: AppointmentPurpose | None
    video_link: str | None = strawberry.field(description="Enlace de videollamada (remota).")


@strawberry.federation.type(shareable=True, description="Horario de citas con cupos.")
class AppointmentSlot:
    id: int
    office_code: str
    starts_at: datetime
    minutes: int
    mode: AppointmentMode
    purpose: AppointmentPurpose
    capacity: int
    booked: int


@strawberry.federation.type(shareable=True, description="Registro guardado en el expediente.")
class CaseRecord:
    id: int | None
    case_number: int | None
    at: datetime | None


@strawberry.type
class AppointmentMutation:
    @mutation(description="Abre un horario de citas con su capacidad.")
    async def create_appointment_slot(
        self,
        info: strawberry.Info,
        office_code: str,
        starts_at: datetime,
        mode: AppointmentMode,
        purpose: AppointmentPurpose,
        capacity: int,
        minutes: int = 30,
    ) -> AppointmentSlot:
        return await ra.create_slot(info, office_code, starts_at, mode, purpose, capacity, minutes)

    @mutation(description="Reserva un cupo de un horario para un expediente.")
    async def book_appointment(
        self, info: strawberry.Info, case_number: int, slot_id: int
    ) -> AppointmentBooking:
        return await ra.book_appointment(info, case_number, slot_id)

    @mutation(description="Cambia una cita a otro horario del mismo trámite.")
    async def reschedule_appointment(
        self, info: strawberry.Info, appointment_id: int, slot_id: int
    ) -> AppointmentBooking:
        return await ra.reschedule_appointment(info, appointment_id, slot_id)

    @mutation(description="Anula una cita y libera su cupo.")
    async def cancel_appointment(self, info: strawberry.Info, appointment_id: int) -> bool:
        return await ra.cancel_appointment(info, appointment_id)

    @mutation(description="Registra una entrevista de elegibilidad.")
    async def record_interview(
        self,
        info: strawberry.Info,
        case_number: int,
        mode: AppointmentMode,
        held_at: datetime,
        summary: str,
        language: str = "spa",
        interpreter: bool = False,
    ) -> CaseRecord:
        return await ra.record_interview(
            info, case_number, mode, held_at, summary, language, interpreter
        )

    @mutation(description="Registra la evaluación y la recomendación de elegibilidad.")
    async def record_assessment(
        self,
        info: strawberry.Info,
        case_number: int,
        grounds: list[Ground],
        credibility: str,
        analysis: str,
        recommendation: Recommendation,
    ) -> CaseRecord:
        return await ra.record_assessment(
            info, case_number, grounds, credibility, analysis, recommendation
        )

    @mutation(description="Decisión de la Secretaría Ejecutiva, con sus fundamentos.")
    async def decide_case(
        self,
        info: strawberry.Info,
        case_number: int,
        outcome: DecisionOutcome,
        reasons: str,
    ) -> CaseRecord:
        return await ra.decide_case(info, case_number, outcome, reasons)

    @mutation(description="Presenta una apelación contra una denegatoria.")
    async def file_appeal(
        self, info: strawberry.Info, case_number: int, grounds: str
    ) -> CaseRecord:
        return await ra.file_appeal(info, case_number, grounds)


QUERIES: list[type] = [PriorityQuery]
MUTATIONS: list[type] = [
    CaseworkMutation,
    PriorityMutation,
    AppointmentMutation,
]
SUBSCRIPTIONS: list[type] = [CaseworkSubscription]
TYPES: list[type] = []
