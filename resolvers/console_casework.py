"""Resolvers of the console's casework (issue 14): manual assignment and the officers'
load, undoing a "same person" decision, case notes, a case's issued documents, and the
enrolment photo. Parse, call one service function, map; every record carries the row
scope the policy checks (a case's parts inherit the case's)."""

from __future__ import annotations

import base64
from typing import Any

import strawberry

from auth.policy import RowScope
from resolvers.casework_priority import Mapped
from resolvers.claim import Scoped
from resolvers.core import batched
from services.casework import case_notes, manual_assignment, photos
from services.casework import duplicates as dup
from services.documents import case_documents
from services.records import CaseRecord, PersonRecord


async def assign_case(info: strawberry.Info, case_number: int, officer: str, reason: str) -> Any:
    ctx = info.context
    done = await ctx.run(manual_assignment.assign_case, ctx.principal, case_number, officer, reason)
    return Mapped(
        RowScope(),  # supervisors only: no row condition
        case_number=done.case_number,
        officer_id=done.officer_id,
        reason=done.reason,
    )


async def eligibility_officers(info: strawberry.Info, office_code: str) -> list[Any]:
    ctx = info.context
    rows = await ctx.run(manual_assignment.eligibility_officers, ctx.principal, office_code)
    scope = RowScope(office_codes=frozenset({office_code}))
    return [
        Mapped(
            scope,
            username=o.username,
            full_name=o.full_name,
            office_code=o.office_code,
            profiles=o.profiles,
            capacity=o.capacity,
            load=o.load,
            available=o.available,
        )
        for o in rows
    ]


async def undo_duplicate_decision(info: strawberry.Info, duplicate_id: int, note: str) -> Any:
    ctx = info.context
    return await ctx.run(dup.undo_duplicate_decision, ctx.principal, duplicate_id, note)


def _note(note: case_notes.CaseNote, scope: RowScope) -> Scoped:
    return Scoped(
        scope,
        {"id": note.id, "text": note.text, "author": note.author, "created_at": note.created_at},
    )


async def add_case_note(info: strawberry.Info, case_number: int, text: str) -> Any:
    ctx = info.context
    added = await ctx.run(case_notes.add_case_note, ctx.principal, case_number, text)
    return _note(added.note, added.row_scope)


async def _notes(roots: list[CaseRecord], info: Any) -> list[list[Any]]:
    notes = await info.context.run(case_notes.notes_by_case, [r.id for r in roots])
    return [[_note(n, r.row_scope) for n in notes[r.id]] for r in roots]


@batched(_notes)
async def case_notes_field(root: CaseRecord, info: strawberry.Info) -> Any:
    return (await _notes([root], info))[0]


async def _documents(roots: list[CaseRecord], info: Any) -> list[list[Any]]:
    docs = await info.context.run(case_documents.documents_by_case, [r.id for r in roots])
    return [[Scoped(r.row_scope, vars_of(d)) for d in docs[r.id]] for r in roots]


def vars_of(doc: case_documents.CaseDocument) -> dict[str, Any]:
    return {name: getattr(doc, name) for name in doc.__dataclass_fields__}


@batched(_documents)
async def case_issued_documents(root: CaseRecord, info: strawberry.Info) -> Any:
    return (await _documents([root], info))[0]


async def _pdfs(roots: list[Scoped], info: Any) -> list[str | None]:
    loader = info.context.loaders.custom("document_pdf", case_documents.pdfs_by_key)
    pdfs = await loader.many([(r.kind, r.id) for r in roots])
    return [base64.b64encode(p).decode() if p else None for p in pdfs]


@batched(_pdfs)
async def document_pdf(root: Scoped, info: strawberry.Info) -> str | None:
    return (await _pdfs([root], info))[0]


async def _review_photos(roots: list[dup.PossibleDuplicateRecord], info: Any) -> list[str | None]:
    loader = info.context.loaders.custom("review_photo", photos.photos_by_review)
    return await loader.many([r.id for r in roots])  # type: ignore[no-any-return]


@batched(_review_photos)
async def review_photo(root: dup.PossibleDuplicateRecord, info: strawberry.Info) -> str | None:
    return (await _review_photos([root], info))[0]


async def _photos(roots: list[PersonRecord], info: Any) -> list[str | None]:
    loader = info.context.loaders.custom("photo", photos.photos_by_person)
    return await loader.many([r.id for r in roots])  # type: ignore[no-any-return]


@batched(_photos)
async def person_photo(root: PersonRecord, info: strawberry.Info) -> str | None:
    return (await _photos([root], info))[0]
