"""Reads of persons, cases and their parts, batched by id (one statement per batch)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import namedtuple_row

from auth.policy import Category, RowScope, Scope, read_scope
from auth.principal import Principal
from models.vocab import CaseStatus
from services.errors import DomainError, FieldProblem, Forbidden, NotFound, ValidationFailed
from services.records import (
    AppointmentRecord,
    CasePage,
    CaseRecord,
    DocumentRecord,
    NeedCodeRecord,
    NeedRecord,
    OfficeRecord,
    OfficerRecord,
    PersonRecord,
    StatusChangeRecord,
)

MAX_PAGE = 1000

Conn = AsyncConnection[Any]


def id_array(ids: Sequence[int]) -> str:
    """A PostgreSQL array literal of ids (sent as one text value, cast to bigint[] in the
    SQL): psycopg's list adaptation costs more than the query for a page of 50."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


async def _rows(conn: Conn, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Rows as named tuples (``row.column``)."""
    async with conn.cursor(row_factory=namedtuple_row, binary=True) as cursor:
        await cursor.execute(sql, params)
        return await cursor.fetchall()


_PERSONS_SQL = """
    SELECT p.id, p.given_names, p.paternal_surname, p.maternal_surname, p.sex, p.birth_date,
           p.country_of_birth, p.nationality, p.entry_date, p.department, p.province,
           p.district, p.street, p.phone, p.email, p.education_level, p.profession,
           p.languages,
           coalesce(sc.offices, '{}') AS offices, coalesce(sc.officers, '{}') AS officers,
           coalesce(k.purposes, '{}') AS consents
    FROM person p
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT o.code) AS offices,
               array_agg(DISTINCT c.assigned_officer_id)
                   FILTER (WHERE c.assigned_officer_id IS NOT NULL) AS officers
        FROM case_member m JOIN case_file c ON c.id = m.case_id
        JOIN office o ON o.id = c.office_id
        WHERE m.person_id = p.id
    ) sc ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(purpose) AS purposes FROM consent
        WHERE consent.person_id = p.id AND withdrawn_at IS NULL
    ) k ON true
    WHERE p.id = ANY(%(ids)s::bigint[])
    """


_PERSONS_UNSCOPED_SQL = """
    SELECT p.id, p.given_names, p.paternal_surname, p.maternal_surname, p.sex, p.birth_date,
           p.country_of_birth, p.nationality, p.entry_date, p.department, p.province,
           p.district, p.street, p.phone, p.email, p.education_level, p.profession,
           p.languages, '{}'::text[], '{}'::bigint[], '{}'::text[]
    FROM person p WHERE p.id = ANY(%(ids)s::bigint[])
