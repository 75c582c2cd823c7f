"""Reads of persons, cases and their parts, batched by id (one statement per batch)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from psycopg import AsyncConnection
from psycopg.rows import namedtuple_row

from auth.policy import RowScope
from models import core as models
from services.errors import NotFound
from services.record_columns import by_name, select_list
from services.records import (
    AppointmentRecord,
    CaseRecord,
    DocumentRecord,
    NeedCodeRecord,
    NeedRecord,
    OfficeRecord,
    OfficerRecord,
    PersonRecord,
    StatusChangeRecord,
)

Conn = AsyncConnection[Any]
R = TypeVar("R")


def id_array(ids: Sequence[int]) -> str:
    """A PostgreSQL array literal of ids (sent as one text value, cast to bigint[] in the
    SQL): psycopg's list adaptation costs more than the query for a page of 50."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


async def named_rows(conn: Conn, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Rows as named tuples (``row.column``)."""
    async with conn.cursor(row_factory=namedtuple_row, binary=True) as cursor:
        await cursor.execute(sql, params)
        return await cursor.fetchall()


_PERSON_COLUMNS = select_list(PersonRecord, models.Person, "p")
# The row scope's facts, named for ``_person``: the offices and officers of the person's
# cases, and the purposes the person consents to.
_PERSONS_SQL = f"""
    SELECT {_PERSON_COLUMNS},
           coalesce(sc.offices, '{{}}') AS offices, coalesce(sc.officers, '{{}}') AS officers,
           coalesce(k.purposes, '{{}}') AS consents
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


_PERSONS_UNSCOPED_SQL = f"""
    SELECT {_PERSON_COLUMNS},
           '{{}}'::text[] AS offices, '{{}}'::bigint[] AS officers, '{{}}'::text[] AS consents
    FROM person p WHERE p.id = ANY(%(ids)s::bigint[])
"""


def _person(
    *, offices: list[str], officers: list[int], consents: list[str], **columns: Any
) -> PersonRecord:
    scope = RowScope((columns["id"],), frozenset(offices), frozenset(officers), frozenset(consents))
    return PersonRecord(**columns, row_scope=scope)


async def persons_by_ids(conn: Conn, ids: Sequence[int]) -> list[PersonRecord | None]:
    """Persons in the order of ``ids`` (None where unknown), each with its row scope."""
    return await _persons(conn, _PERSONS_SQL, ids)


async def persons_by_ids_unscoped(conn: Conn, ids: Sequence[int]) -> list[PersonRecord | None]:
    """Like ``persons_by_ids`` with empty row scopes: for callers whose role has no row
    condition on persons (the aggregates that build scopes are then wasted work)."""
    return await _persons(conn, _PERSONS_UNSCOPED_SQL, ids)


async def _persons(conn: Conn, sql: str, ids: Sequence[int]) -> list[PersonRecord | None]:
    found = {p.id: p for p in await by_name(conn, _person, sql, {"ids": id_array(ids)})}
    return [found.get(i) for i in ids]


_DOCUMENTS_SQL = (
    "SELECT person_id, doc_type, number, issuing_country FROM identity_document "
    "WHERE person_id = ANY(%(ids)s::bigint[]) ORDER BY person_id, id"
)


async def documents_by_person(
    conn: Conn, person_ids: Sequence[int]
) -> list[list[tuple[str, str, str]]]:
    """(type, number, issuing country) of each person's documents, in the order of ids."""
    rows = await named_rows(conn, _DOCUMENTS_SQL, {"ids": id_array(person_ids)})
    by_person: dict[int, list[tuple[str, str, str]]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(
            (row.doc_type, row.number, row.issuing_country)
        )
    return [by_person.get(i, []) for i in person_ids]


def documents_for(person: PersonRecord, docs: list[tuple[str, str, str]]) -> list[DocumentRecord]:
    return [DocumentRecord(t, n, c, person.row_scope) for t, n, c in docs]


CASE_COLUMNS = select_list(
    CaseRecord,
    models.Case,
    "c",
    expressions={
        "office_code": "o.code",
        "principal_id": "mm.principal_id",
        "member_ids": "coalesce(mm.member_ids, '{}')",
        "member_relationships": "coalesce(mm.relationships, '{}')",
    },
)
CASE_JOINS = """
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


def case_record(**columns: Any) -> CaseRecord:
    """A case from a row of ``SELECT {CASE_COLUMNS} ... {CASE_JOINS}``, by column name."""
    officer = columns["assigned_officer_id"]
    scope = RowScope(
        person_ids=tuple(columns["member_ids"]),
        office_codes=frozenset((columns["office_code"],)),
        assigned_officer_ids=frozenset((officer,)) if officer else frozenset(),
    )
    return CaseRecord(**columns, row_scope=scope)


async def case_by_number(conn: Conn, number: int) -> CaseRecord:
    """The case with this expediente number; ``NotFound`` (CASE_NOT_FOUND) otherwise."""
    sql = f"SELECT {CASE_COLUMNS} FROM case_file c {CASE_JOINS} WHERE c.number = %(n)s"
    found = await by_name(conn, case_record, sql, {"n": number})
    if not found:
        raise NotFound(f"No existe el expediente {number}.", "CASE_NOT_FOUND")
    return found[0]


async def cases_by_ids(conn: Conn, ids: Sequence[int]) -> list[CaseRecord | None]:
    sql = f"SELECT {CASE_COLUMNS} FROM case_file c {CASE_JOINS} WHERE c.id = ANY(%(ids)s::bigint[])"
    found = {c.id: c for c in await by_name(conn, case_record, sql, {"ids": id_array(ids)})}
    return [found.get(i) for i in ids]


_CASES_OF_PERSON_SQL = (
    "SELECT person_id, case_id, relationship FROM case_member "
    "WHERE person_id = ANY(%(ids)s::bigint[]) ORDER BY person_id, case_id"
)


async def memberships_by_person(
    conn: Conn, person_ids: Sequence[int]
) -> list[list[tuple[int, str]]]:
    """(case id, relationship) of each person's case memberships."""
    rows = await named_rows(conn, _CASES_OF_PERSON_SQL, {"ids": id_array(person_ids)})
    by_person: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append((row.case_id, row.relationship))
    return [by_person.get(i, []) for i in person_ids]


_UNSCOPED = RowScope()
_NEED_COLUMNS = select_list(
    NeedRecord, models.CaseNeed, "n", expressions={"category": "s.category", "label": "s.label_es"}
)
_NEEDS_SQL = f"""
    SELECT {_NEED_COLUMNS}
    FROM case_need n JOIN specific_need_code s ON s.code = n.code
    WHERE n.case_id = ANY(%(ids)s::bigint[]) ORDER BY n.case_id, n.id
"""


def _need(**columns: Any) -> NeedRecord:
    # a need inherits its case's row scope (resolvers.core.case_needs)
    return NeedRecord(**columns, row_scope=_UNSCOPED)


def _by_case(records: list[R], case_ids: Sequence[int], key: Callable[[R], int]) -> list[list[R]]:
    """``records`` grouped per case, in the order of ``case_ids``."""
    grouped: dict[int, list[R]] = {}
    for record in records:
        grouped.setdefault(key(record), []).append(record)
    return [grouped.get(i, []) for i in case_ids]


async def needs_by_case(conn: Conn, case_ids: Sequence[int]) -> list[list[NeedRecord]]:
    needs = await by_name(conn, _need, _NEEDS_SQL, {"ids": id_array(case_ids)})
    return _by_case(needs, case_ids, lambda n: n.case_id)


_OFFICES_SQL = f"SELECT {select_list(OfficeRecord, models.Office, 'o')} FROM office o ORDER BY o.id"
_NEED_CODES_SQL = (
    f"SELECT {select_list(NeedCodeRecord, models.SpecificNeedCode, 's')}"
    " FROM specific_need_code s ORDER BY s.code"
)


async def all_offices(conn: Conn) -> list[OfficeRecord]:
    return await by_name(conn, OfficeRecord, _OFFICES_SQL)


async def all_need_codes(conn: Conn) -> list[NeedCodeRecord]:
    return await by_name(conn, NeedCodeRecord, _NEED_CODES_SQL)


_OFFICER_COLUMNS = select_list(
    OfficerRecord, models.Officer, "f", expressions={"office_code": "o.code"}
)
_OFFICERS_SQL = f"""
    SELECT {_OFFICER_COLUMNS}
    FROM officer f JOIN office o ON o.id = f.office_id WHERE f.id = ANY(%(ids)s::bigint[])
"""


async def officers_by_ids(conn: Conn, ids: Sequence[int]) -> list[OfficerRecord | None]:
    officers = await by_name(conn, OfficerRecord, _OFFICERS_SQL, {"ids": id_array(ids)})
    found = {o.id: o for o in officers}
    return [found.get(i) for i in ids]


_HISTORY_COLUMNS = select_list(
    StatusChangeRecord,
    models.StatusChange,
    "h",
    expressions={"sealed": "h.sealed_reason IS NOT NULL"},
)
_HISTORY_SQL = f"""
    SELECT {_HISTORY_COLUMNS}
    FROM status_change h WHERE h.case_id = ANY(%(ids)s::bigint[]) ORDER BY h.case_id, h.at, h.id
"""


async def history_by_case(conn: Conn, case_ids: Sequence[int]) -> list[list[StatusChangeRecord]]:
    changes = await by_name(conn, StatusChangeRecord, _HISTORY_SQL, {"ids": id_array(case_ids)})
    return _by_case(changes, case_ids, lambda c: c.case_id)


_APPOINTMENT_COLUMNS = select_list(
    AppointmentRecord, models.Appointment, "a", expressions={"office_code": "o.code"}
)
_APPOINTMENTS_SQL = f"""
    SELECT {_APPOINTMENT_COLUMNS}
    FROM appointment a JOIN office o ON o.id = a.office_id
    WHERE a.case_id = ANY(%(ids)s::bigint[]) ORDER BY a.case_id, a.starts_at
"""


async def appointments_by_case(
    conn: Conn, case_ids: Sequence[int]
) -> list[list[AppointmentRecord]]:
    found = await by_name(conn, AppointmentRecord, _APPOINTMENTS_SQL, {"ids": id_array(case_ids)})
    return _by_case(found, case_ids, lambda a: a.case_id)
