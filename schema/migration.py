"""The Migration Office's view: is this person protected from removal, and since when."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from resolvers import migration as r
from schema.core import Person
from schema.enums import DocumentType, ProtectionBasis, Relationship
from schema.fields import field, served


@strawberry.input(description="Documento de identidad del país de origen o pasaporte.")
class DocumentInput:
    type: DocumentType
    number: str
    issuing_country: str = strawberry.field(description="ISO 3166-1 alfa-2.")


@strawberry.federation.type(shareable=True)
class ProtectedDocument:
    type: str | None
    number: str | None
    issuing_country: str | None


@strawberry.federation.type(
    shareable=True,
    description=(
        "Último documento emitido por el hub a la persona (hoy el permiso de trabajo; "
        "el carné cuando exista) y su estado."
    ),
)
class HeldDocument:
    kind: str | None = strawberry.field(description="work_permit (carné: más adelante).")
    number: str | None
    status: str | None = strawberry.field(description="active, revoked o replaced.")
    valid_to: date | None


@strawberry.federation.type(
    shareable=True,
    description="Un familiar vinculado en el mismo expediente y si está protegido.",
)
class LinkedProtection:
    relationship: Relationship | None
    protected: bool | None
    basis: ProtectionBasis | None
    since: date | None
    person: Person | None = strawberry.field(resolver=r.linked_person)


@strawberry.federation.type(
    shareable=True,
    description="Si la persona está protegida frente a la expulsión, por qué y desde cuándo.",
)
class ProtectionStatus:
    document: ProtectedDocument | None
    found: bool | None
    protected: bool | None
    basis: ProtectionBasis | None
    since: date | None
    document_held: HeldDocument | None
    person: Person | None = strawberry.field(resolver=r.record_person)
    family_members: list[LinkedProtection] | None = strawberry.field(
        resolver=r.record_family,
        description="Familiares vinculados (miembros de sus expedientes) y su protección.",
    )


@strawberry.federation.type(shareable=True)
class ProtectionCandidate:
    score: float | None
    given_names: str | None
    surnames: str | None
    birth_date: date | None
    nationality: str | None
    protection: ProtectionStatus | None


@strawberry.federation.type(shareable=True)
class ProtectionChange:
    cursor: str | None
    at: datetime | None
    protection: ProtectionStatus | None
    documents: list[ProtectedDocument] | None


@strawberry.federation.type(shareable=True)
class ProtectionChangePage:
    changes: list[ProtectionChange]
    end_cursor: str | None
    has_more: bool


@strawberry.federation.type(
    shareable=True, description="Constancia firmada (JWS) de una respuesta de protección."
)
class ProtectionAssertion:
    token: str | None
    key_id: str | None
    protection: ProtectionStatus | None


@strawberry.federation.type(shareable=True)
class AssertionVerification:
    valid: bool
    code: str
    message: str
    protected: bool | None
    basis: ProtectionBasis | None
    since: date | None
    issued_at: int | None
    document_number: str | None


@strawberry.type
class MigrationQuery:
    @field(description="Protección frente a la expulsión de quien tiene este documento.")
    @r.raw_arguments
    async def protection_status(
        self, info: strawberry.Info, document: DocumentInput
    ) -> ProtectionStatus | None:
        return served(await r.protection_status(info, document))

    @field(description="Lo mismo para hasta 10 000 documentos, en el orden dado.")
    @r.raw_arguments
    async def protection_statuses(
        self, info: strawberry.Info, documents: list[DocumentInput]
    ) -> list[ProtectionStatus]:
        return await r.protection_statuses(info, documents)

    @field(description="Personas que pueden ser la descrita, sin documento: nombres y nacimiento.")
    async def protection_candidates(
        self, info: strawberry.Info, given_names: str, surnames: str, birth_date: date
    ) -> list[ProtectionCandidate]:
        return await r.protection_candidates(info, given_names, surnames, birth_date)

    @field(description="Protecciones que pueden haber cambiado desde un cursor.")
    async def protection_changes(
        self, info: strawberry.Info, after: str | None = None, first: int = 100
    ) -> ProtectionChangePage:
        return await r.protection_changes(info, after, first)

    @field(
        description="La respuesta para un documento, firmada por el hub (JWS), para un expediente."
    )
    async def protection_assertion(
        self, info: strawberry.Info, document: DocumentInput
    ) -> ProtectionAssertion | None:
        return await r.protection_assertion(info, document)

    @field(description="Verifica una constancia de protección firmada por el hub.")
    def verify_protection_assertion(
        self, info: strawberry.Info, token: str
    ) -> AssertionVerification:
        return r.verify_protection_assertion(info, token)


QUERIES: list[type] = [MigrationQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
