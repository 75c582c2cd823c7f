"""Health professionals among refugees and asylum seekers, for the Health Ministry.

Only persons whose consent for the ``health-workforce`` purpose is active at the moment
of the request are ever selected: a withdrawal takes effect on the next request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.policy import RowScope
from services.errors import FieldProblem, ValidationFailed
from services.record_columns import by_name

MAX_PAGE = 500


@dataclass(slots=True)
class HealthProfessionalRecord:
    person_id: int
    profession: str
    specialty: str | None
    degree: str | None
    degree_country: str | None
    recognition_status: str
    licence_number: str | None
    years_experience: int | None
    region: str | None
    row_scope: RowScope
    # status.work_permit: holds an active work permit valid today (yes/no, nothing more)
    holds_valid_work_permit: bool = False


@dataclass(frozen=True)
class HealthFilter:
    professions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    recognition: tuple[str, ...] = ()


async def health_professionals(
    conn: AsyncConnection[Any], health_filter: HealthFilter, first: int, after: str | None
) -> tuple[list[HealthProfessionalRecord], bool]:
    """Consenting health professionals, filtered, keyset-paginated by an opaque cursor."""
    if not 1 <= first <= MAX_PAGE:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("first",), "INVALID_PAGE_SIZE", f"'first' debe estar entre 1 y {MAX_PAGE}."
                )
            ]
        )
    start = 0
    if after:
        if not after.startswith("hp") or not after[2:].isdigit():
            raise ValidationFailed(
                [
                    FieldProblem(
                        ("after",), "INVALID_CURSOR", "El cursor no es válido para esta lista."
                    )
                ]
            )
        start = int(after[2:])
    where = ["h.person_id > %(start)s"]
    params: dict[str, Any] = {"start": start, "limit": first + 1}
    for name, column, values in (
        ("professions", "h.profession", health_filter.professions),
        ("regions", "p.department", tuple(v.upper() for v in health_filter.regions)),
        ("recognition", "h.recognition_status", health_filter.recognition),
    ):
        if values:
            where.append(f"{column} = ANY(%({name})s)")
            params[name] = list(values)
    rows = await by_name(
        conn,
        _record,
        "SELECT h.person_id, h.profession, h.specialty, h.degree, h.degree_country,"
        " h.recognition_status, h.licence_number, h.years_experience,"
        " p.department AS region,"
        " EXISTS (SELECT 1 FROM work_permit w WHERE w.person_id = h.person_id"
        "   AND w.status = 'active' AND current_date BETWEEN w.valid_from AND w.valid_to)"
        " AS holds_valid_work_permit"
        " FROM health_profile h JOIN person p ON p.id = h.person_id"
        " WHERE EXISTS (SELECT 1 FROM consent k WHERE k.person_id = h.person_id"
        "   AND k.purpose = 'health-workforce' AND k.withdrawn_at IS NULL)"
        f" AND {' AND '.join(where)} ORDER BY h.person_id LIMIT %(limit)s",
        params,
    )
    return rows[:first], len(rows) > first


def _record(*, holds_valid_work_permit: bool, **columns: Any) -> HealthProfessionalRecord:
    scope = RowScope(person_ids=(columns["person_id"],), consents=frozenset({"health-workforce"}))
    return HealthProfessionalRecord(
        **columns, row_scope=scope, holds_valid_work_permit=bool(holds_valid_work_permit)
    )


def cursor_of(record: HealthProfessionalRecord) -> str:
    return f"hp{record.person_id}"


def validate_codes(values: Sequence[str], allowed: Sequence[str], field: str) -> None:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationFailed(
            [FieldProblem((field,), "UNKNOWN_VALUE", f"Valores desconocidos: {', '.join(bad)}.")]
        )
