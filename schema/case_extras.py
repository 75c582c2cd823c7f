"""Types the console's casework adds to a case (issue 14): its notes and its issued
documents. Apart from ``schema.core`` (which links them) so that module stays a list of
the core types."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from resolvers import console_casework as r


@strawberry.federation.type(
    shareable=True, description="Nota de un oficial sobre el expediente (datos de la solicitud)."
)
class CaseNote:
    id: int | None
    text: str | None
    author: str | None
    created_at: datetime | None


@strawberry.federation.type(
    shareable=True,
    description="Documento emitido para el expediente: autorización de trabajo o carné.",
)
class IssuedDocument:
    kind: str | None = strawberry.field(description="WORK_PERMIT o ASYLUM_CARD.")
    id: strawberry.ID | None
    number: str | None = strawberry.field(description="Número del carné; el de la autorización.")
    status: str | None = strawberry.field(description="active, replaced o revoked.")
    valid_from: date | None
    valid_to: date | None = strawberry.field(description="Los carnés no vencen.")
    issued_at: datetime | None
    issued_by: str | None
    revoked_reason: str | None
    revoked_at: datetime | None
    pdf_base64: str | None = strawberry.field(
        resolver=r.document_pdf, description="El PDF firmado, en base64 (pídalo para descargar)."
    )


@strawberry.federation.type(
    shareable=True, description="Por qué la asignación automática no asignó un expediente."
)
class UnassignedCase:
    case_number: int
    code: str = strawberry.field(description="NO_OFFICERS, NO_PROFILE o NO_CAPACITY.")
    reason: str


@strawberry.federation.type(
    shareable=True, description="Oficial de elegibilidad de una oficina, con su carga abierta."
)
class OfficerLoad:
    username: str | None
    full_name: str | None
    office_code: str | None
    profiles: list[str] | None
    capacity: int | None
    load: int | None = strawberry.field(description="Expedientes en evaluación o apelación.")
    available: bool | None
