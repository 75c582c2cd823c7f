"""Documents through GraphQL: issue and revoke work permits; verify any QR token."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers import documents as r


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


@strawberry.type
class DocumentsQuery:
    @strawberry.field(description="Verifica el token de un código QR (autorización de trabajo).")
    async def verify_document(self, info: strawberry.Info, token: str) -> DocumentVerification:
        return await r.verify_document(info, token)  # type: ignore[no-any-return]


@strawberry.type
class DocumentsMutation:
    @strawberry.mutation(description="Emite y firma la autorización de trabajo del titular.")
    async def issue_work_permit(
        self, info: strawberry.Info, case_number: int
    ) -> IssuedWorkPermit | None:
        return await r.issue_work_permit(info, case_number)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Revoca una autorización: su QR dirá «revocada».")
    async def revoke_work_permit(
        self, info: strawberry.Info, id: strawberry.ID, reason: str
    ) -> bool:
        return await r.revoke_work_permit(info, str(id), reason)  # type: ignore[no-any-return]


QUERIES: list[type] = [DocumentsQuery]
MUTATIONS: list[type] = [DocumentsMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
