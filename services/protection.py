"""Protection from removal, as the Migration Office needs it: minimal, fast, verifiable.

A person is protected while a claim of theirs is pending, or once recognised (DOMAIN.md).
Answers carry only that: protected or not, on what basis, since when — never claim data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from psycopg import AsyncConnection

from auth.policy import RowScope
from models.vocab import PENDING_STATUSES, RECOGNISED_STATUSES, DocumentType
from services.errors import FieldProblem, ValidationFailed

MAX_BATCH = 10_000
Conn = AsyncConnection[Any]

_PENDING = [s.value for s in PENDING_STATUSES]
_RECOGNISED = [s.value for s in RECOGNISED_STATUSES]


@dataclass(frozen=True, slots=True)
class DocumentKey:
    type: str
    number: str
    issuing_country: str


@dataclass(slots=True)
class ProtectionRecord:
    """The minimal answer for one document (or one person)."""

    document: DocumentKey | None
    found: bool
    protected: bool
    basis: str | None  # pending_claim | recognised_refugee
    since: date | None
    person_id: int | None
    row_scope: RowScope
    document_held: HeldDocument | None = None


@dataclass(frozen=True, slots=True)
class HeldDocument:
    """The latest document the hub issued to the person and its status (no expiry for
    cards; a work permit has ``valid_to``). Today only work permits exist
    (``models/documents.py``); asylum-seeker cards join here when they land."""

    kind: str  # work_permit (card later)
    number: str
    status: str  # active | revoked | replaced
    valid_to: date | None


def _held_document_join(person: str) -> str:
    """The one place that knows where issued documents live: a LATERAL join giving
    ``held.id, held.status, held.valid_to`` for the person column ``person``."""
    return f"""LEFT JOIN LATERAL (
    SELECT w.id, w.status, w.valid_to FROM work_permit w WHERE w.person_id = {person}
    ORDER BY w.issued_at DESC LIMIT 1
) held ON true"""


def _held(number: str | None, status: str | None, valid_to: date | None) -> HeldDocument | None:
    return (
        None
        if number is None or status is None
        else HeldDocument("work_permit", number, status, valid_to)
    )


_SEPARATORS = re.compile(r"[\s.\-/]")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def normalise_document(doc_type: str, number: str, issuing_country: str) -> DocumentKey:
    """Documents as stored: no dots, dashes or spaces, upper case, no 'V-' prefix."""
    cleaned = _SEPARATORS.sub("", number).upper()
    country = issuing_country.strip().upper()
    if country == "VE" and cleaned[:1] in ("V", "E") and cleaned[1:].isdigit():
        cleaned = cleaned[1:]
    return DocumentKey(doc_type, cleaned, country)


def validate_documents(documents: Sequence[DocumentKey]) -> list[DocumentKey]:
    problems: list[FieldProblem] = []
    if len(documents) > MAX_BATCH:
        raise ValidationFailed(
            [FieldProblem(("documents",), "TOO_MANY", f"Como máximo {MAX_BATCH} documentos.")]
        )
    out = []
    for index, doc in enumerate(documents):
        path: tuple[str | int, ...] = ("documents", index) if len(documents) > 1 else ("document",)
        if doc.type not in DocumentType._value2member_map_:
            problems.append(
                FieldProblem(
                    (*path, "type"), "INVALID_DOCUMENT_TYPE", "Tipo de documento desconocido."
                )
            )
        key = normalise_document(doc.type, doc.number, doc.issuing_country)
        if not key.number:
            problems.append(
                FieldProblem(
                    (*path, "number"), "INVALID_DOCUMENT_NUMBER", "Indique el número del documento."
                )
            )
        if not _COUNTRY_CODE.fullmatch(key.issuing_country):
            problems.append(
                FieldProblem(
                    (*path, "issuingCountry"),
                    "INVALID_COUNTRY",
                    "País emisor: código ISO 3166 de dos letras.",
                )
            )
        out.append(key)
    if problems:
        raise ValidationFailed(problems)
    return out


# One statement for any number of documents: the documents as arrays, joined to the
# persons and their cases; the best protection per document (recognised over pending,
# earliest filing first).
_BY_DOCUMENTS = f"""
SELECT q.ord, d.person_id, best.status, best.filing_date, held.id, held.status, held.valid_to
FROM unnest(%(types)s::text[], %(numbers)s::text[], %(countries)s::text[])
     WITH ORDINALITY AS q(doc_type, number, country, ord)
LEFT JOIN identity_document d
  ON d.doc_type = q.doc_type AND d.number = q.number AND d.issuing_country = q.country
