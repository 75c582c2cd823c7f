"""Thin resolvers of the core queries: parse arguments, call one service function, map."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import strawberry

from auth.resolver_forms import batched as batched
from models.vocab import CaseStatus
from resolvers.context import RequestContext, context_of
from services import case_list
from services import case_queries as q
from services.errors import FieldProblem, ValidationFailed
from services.records import (
    CaseRecord,
    DocumentRecord,
    MemberRecord,
    NeedRecord,
    OfficeRecord,
    PersonRecord,
)


def _ctx(info: strawberry.Info) -> RequestContext:
    return context_of(info)


# ---- Query ---------------------------------------------------------------------------


async def offices(info: strawberry.Info) -> list[OfficeRecord]:
    cache = _ctx(info).state.services
    cached: list[OfficeRecord] | None = cache.get("offices")
    if cached is None:
        cached = cache["offices"] = await _ctx(info).run(q.all_offices)
    return cached


async def specific_need_codes(info: strawberry.Info) -> list[Any]:
    return list(await _ctx(info).run(q.all_need_codes))


# Other agencies see pseudonymous person ids (services/pseudonyms.py); the commission and
# the applicant see the hub's own.
PSEUDONYMOUS_AGENCIES = frozenset({"migraciones", "minsa", "acnur"})


def public_person_id(info: Any, person_id: int) -> str:
    return person_id_seen_by(_ctx(info), person_id)


def person_id_seen_by(ctx: Any, person_id: int) -> str:
    """The identifier of ``person_id`` that the request's caller sees."""
    agency = ctx.principal.agency.value
    if agency in PSEUDONYMOUS_AGENCIES:
        pseudonym: str = ctx.state.services["pseudonyms"].pseudonym(agency, person_id)
        return pseudonym
    return str(person_id)


def internal_person_id(info: Any, raw: strawberry.ID) -> int:
    """The hub's id behind what the caller sent (its own pseudonym, for agencies)."""
    principal = _ctx(info).principal
    value: int | None
    if principal.agency.value in PSEUDONYMOUS_AGENCIES:
        value = _ctx(info).state.services["pseudonyms"].person_id(principal.agency.value, str(raw))
    else:
        try:
            value = int(str(raw))
        except ValueError:
            value = None
    if value is None:
        raise ValidationFailed(
            [FieldProblem(("id",), "INVALID_ID", "El identificador de persona no es válido.")]
        )
    return value


def person_id_field(root: PersonRecord, info: strawberry.Info) -> strawberry.ID:
    return strawberry.ID(public_person_id(info, root.id))


def need_person_id(root: NeedRecord, info: strawberry.Info) -> strawberry.ID:
    return strawberry.ID(public_person_id(info, root.person_id))


async def person(info: strawberry.Info, id: strawberry.ID) -> PersonRecord | None:
    return await _ctx(info).loaders.person.load(internal_person_id(info, id))


async def case(info: strawberry.Info, number: int) -> CaseRecord:
    return await _ctx(info).run(q.case_by_number, number)


@dataclass(slots=True)
class Edge:
    cursor: str
    node: CaseRecord


@dataclass(slots=True)
class PageInfoRecord:
    has_next_page: bool
    end_cursor: str | None


@dataclass(slots=True)
class Connection:
    edges: list[Edge]
    page_info: PageInfoRecord


def service_case_filter(filter: Any) -> case_list.CaseFilter:
    """The service's case filter from the GraphQL input (None: every case): graphql-core's
    coerced dict (GraphQL names) for resolvers marked ``raw_arguments``, else Strawberry's
    input object."""
    if filter is None:
        return case_list.CaseFilter()
    if isinstance(filter, dict):
        return case_list.CaseFilter(
            office_codes=tuple(filter.get("officeCodes") or ()),
            statuses=tuple(
                CaseStatus(getattr(s, "value", s)) for s in filter.get("statuses") or ()
            ),
            need_codes=tuple(filter.get("needCodes") or ()),
            nationalities=tuple(filter.get("nationalities") or ()),
            filed_from=filter.get("filedFrom"),
            filed_to=filter.get("filedTo"),
        )
    return case_list.CaseFilter(
        office_codes=tuple(filter.office_codes or ()),
        statuses=tuple(CaseStatus(s) for s in (filter.statuses or ())),
        need_codes=tuple(filter.need_codes or ()),
        nationalities=tuple(filter.nationalities or ()),
        filed_from=filter.filed_from,
        filed_to=filter.filed_to,
    )


