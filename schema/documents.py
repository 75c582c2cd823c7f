"""Documents through GraphQL: issue and revoke work permits; verify any QR token."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers import documents as r
from schema.fields import field, mutation


@strawberry.federation.type(
    shareable=True, description="Autorización de trabajo emitida y firmada."
)
class IssuedWorkPermit:
    id: strawberry.ID | None
    case_number: int | None
    valid_from: date | None
    valid_to: date | None
    verification_url: str | None
    sha256: str | None
    pdf_base64: str | None = strawberry.field(description="El PDF firmado (PAdES), en base64.")


@strawberry.federation.type(shareable=True, description="Constancia de validez de un documento.")
class DocumentVerification:
    status: str = strawberry.field(
        description="valid, revoked, replaced, expired, unknown o invalid."
    )
    message: str
    given_names: str | None
    surnames: str | None
    birth_date: date | None
    country_of_birth: str | None
    nationality: str | None
    document: str | None
    valid_from: date | None
    valid_to: date | None
    revoked_on: date | None = strawberry.field(description="Fecha de la revocación, si la hubo.")
    revoked_reason: str | None = strawberry.field(description="Motivo de la revocación.")


@strawberry.federation.type(shareable=True, description="Carné de solicitante emitido y firmado.")
class IssuedAsylumCard:
    id: strawberry.ID | None
    number: str | None
    case_number: int | None
    verification_url: str | None
    sha256: str | None
    pdf_base64: str | None


@strawberry.federation.type(shareable=True, description="Mi autorización de trabajo vigente.")
class MyWorkPermit:
    id: strawberry.ID | None
    valid_from: date | None
    valid_to: date | None
    status: str | None
    pdf_base64: str | None = strawberry.field(description="El PDF firmado, en base64.")


@strawberry.federation.type(shareable=True, description="Mi carné de solicitante más reciente.")
class MyAsylumCard:
    number: str | None
    issued_on: date | None
    status: str | None = strawberry.field(description="active, replaced o revoked.")
    pdf_base64: str | None = strawberry.field(description="El PDF firmado, en base64.")


@strawberry.type
class DocumentsQuery:
    @field(description="Mi carné de solicitante más reciente (autoservicio).")
    async def my_asylum_card(self, info: strawberry.Info) -> MyAsylumCard | None:
        return await r.my_asylum_card(info)

    @field(description="Mi autorización de trabajo más reciente (autoservicio).")
    async def my_work_permit(self, info: strawberry.Info) -> MyWorkPermit | None:
        return await r.my_work_permit(info)

    @field(description="Verifica el token de un código QR (autorización de trabajo).")
    async def verify_document(self, info: strawberry.Info, token: str) -> DocumentVerification:
        return await r.verify_document(info, token)


@strawberry.type
class DocumentsMutation:
    @mutation(description="Emite y firma la autorización de trabajo del titular.")
    async def issue_work_permit(
        self, info: strawberry.Info, case_number: int
    ) -> IssuedWorkPermit | None:
        return await r.issue_work_permit(info, case_number)

    @mutation(description="Emite y firma el carné del titular (sin vencimiento).")
    async def issue_asylum_card(
        self, info: strawberry.Info, case_number: int
    ) -> IssuedAsylumCard | None:
        return await r.issue_card(info, case_number)

    @mutation(description="Revoca un carné: su QR dirá «revocado».")
    async def revoke_asylum_card(
        self, info: strawberry.Info, id: strawberry.ID, reason: str
    ) -> bool:
        return await r.revoke_card(info, str(id), reason)

    @mutation(description="Renueva mi autorización de trabajo; la anterior queda reemplazada.")
    async def renew_my_work_permit(self, info: strawberry.Info) -> IssuedWorkPermit | None:
        return await r.renew_my_work_permit(info)

    @mutation(description="Revoca una autorización: su QR dirá «revocada».")
    async def revoke_work_permit(
        self, info: strawberry.Info, id: strawberry.ID, reason: str
    ) -> bool:
        return await r.revoke_work_permit(info, str(id), reason)


QUERIES: list[type] = [DocumentsQuery]
MUTATIONS: list[type] = [DocumentsMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
