"""Core GraphQL types: offices, persons, cases and their parts.

Every field that carries personal data is nullable: the policy may deny it for one
record (``null`` + ``FORBIDDEN``) without nulling its parent. The objects behind
these types are the lean records of ``services/records.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from models import core as models
from resolvers import claim as rc
from resolvers import console_casework as rx
from resolvers import core as r
from resolvers.migration import raw_arguments
from schema.case_extras import CaseNote, IssuedDocument
from schema.claim import ClaimFile, DecisionLetter
from schema.enums import (
    AppointmentMode,
    AppointmentPurpose,
    AppointmentStatus,
    CaseStatus,
    DocumentType,
    EducationLevel,
    OfficeKind,
    ProtectionBasis,
    Relationship,
    Sex,
)
from schema.fields import field, record_field, served
from schema.mapped import derived
from services.records import CaseRecord, PersonRecord


@derived(models.Office, "Oficina de la Comisión, desconcentrada o de frontera.")
class Office:
    __exclude__ = ("id",)
    kind: OfficeKind


@derived(models.SpecificNeedCode, "Código de necesidad específica de ACNUR.")
class SpecificNeedCode:
    pass


@strawberry.federation.type(shareable=True)
class IdentityDocument:
    type: DocumentType | None
    number: str | None
    issuing_country: str | None = strawberry.field(description="ISO 3166-1 alfa-2.")


@strawberry.federation.type(shareable=True)
class Address:
    department: str | None
    province: str | None
    district: str | None
    street: str | None


@strawberry.federation.type(
    keys=["id"], shareable=True, description="Una persona: solicitante o dependiente."
)
class Person:
    id: strawberry.ID | None = strawberry.field(
        resolver=r.person_id_field,
        description="Identificador de la persona; para otras entidades, seudónimo propio.",
    )
    given_names: str | None
    paternal_surname: str | None
    maternal_surname: str | None
    full_name: str | None
    sex: Sex | None
    birth_date: date | None
    country_of_birth: str | None
    nationality: str | None = strawberry.field(description="ISO 3166-1 alfa-2.")
    documents: list[IdentityDocument] | None = strawberry.field(resolver=r.person_documents)
    entry_date: date | None
    address: Address | None
    phone: str | None
    email: str | None
    education_level: EducationLevel | None
    profession: str | None
    languages: list[str] | None
    cases: list[CaseMembership] | None = strawberry.field(resolver=r.person_cases)
    photo: str | None = strawberry.field(
        resolver=rx.person_photo,
        description="Fotografía tomada en el enrolamiento biométrico (URL data: JPEG o PNG).",
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, id: strawberry.ID) -> Any:
        return await r.person(info, id)

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        # Resolvers return the services' records, not instances of this class; an entity
        # fetch (the ``_Entity`` union) tells its members apart by this.
        return isinstance(obj, cls | PersonRecord)


@strawberry.federation.type(
    shareable=True, description="Pertenencia de una persona a un expediente."
)
class CaseMembership:
    relationship: Relationship | None
    case: Case | None = strawberry.field(resolver=r.membership_case)


@strawberry.federation.type(shareable=True)
class CaseMember:
    relationship: Relationship | None
    person: Person | None = strawberry.field(resolver=r.member_person)


@strawberry.federation.type(
    shareable=True, description="Necesidad específica registrada para un miembro del expediente."
)
class SpecificNeed:
    code: str | None
    category: str | None
    label: str | None
    detail: str | None
    person_id: strawberry.ID | None = strawberry.field(resolver=r.need_person_id)


@derived(models.Officer, nullable=True)
class Officer:
    __exclude__ = (
        "id",
        "role",
        "office_id",
        "profiles",
        "capacity",
        "available",
        "password_hash",
    )
    office_code: str | None


@strawberry.federation.type(shareable=True)
class StatusChange:
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    actor: str | None
    reason: str | None = strawberry.field(resolver=rc.history_reason)
    at: datetime | None


@strawberry.federation.type(
    shareable=True, description="Citación en una oficina o por videollamada."
)
class Appointment:
    id: strawberry.ID | None
    office_code: str | None
    starts_at: datetime | None
    mode: AppointmentMode | None
    purpose: AppointmentPurpose | None
    status: AppointmentStatus | None
    video_link: str | None


@strawberry.federation.type(
    keys=["number"],
    shareable=True,
    description="Expediente de solicitud de la condición de refugiado.",
)
class Case:
    number: int | None
    filing_date: date | None
    status: CaseStatus | None
    protected_from_removal: bool | None
    protection_basis: ProtectionBasis | None
    principal: Person | None = strawberry.field(resolver=r.case_principal)
    members: list[CaseMember] | None = record_field(r.case_members)
    needs: list[SpecificNeed] | None = strawberry.field(resolver=r.case_needs)
    priority_score: Decimal | None
    office: Office | None = strawberry.field(resolver=r.case_office)
    assigned_officer: Officer | None = strawberry.field(resolver=r.case_officer)
    history: list[StatusChange] | None = strawberry.field(resolver=r.case_history)
    appointments: list[Appointment] | None = strawberry.field(resolver=r.case_appointments)
    claim: ClaimFile | None = strawberry.field(
        resolver=rc.case_claim,
        description="Entrevistas, evaluaciones, decisiones y apelaciones (datos de la solicitud).",
    )
    decision_letters: list[DecisionLetter] | None = strawberry.field(
        resolver=rc.case_decision_letters, description="Resoluciones notificadas."
    )
    notes: list[CaseNote] | None = strawberry.field(
        resolver=rx.case_notes_field, description="Notas de los oficiales (datos de la solicitud)."
    )
    issued_documents: list[IssuedDocument] | None = strawberry.field(
        resolver=rx.case_issued_documents,
        description="Autorizaciones de trabajo y carnés emitidos, del más reciente.",
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, number: int) -> Any:
        return await r.case(info, number)

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, cls | CaseRecord)


@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.federation.type(shareable=True)
class CaseEdge:
    cursor: str
    node: Case


@strawberry.federation.type(shareable=True)
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo


@strawberry.input(description="Filtros de la lista de expedientes.")
class CaseFilter:
    office_codes: list[str] | None = None
    statuses: list[CaseStatus] | None = None
    need_codes: list[str] | None = None
    nationalities: list[str] | None = None
    filed_from: date | None = None
    filed_to: date | None = None


@strawberry.type
class CoreQuery:
    offices: list[Office] = record_field(r.offices)
    specific_need_codes: list[SpecificNeedCode] = strawberry.field(resolver=r.specific_need_codes)
    person: Person | None = strawberry.field(resolver=r.person)
    case: Case | None = strawberry.field(resolver=r.case)

    @field(description="Expedientes visibles para quien consulta, por fecha de solicitud.")
    @raw_arguments
    async def cases(
        self,
        info: strawberry.Info,
        first: int = 50,
        after: str | None = None,
        filter: CaseFilter | None = None,
    ) -> CaseConnection:
        return served(await r.cases(info, first, after, filter))


QUERIES: list[type] = [CoreQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