async def cases(
    info: strawberry.Info,
    first: int = 50,
    after: str | None = None,
    filter: Any = None,
    scope_category: str = "case_admin",
) -> Connection:
    case_filter = service_case_filter(filter)
    ctx = _ctx(info)
    page = await ctx.run(
        case_list.list_cases, ctx.principal, case_filter, first, after, scope_category
    )
    loader = ctx.loaders.case
    for record in page.cases:
        loader.prime(record.id, record)
    edges = [Edge(c, r) for c, r in zip(page.cursors, page.cases, strict=True)]
    return Connection(
        edges, PageInfoRecord(page.has_next_page, edges[-1].cursor if edges else None)
    )


# ---- Person ----------------------------------------------------------------------------


async def _documents_batch(roots: list[PersonRecord], info: Any) -> list[list[DocumentRecord]]:
    docs = await _ctx(info).loaders.documents.many([r.id for r in roots])
    return [q.documents_for(root, d) for root, d in zip(roots, docs, strict=True)]


@batched(_documents_batch)
async def person_documents(root: PersonRecord, info: strawberry.Info) -> list[DocumentRecord]:
    docs = await _ctx(info).loaders.documents.load(root.id)
    return q.documents_for(root, docs)


async def person_cases(root: PersonRecord, info: strawberry.Info) -> list[Any]:
    memberships = await _ctx(info).loaders.memberships.load(root.id)
    return [Membership(case_id, rel, root.row_scope) for case_id, rel in memberships]


@dataclass(slots=True)
class Membership:
    case_id: int
    relationship: str
    row_scope: Any


def membership_case(root: Membership, info: strawberry.Info) -> Any:
    return _ctx(info).loaders.case.load(root.case_id)


# ---- Case ------------------------------------------------------------------------------


async def _principal_batch(roots: list[CaseRecord], info: Any) -> list[Any]:
    # The whole families in one batch: the members' persons are then already loaded.
    family = [pid for r in roots for pid in r.member_ids]
    persons = await _ctx(info).loaders.person.many(family)
    by_id = dict(zip(family, persons, strict=True))
    return [by_id.get(r.principal_id) if r.principal_id else None for r in roots]


@batched(_principal_batch)
def case_principal(root: CaseRecord, info: strawberry.Info) -> Any:
    if root.principal_id is None:
        return None
    loader = _ctx(info).loaders.person
    # Ask for the whole family now: the members' persons then come from the same batch.
    for member_id in root.member_ids:
        if member_id != root.principal_id:
            loader.load(member_id)
    return loader.load(root.principal_id)


def _members_batch(roots: list[CaseRecord], info: Any) -> list[list[MemberRecord]]:
    return [root.members for root in roots]


@batched(_members_batch)  # a column at once: no per-case call through Strawberry's wrapper
def case_members(root: CaseRecord, info: strawberry.Info) -> list[MemberRecord]:
    return root.members


def _member_person_batch(roots: list[MemberRecord], info: Any) -> Any:
    return _ctx(info).loaders.person.many([r.person_id for r in roots])


@batched(_member_person_batch)
def member_person(root: MemberRecord, info: strawberry.Info) -> Any:
    return _ctx(info).loaders.person.load(root.person_id)


async def _needs_batch(roots: list[CaseRecord], info: Any) -> list[list[NeedRecord]]:
    lists = await _ctx(info).loaders.needs.many([r.id for r in roots])
    for root, needs in zip(roots, lists, strict=True):
        for need in needs:
            need.row_scope = _need_scope(root, need)
    return lists


def _need_scope(root: CaseRecord, need: NeedRecord) -> Any:
    """A need is its person's: the case's conditions (office, officer), and a read of it
    is logged against that person alone, not the whole household."""
    return root.row_scope.of_persons((need.person_id,))


@batched(_needs_batch)
async def case_needs(root: CaseRecord, info: strawberry.Info) -> list[NeedRecord]:
    needs: list[NeedRecord] = await _ctx(info).loaders.needs.load(root.id)
    for need in needs:
        need.row_scope = _need_scope(root, need)
    return needs


async def case_office(root: CaseRecord, info: strawberry.Info) -> OfficeRecord | None:
    for office in await offices(info):
        if office.id == root.office_id:
            return office
    return None


async def case_officer(root: CaseRecord, info: strawberry.Info) -> Any:
    if root.assigned_officer_id is None:
        return None
    officer = await _ctx(info).loaders.officer.load(root.assigned_officer_id)
    # Shared by the cases of that officer: each case's view carries its own row scope.
    return None if officer is None else replace(officer, row_scope=root.row_scope)


async def case_history(root: CaseRecord, info: strawberry.Info) -> Any:
    changes = await _ctx(info).loaders.history.load(root.id)
    for change in changes:
        change.row_scope = root.row_scope
    return changes


async def case_appointments(root: CaseRecord, info: strawberry.Info) -> list[Any]:
    items = await _ctx(info).loaders.appointments.load(root.id)
    for item in items:
        item.row_scope = root.row_scope
    return items


def today() -> date:
    return date.today()
