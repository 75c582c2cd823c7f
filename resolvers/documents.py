"""Resolvers of the documents area: one service call each."""

from __future__ import annotations

import base64
from typing import Any

import strawberry

from auth.policy import RowScope
from services.documents import service as svc


async def verify_document(info: strawberry.Info, token: str) -> Any:
    keys = info.context.state.services["keys"]
    return await info.context.run(svc.verify_permit_token, token, keys.verify_jws)


async def issue_work_permit(info: strawberry.Info, case_number: int) -> Any:
    ctx = info.context
    issued = await ctx.run(
        svc.issue_permit,
        case_number,
        ctx.state.services["signing_identity"],
        lambda claims: ctx.state.services["keys"].sign_jws(claims, typ="qr+jwt"),
        ctx.state.settings.public_url,
        ctx.principal.actor_label,
    )
    return Issued(issued)


class Issued:
    def __init__(self, issued: svc.IssuedPermit) -> None:
        self.id = issued.id
        self.case_number = issued.case_number
        self.valid_from = issued.valid_from
        self.valid_to = issued.valid_to
        self.verification_url = issued.verification_url
        self.sha256 = issued.sha256
        self.pdf_base64 = base64.b64encode(issued.pdf).decode()
        self.row_scope = RowScope()


async def revoke_work_permit(info: strawberry.Info, permit_id: str, reason: str) -> bool:
    await info.context.run(svc.revoke_permit, permit_id, reason)
    return True
