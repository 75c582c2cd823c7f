"""The case list: the cases a caller may list, filtered, newest filing first, one page at a
time (keyset cursors)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from auth.policy import Category, Scope, read_scope
from auth.principal import Principal
from models.vocab import PENDING_STATUSES, RECOGNISED_STATUSES, CaseStatus
from services.case_queries import CASE_COLUMNS, CASE_JOINS, Conn, case_record
from services.errors import DomainError, FieldProblem, Forbidden, ValidationFailed
from services.record_columns import by_name
from services.records import CasePage

MAX_PAGE = 1000


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list. Empty tuples / None mean "any"."""

    office_codes: tuple[str, ...] = ()
    statuses: tuple[CaseStatus, ...] = ()
    need_codes: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    filed_from: date | None = None
    filed_to: date | None = None


# A case matches a need or a nationality filter through any need of the case, and through
# its principal applicant's nationality.
CASE_HAS_NEED = (
    "EXISTS (SELECT 1 FROM case_need n WHERE n.case_id = c.id AND n.code = ANY(%(needs)s))"
)
PRINCIPAL_NATIONALITY = (
    "EXISTS (SELECT 1 FROM case_member m JOIN person p ON p.id = m.person_id "
    "WHERE m.case_id = c.id AND m.relationship = 'principal' "
    "AND p.nationality = ANY(%(nats)s))"
)


def filter_conditions(
    case_filter: CaseFilter,
    need_condition: str = CASE_HAS_NEED,
    nationality_condition: str = PRINCIPAL_NATIONALITY,
) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions and parameters of a filter over ``case_file c`` joined to ``office o``.

    Queries with a row per need or per person pass their own need and nationality
    conditions (on the same ``%(needs)s`` / ``%(nats)s`` parameters)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if case_filter.office_codes:
        where.append("o.code = ANY(%(offices)s)")
        params["offices"] = list(case_filter.office_codes)
    if case_filter.statuses:
        where.append("c.status = ANY(%(statuses)s)")
        params["statuses"] = [s.value for s in case_filter.statuses]
    if case_filter.need_codes:
        where.append(need_condition)
        params["needs"] = list(case_filter.need_codes)
    if case_filter.nationalities:
        where.append(nationality_condition)
        params["nats"] = list(case_filter.nationalities)
    if case_filter.filed_from:
        where.append("c.filing_date >= %(filed_from)s")
        params["filed_from"] = case_filter.filed_from
    if case_filter.filed_to:
        where.append("c.filing_date <= %(filed_to)s")
        params["filed_to"] = case_filter.filed_to
    return where, params


# The coarse statuses agencies may know (ACCESS-POLICY.md: "coarse case status"): pending,
# recognised, or neither. The detailed status (``status.detailed``) tells decisions apart.
COARSE_CLASSES = (PENDING_STATUSES, RECOGNISED_STATUSES)


def coarse_status(status: str) -> str:
    """``pending_claim``, ``recognised_refugee`` or ``not_protected``."""
    if status in RECOGNISED_STATUSES:
        return "recognised_refugee"
    if status in PENDING_STATUSES:
        return "pending_claim"
    return "not_protected"


def filter_seen_by(principal: Principal, case_filter: CaseFilter) -> CaseFilter:
    """The filter a caller may apply: a caller who may not read the detailed status gets
    each named status widened to its coarse class, so the answer cannot tell a rejected
    case from one under review (the more protective reading of "coarse status only")."""
    if not case_filter.statuses or read_scope(principal.role, Category.STATUS_DETAILED):
        return case_filter
    widened: set[CaseStatus] = set()
    for status in case_filter.statuses:
        cls = next((c for c in COARSE_CLASSES if status in c), None)
        if cls is None:
            cls = frozenset(CaseStatus) - PENDING_STATUSES - RECOGNISED_STATUSES
        widened |= cls
    return replace(case_filter, statuses=tuple(sorted(widened)))


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
    conditions, values = filter_conditions(filter_seen_by(principal, case_filter))
    where += conditions
    params |= values
    if after:
        after_date, after_id = decode_cursor(after)
        where.append("(c.filing_date, c.id) < (%(after_date)s, %(after_id)s)")
        params["after_date"] = after_date
        params["after_id"] = after_id
    # Pick the page first, then gather members for its cases only.
    sql = (
        f"SELECT {CASE_COLUMNS} FROM ("
        f"SELECT c.* FROM case_file c JOIN office o ON o.id = c.office_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.filing_date DESC, c.id DESC "
        f"LIMIT %(limit)s) c {CASE_JOINS} ORDER BY c.filing_date DESC, c.id DESC"
    )
    rows = await by_name(conn, case_record, sql, params)
    records = rows[:first]
    return CasePage(
        cases=records,
        cursors=[encode_cursor(c.filing_date, c.id) for c in records],
        has_next_page=len(rows) > first,
    )