LEFT JOIN LATERAL (
    SELECT c.status, c.filing_date
    FROM case_member m JOIN case_file c ON c.id = m.case_id
    WHERE m.person_id = d.person_id
      AND c.status IN ({", ".join(repr(s) for s in _PENDING + _RECOGNISED)})
    ORDER BY (c.status IN ({", ".join(repr(s) for s in _RECOGNISED)})) DESC, c.filing_date
    LIMIT 1
) best ON true
{_held_document_join("d.person_id")}
ORDER BY q.ord
"""

# One document: the same statement over a one-row VALUES list, so the three arrays need
# not be built, typed and sent (a third of a single lookup's client-side cost).
_BY_DOCUMENT = _BY_DOCUMENTS.replace(
    """unnest(%(types)s::text[], %(numbers)s::text[], %(countries)s::text[])
     WITH ORDINALITY AS q(doc_type, number, country, ord)""",
    """(VALUES (%(type)s::text, %(number)s::text, %(country)s::text, 1::bigint))
     AS q(doc_type, number, country, ord)""",
)
if _BY_DOCUMENT == _BY_DOCUMENTS:  # the replaced text drifted from the statement
    raise RuntimeError("services.protection: _BY_DOCUMENT was not derived")


def _record(
    doc: DocumentKey | None,
    person_id: int | None,
    status: str | None,
    since: date | None,
    held: HeldDocument | None = None,
) -> ProtectionRecord:
    scope = RowScope(person_ids=(person_id,) if person_id else ())
    if person_id is None:
        return ProtectionRecord(doc, False, False, None, None, None, scope)
    if status is None:
        return ProtectionRecord(doc, True, False, None, None, person_id, scope, held)
    basis = "recognised_refugee" if status in _RECOGNISED else "pending_claim"
    return ProtectionRecord(doc, True, True, basis, since, person_id, scope, held)


async def protection_by_documents(
    conn: Conn, documents: Sequence[DocumentKey]
) -> list[ProtectionRecord]:
    """Protection for each document, in order, in one SQL statement (up to 10,000)."""
    return await protection_of_keys(conn, validate_documents(documents))


async def protection_of_keys(conn: Conn, keys: Sequence[DocumentKey]) -> list[ProtectionRecord]:
    """``protection_by_documents`` for keys ``validate_documents`` has already returned."""
    if not keys:
        return []
    if len(keys) == 1:
        key = keys[0]
        cursor = await conn.execute(
            _BY_DOCUMENT,
            {"type": key.type, "number": key.number, "country": key.issuing_country},
            binary=True,
        )
    else:
        cursor = await conn.execute(
            _BY_DOCUMENTS,
            {
                "types": [k.type for k in keys],
                "numbers": [k.number for k in keys],
                "countries": [k.issuing_country for k in keys],
            },
            binary=True,
        )
    return [
        _record(keys[ordinal - 1], person_id, status, since, _held(held_id, held, valid_to))
        for ordinal, person_id, status, since, held_id, held, valid_to in await cursor.fetchall()
    ]


async def protection_of_persons(conn: Conn, person_ids: list[int]) -> dict[int, ProtectionRecord]:
    cursor = await conn.execute(
        f"""SELECT p.id, best.status, best.filing_date, held.id, held.status, held.valid_to
        FROM unnest(%(ids)s::bigint[]) AS p(id)
        LEFT JOIN LATERAL (
            SELECT c.status, c.filing_date FROM case_member m JOIN case_file c ON c.id = m.case_id
            WHERE m.person_id = p.id
              AND c.status IN ({", ".join(repr(s) for s in _PENDING + _RECOGNISED)})
            ORDER BY (c.status IN ({", ".join(repr(s) for s in _RECOGNISED)})) DESC,
                     c.filing_date LIMIT 1) best ON true
        {_held_document_join("p.id")}""",
        {"ids": person_ids},
    )
    return {
        pid: _record(None, pid, status, since, _held(held_id, held, valid_to))
        for pid, status, since, held_id, held, valid_to in await cursor.fetchall()
    }


@dataclass(slots=True)
class ChangedDocument:
    """A document of a person whose protection changed, with that person's row scope
    (every agency read of it is logged against the person)."""

    type: str
    number: str
    issuing_country: str
    row_scope: RowScope


@dataclass(slots=True)
class ProtectionChange:
    cursor: str
    at: datetime
    person_id: int
    protection: ProtectionRecord
    documents: list[ChangedDocument]
    row_scope: RowScope


async def protection_changes(
    conn: Conn, after: str | None, first: int
) -> tuple[list[ProtectionChange], bool]:
    """Persons whose protection may have changed since ``after`` (a status-change cursor),
    each with their protection now. The cursor is the status history's increasing id."""
    if first < 1 or first > 1000:
        raise ValidationFailed(
            [FieldProblem(("first",), "INVALID_PAGE_SIZE", "'first' debe estar entre 1 y 1000.")]
        )
    start = 0
    if after:
        if not after.startswith("sc") or not after[2:].isdigit():
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("after",), "INVALID_CURSOR", "El cursor no es válido para este historial."
                    )
                ]
            )
        start = int(after[2:])
    cursor = await conn.execute(
        "SELECT h.id, h.at, m.person_id FROM status_change h"
        " JOIN case_member m ON m.case_id = h.case_id"
        " WHERE h.id > %(start)s ORDER BY h.id, m.person_id LIMIT %(limit)s",
        {"start": start, "limit": first + 1},
    )
    rows = await cursor.fetchall()
    more = len(rows) > first
    rows = rows[:first]
    if not rows:
        return [], False
    person_ids = sorted({person_id for _, _, person_id in rows})
    statuses = await protection_of_persons(conn, person_ids)
    docs_cursor = await conn.execute(
        "SELECT person_id, doc_type, number, issuing_country FROM identity_document"
        " WHERE person_id = ANY(%(ids)s) ORDER BY person_id, id",
        {"ids": person_ids},
    )
    documents: dict[int, list[ChangedDocument]] = {}
    for pid, doc_type, number, country in await docs_cursor.fetchall():
        documents.setdefault(pid, []).append(
            ChangedDocument(doc_type, number, country, statuses[pid].row_scope)
        )
    return [
        ProtectionChange(
            f"sc{hid}", at, pid, statuses[pid], documents.get(pid, []), statuses[pid].row_scope
        )
        for hid, at, pid in rows
    ], more
