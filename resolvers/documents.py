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
    ctx = info.context
    await ctx.run(svc.revoke_permit, permit_id, reason, ctx.principal.actor_label)
    return True


async def issue_card(info: strawberry.Info, case_number: int) -> Any:
    from services.documents.card import issue_card as issue

    ctx = info.context
    issued = await ctx.run(
        issue,
        case_number,
        ctx.state.services["signing_identity"],
        lambda claims: ctx.state.services["keys"].sign_jws(claims, typ="qr+jwt"),
        ctx.state.settings.public_url,
        ctx.principal.actor_label,
    )
    return IssuedCardView(issued)


class IssuedCardView:
    def __init__(self, issued: Any) -> None:
        self.id = issued.id
        self.number = issued.number
        self.case_number = issued.case_number
        self.verification_url = issued.verification_url
        self.sha256 = issued.sha256
        self.pdf_base64 = base64.b64encode(issued.pdf).decode()
        self.row_scope = RowScope()


async def revoke_card(info: strawberry.Info, card_id: str, reason: str) -> bool:
    from services.documents.card import revoke_card as revoke

    ctx = info.context
    await ctx.run(revoke, card_id, reason, ctx.principal.actor_label)
    return True


def own_person(info: strawberry.Info) -> int:
    from services.errors import Forbidden

    person = info.context.principal.person_id
    if person is None:
        raise Forbidden("Solo la persona titular puede usar su autoservicio.")
    return int(person)


async def my_work_permit(info: strawberry.Info) -> Any:
    person = own_person(info)
    held = await info.context.run(svc.own_permit, person)
    if held is None:
        return None
    return HeldView(held, RowScope(person_ids=(person,)))


async def my_asylum_card(info: strawberry.Info) -> Any:
    from services.documents.card import own_card

    person = own_person(info)
    held = await info.context.run(own_card, person)
    if held is None:
        return None
    return HeldCardView(held, RowScope(person_ids=(person,)))


class HeldCardView:
    def __init__(self, held: Any, row_scope: RowScope) -> None:
        self.number = held.number
        self.issued_on = held.issued_on
        self.status = held.status
        self.pdf_base64 = base64.b64encode(held.pdf).decode()
        self.row_scope = row_scope


class HeldView:
    def __init__(self, held: Any, row_scope: RowScope) -> None:
        self.id = held.id
        self.valid_from = held.valid_from
        self.valid_to = held.valid_to
        self.status = held.status
        self.pdf_base64 = base64.b64encode(held.pdf).decode()
        self.row_scope = row_scope


async def renew_my_work_permit(info: strawberry.Info) -> Any:
    person = own_person(info)
    ctx = info.context
    number = await ctx.run(svc.own_case_number, person)
    issued = await ctx.run(
        svc.issue_permit,
        number,
        ctx.state.services["signing_identity"],
        lambda claims: ctx.state.services["keys"].sign_jws(claims, typ="qr+jwt"),
        ctx.state.settings.public_url,
        f"autoservicio:{ctx.principal.subject}",
    )
    view = Issued(issued)
    view.row_scope = RowScope(person_ids=(person,))
    return view