"""


async def persons_by_ids(conn: Conn, ids: Sequence[int]) -> list[PersonRecord | None]:
    """Persons in the order of ``ids`` (None where unknown), each with its row scope."""
    return await _persons(conn, _PERSONS_SQL, ids)


async def persons_by_ids_unscoped(conn: Conn, ids: Sequence[int]) -> list[PersonRecord | None]:
    """Like ``persons_by_ids`` with empty row scopes: for callers whose role has no row
    condition on persons (the aggregates that build scopes are then wasted work)."""
    return await _persons(conn, _PERSONS_UNSCOPED_SQL, ids)


async def _persons(conn: Conn, sql: str, ids: Sequence[int]) -> list[PersonRecord | None]:
    cursor = await conn.execute(sql, {"ids": id_array(ids)}, binary=True)
    found: dict[int, PersonRecord] = {}
    for row in await cursor.fetchall():
        scope = RowScope((row[0],), frozenset(row[18]), frozenset(row[19]), frozenset(row[20]))
        found[row[0]] = PersonRecord(*row[:17], list(row[17] or ()), scope)  # type: ignore[call-arg]
    return [found.get(i) for i in ids]


_DOCUMENTS_SQL = (
    "SELECT person_id, doc_type, number, issuing_country FROM identity_document "
    "WHERE person_id = ANY(%(ids)s::bigint[]) ORDER BY person_id, id"
)


async def documents_by_person(
    conn: Conn, person_ids: Sequence[int]
) -> list[list[tuple[str, str, str]]]:
    """(type, number, issuing country) of each person's documents, in the order of ids."""
    rows = await _rows(conn, _DOCUMENTS_SQL, {"ids": id_array(person_ids)})
    by_person: dict[int, list[tuple[str, str, str]]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(
            (row.doc_type, row.number, row.issuing_country)
        )
    return [by_person.get(i, []) for i in person_ids]


def documents_for(person: PersonRecord, docs: list[tuple[str, str, str]]) -> list[DocumentRecord]:
    return [DocumentRecord(t, n, c, person.row_scope) for t, n, c in docs]


_CASE_COLUMNS = """
    c.id, c.number, c.status, c.filing_date, c.priority_score, c.office_id,
    o.code AS office_code, c.assigned_officer_id,
    mm.principal_id, mm.member_ids, mm.relationships
"""
_CASE_JOINS = """
    JOIN office o ON o.id = c.office_id
    LEFT JOIN LATERAL (
        SELECT (array_agg(m.person_id) FILTER (WHERE m.relationship = 'principal'))[1]
                   AS principal_id,
               array_agg(m.person_id ORDER BY m.relationship <> 'principal', m.person_id)
                   AS member_ids,
               array_agg(m.relationship ORDER BY m.relationship <> 'principal', m.person_id)
                   AS relationships
        FROM case_member m WHERE m.case_id = c.id
    ) mm ON true
"""


def _case_record(row: Any) -> CaseRecord:
    members = list(row.member_ids or ())
    scope = RowScope(
        person_ids=tuple(members),
        office_codes=frozenset((row.office_code,)),
        assigned_officer_ids=(
            frozenset((row.assigned_officer_id,)) if row.assigned_officer_id else frozenset()
        ),
    )
    return CaseRecord(
        row.id,
        row.number,
        row.status,
        row.filing_date,
        row.priority_score,
        row.office_id,
        row.office_code,
        row.assigned_officer_id,
        row.principal_id,
        members,
        list(row.relationships or ()),
        scope,
    )


async def case_by_number(conn: Conn, number: int) -> CaseRecord:
    """The case with this expediente number; ``NotFound`` (CASE_NOT_FOUND) otherwise."""
    sql = f"SELECT {_CASE_COLUMNS} FROM case_file c {_CASE_JOINS} WHERE c.number = %(n)s"
    found_rows = await _rows(conn, sql, {"n": number})
    row = found_rows[0] if found_rows else None
    if row is None:
        raise NotFound(f"No existe el expediente {number}.", "CASE_NOT_FOUND")
    return _case_record(row)


async def cases_by_ids(conn: Conn, ids: Sequence[int]) -> list[CaseRecord | None]:
    sql = (
        f"SELECT {_CASE_COLUMNS} FROM case_file c {_CASE_JOINS} WHERE c.id = ANY(%(ids)s::bigint[])"
    )
    rows = await _rows(conn, sql, {"ids": id_array(ids)})
    found = {row.id: _case_record(row) for row in rows}
    return [found.get(i) for i in ids]


_CASES_OF_PERSON_SQL = (
    "SELECT person_id, case_id, relationship FROM case_member "
    "WHERE person_id = ANY(%(ids)s::bigint[]) ORDER BY person_id, case_id"
)


async def memberships_by_person(
    conn: Conn, person_ids: Sequence[int]
) -> list[list[tuple[int, str]]]:
    """(case id, relationship) of each person's case memberships."""
    rows = await _rows(conn, _CASES_OF_PERSON_SQL, {"ids": id_array(person_ids)})
    by_person: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append((row.case_id, row.relationship))
    return [by_person.get(i, []) for i in person_ids]


_NEEDS_SQL = (
    "SELECT n.case_id, n.person_id, n.code, s.category, s.label_es, n.detail "
    "FROM case_need n JOIN specific_need_code s ON s.code = n.code "
    "WHERE n.case_id = ANY(%(ids)s::bigint[]) ORDER BY n.case_id, n.id"
)


async def needs_by_case(conn: Conn, case_ids: Sequence[int]) -> list[list[NeedRecord]]:
    rows = await _rows(conn, _NEEDS_SQL, {"ids": id_array(case_ids)})
    by_case: dict[int, list[NeedRecord]] = {}
    unscoped = RowScope()
    for row in rows:
        by_case.setdefault(row.case_id, []).append(
            NeedRecord(
                row.case_id,
                row.person_id,
                row.code,
                row.category,
                row.label_es,
                row.detail,
                unscoped,
            )
        )
    return [by_case.get(i, []) for i in case_ids]


async def all_offices(conn: Conn) -> list[OfficeRecord]:
    rows = await _rows(
        conn, "SELECT id, code, name, kind, department, address FROM office ORDER BY id"
    )
    return [OfficeRecord(r.id, r.code, r.name, r.kind, r.department, r.address) for r in rows]


async def all_need_codes(conn: Conn) -> list[NeedCodeRecord]:
    rows = await _rows(
        conn, "SELECT code, category, label_es, label_en FROM specific_need_code ORDER BY code"
    )
    return [NeedCodeRecord(r.code, r.category, r.label_es, r.label_en) for r in rows]


async def officers_by_ids(conn: Conn, ids: Sequence[int]) -> list[OfficerRecord | None]:
    rows = await _rows(
        conn,
        (
            "SELECT f.id, f.username, f.full_name, o.code, f.role FROM officer f "
            "JOIN office o ON o.id = f.office_id WHERE f.id = ANY(%(ids)s::bigint[])"
        ),
        {"ids": id_array(ids)},
    )
    found = {r.id: OfficerRecord(r.id, r.username, r.full_name, r.code, r.role) for r in rows}
    return [found.get(i) for i in ids]


async def history_by_case(conn: Conn, case_ids: Sequence[int]) -> list[list[StatusChangeRecord]]:
    rows = await _rows(
        conn,
        (
            "SELECT case_id, from_status, to_status, actor, reason, at FROM status_change "
            "WHERE case_id = ANY(%(ids)s::bigint[]) ORDER BY case_id, at, id"
        ),
        {"ids": id_array(case_ids)},
    )
    by_case: dict[int, list[StatusChangeRecord]] = {}
    for r in rows:
        by_case.setdefault(r.case_id, []).append(
            StatusChangeRecord(r.case_id, r.from_status, r.to_status, r.actor, r.reason, r.at)
        )
    return [by_case.get(i, []) for i in case_ids]


async def appointments_by_case(
    conn: Conn, case_ids: Sequence[int]
) -> list[list[AppointmentRecord]]:
    rows = await _rows(
        conn,
        (
            "SELECT a.id, a.case_id, o.code, a.starts_at, a.mode, a.purpose, a.status, "
            "a.video_link FROM appointment a JOIN office o ON o.id = a.office_id "
            "WHERE a.case_id = ANY(%(ids)s::bigint[]) ORDER BY a.case_id, a.starts_at"
        ),
        {"ids": id_array(case_ids)},
    )
    by_case: dict[int, list[AppointmentRecord]] = {}
    for r in rows:
        by_case.setdefault(r.case_id, []).append(
            AppointmentRecord(
                r.id, r.case_id, r.code, r.starts_at, r.mode, r.purpose, r.status, r.video_link
            )
        )
    return [by_case.get(i, []) for i in case_ids]


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list. Empty tuples / None mean "any"."""

    office_codes: tuple[str, ...] = ()
    statuses: tuple[CaseStatus, ...] = ()
    need_codes: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    filed_from: date | None = None
    filed_to: date | None = None


def encode_cursor(filing_date: date, case_id: int) -> str:
    raw = f"c1:{filing_date.isoformat()}:{case_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, int]:
    """Inverse of ``encode_cursor``; ``ValidationFailed`` (INVALID_CURSOR) for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        tag, day, ident = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if tag != "c1":
            raise ValueError(tag)
        return date.fromisoformat(day), int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [FieldProblem(("after",), "INVALID_CURSOR", "El cursor no es válido para esta lista.")],
            "El cursor no es válido para esta lista.",
        ) from exc


