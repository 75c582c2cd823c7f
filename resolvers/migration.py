"""Resolvers of the Migration Office's view: parse, call one service function, map."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from auth.resolver_forms import raw_arguments as raw_arguments
from resolvers.context import context_of
from resolvers.core import batched
from services import protection as svc
from services import protection_assertions as assertions
from services import protection_candidates as candidates


def _key(doc: Any) -> svc.DocumentKey:
    """A document from the argument: coerced by graphql-core (a dict with GraphQL names)
    or converted by Strawberry (an input object)."""
    if isinstance(doc, dict):
        kind, number, country = doc["type"], doc["number"], doc["issuingCountry"]
    else:
        kind, number, country = doc.type, doc.number, doc.issuing_country
    return svc.DocumentKey(getattr(kind, "value", str(kind)), number, country)


async def protection_status(info: strawberry.Info, document: Any) -> svc.ProtectionRecord:
    # validated here, so that a bad document fails this lookup alone, not the statement
    # it would share with other requests' lookups
    (key,) = svc.validate_documents([_key(document)])
    return await context_of(info).lookup(svc.protection_of_keys, key)


async def protection_statuses(info: strawberry.Info, documents: list[Any]) -> list[Any]:
    return await context_of(info).run(svc.protection_by_documents, [_key(d) for d in documents])


async def protection_candidates(
    info: strawberry.Info, given_names: str, surnames: str, birth_date: date
) -> list[Any]:
    ctx = context_of(info)
    return await ctx.run(
        candidates.protection_candidates, ctx.principal, given_names, surnames, birth_date
    )


async def protection_changes(info: strawberry.Info, after: str | None, first: int) -> Any:
    changes, more = await context_of(info).run(svc.protection_changes, after, first)
    return ChangePage(changes, changes[-1].cursor if changes else after, more)


class ChangePage:
    def __init__(self, changes: list[Any], end_cursor: str | None, has_more: bool) -> None:
        self.changes = changes
        self.end_cursor = end_cursor
        self.has_more = has_more


async def protection_assertion(info: strawberry.Info, document: Any) -> Any:
    record = await protection_status(info, document)
    ctx = context_of(info)
    signed = assertions.sign_assertion(
        ctx.state.services["keys"], record, ctx.state.settings.issuer, ctx.principal.actor_label
    )
    return Assertion(signed.token, signed.key_id, record)


class Assertion:
    def __init__(self, token: str, key_id: str, protection: Any) -> None:
        self.token = token
        self.key_id = key_id
        self.protection = protection
        self.row_scope = protection.row_scope


def verify_protection_assertion(info: strawberry.Info, token: str) -> Any:
    check = assertions.verify_assertion(info.context.state.services["keys"], token)
    return Verification(check.valid, check.code, check.message, check.claims)


class Verification:
    def __init__(self, valid: bool, code: str, message: str, claims: dict[str, Any] | None):
        self.valid = valid
        self.code = code
        self.message = message
        claims = claims or {}
        self.protected = claims.get("protected")
        self.basis = claims.get("basis")
        self.since = date.fromisoformat(claims["since"]) if claims.get("since") else None
        self.issued_at = claims.get("iat")
        self.document_number = (claims.get("document") or {}).get("number")


def record_person(root: Any, info: strawberry.Info) -> Any:
    if root.person_id is None:
        return None
    return context_of(info).loaders.person.load(root.person_id)


async def _family_batch(roots: list[Any], info: Any) -> list[Any]:
    from services.family_protection import linked_members

    ids = [r.person_id for r in roots if r.person_id is not None]
    linked = await context_of(info).run(linked_members, ids) if ids else {}
    return [linked.get(r.person_id, []) if r.person_id is not None else [] for r in roots]


@batched(_family_batch)
async def record_family(root: Any, info: strawberry.Info) -> Any:
    return (await _family_batch([root], info))[0]


def linked_person(root: Any, info: strawberry.Info) -> Any:
    return context_of(info).loaders.person.load(root.person_id)