async def list_cases(
    conn: Conn,
    principal: Principal,
    case_filter: CaseFilter,
    first: int,
    after: str | None,
    scope_category: str = Category.CASE_ADMIN,
) -> CasePage:
    """One page of the cases the principal may list, newest filing first (keyset paginated).

    The policy's read scope of ``scope_category`` (``case_admin`` for the officers' list,
    ``needs`` for UNHCR's protection view) decides the rows: own office for registrars,
    assigned cases for eligibility officers, all for supervisors and UNHCR.
    """
    if first < 0 or first > MAX_PAGE:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("first",), "INVALID_PAGE_SIZE", f"'first' debe estar entre 0 y {MAX_PAGE}."
                )
            ]
        )
    scope = read_scope(principal.role, scope_category)
    where = ["true"]
    params: dict[str, Any] = {"limit": first + 1}
    if scope is None:
        raise Forbidden("Su rol no puede listar expedientes.")
    if scope is Scope.OWN_OFFICE:
        where.append("o.code = %(own_office)s")
        params["own_office"] = principal.office_code or ""
    elif scope is Scope.ASSIGNED:
        where.append("c.assigned_officer_id = %(own_officer)s")
        params["own_officer"] = principal.officer_id or -1
    elif scope is not Scope.ALL:
        raise DomainError("Alcance de lectura no soportado para listas.", "FORBIDDEN")
    if case_filter.office_codes:
        where.append("o.code = ANY(%(offices)s)")
        params["offices"] = list(case_filter.office_codes)
    if case_filter.statuses:
        where.append("c.status = ANY(%(statuses)s)")
        params["statuses"] = [s.value for s in case_filter.statuses]
    if case_filter.need_codes:
        where.append(
            "EXISTS (SELECT 1 FROM case_need n WHERE n.case_id = c.id AND n.code = ANY(%(needs)s))"
        )
        params["needs"] = list(case_filter.need_codes)
    if case_filter.nationalities:
        where.append(
            "EXISTS (SELECT 1 FROM case_member m JOIN person p ON p.id = m.person_id "
            "WHERE m.case_id = c.id AND m.relationship = 'principal' "
            "AND p.nationality = ANY(%(nats)s))"
        )
        params["nats"] = list(case_filter.nationalities)
    if case_filter.filed_from:
        where.append("c.filing_date >= %(filed_from)s")
        params["filed_from"] = case_filter.filed_from
    if case_filter.filed_to:
        where.append("c.filing_date <= %(filed_to)s")
        params["filed_to"] = case_filter.filed_to
    if after:
        after_date, after_id = decode_cursor(after)
        where.append("(c.filing_date, c.id) < (%(after_date)s, %(after_id)s)")
        params["after_date"] = after_date
        params["after_id"] = after_id
    # Pick the page first, then gather members for its cases only.
    sql = (
        f"SELECT {_CASE_COLUMNS} FROM ("
        f"SELECT c.* FROM case_file c JOIN office o ON o.id = c.office_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.filing_date DESC, c.id DESC "
        f"LIMIT %(limit)s) c {_CASE_JOINS} ORDER BY c.filing_date DESC, c.id DESC"
    )
    rows = await _rows(conn, sql, params)
    records = [_case_record(row) for row in rows[:first]]
    return CasePage(
        cases=records,
        cursors=[encode_cursor(c.filing_date, c.id) for c in records],
        has_next_page=len(rows) > first,
    )
