"""UNHCR's protection view as a file: specific needs in UNHCR's codes, one row per need.

The rows carry what UNHCR may read (ACCESS-POLICY.md: status, needs, family, case
administration limited to the office, coarse identity) and never claim data. Persons
appear under UNHCR's own pseudonymous identifier, not the hub's id. The list itself
(filters, pagination, appointments) is served by ``services.case_list.list_cases``
with the ``needs`` scope; this module adds the export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, Scope, read_scope
from auth.principal import Principal
from services.case_list import CaseFilter, coarse_status, filter_conditions, filter_seen_by
from services.csv_safety import safe_row
from services.errors import Forbidden

COLUMNS = (
    "case_number",
    "office",
    "case_status",
    "filing_date",
    "household_size",
    "person",
    "relationship",
    "sex",
    "age",
    "nationality",
    "need_category",
    "need_code",
    "need_label",
)


# What every row reveals; a caller must read each of them nationwide to export.
EXPORTED_CATEGORIES = (
    Category.NEEDS,
    Category.STATUS,
    Category.FAMILY,
    Category.IDENTITY,
    Category.CASE_ADMIN_OFFICE,
)


@dataclass(frozen=True, slots=True)
class NeedsExport:
    """The export file and whose data it holds (the access log records them)."""

    csv: str
    row_count: int
    person_ids: tuple[int, ...]
    filename: str


async def needs_export(
    conn: AsyncConnection[Any],
    principal: Principal,
    case_filter: CaseFilter,
    pseudonym: Callable[[int], str],
    today: date | None = None,
) -> NeedsExport:
    """CSV of the specific needs of the filtered cases, in UNHCR's specific-needs codes
    (category and code as in ``models/data/specific_needs.csv``), one SQL statement.

    ``pseudonym`` turns a person id into the caller's own identifier. Only a caller who
    reads every exported category nationwide (UNHCR, supervisors) may export; anyone
    else gets ``Forbidden`` before anything is read.
    """
    needed = (Category.NEEDS_EXPORT, *EXPORTED_CATEGORIES)
    if any(read_scope(principal.role, c) is not Scope.ALL for c in needed):
        raise Forbidden("Su rol no puede exportar necesidades específicas.")
    # a row per need: the need and the person it belongs to are the row's own
    conditions, params = filter_conditions(
        filter_seen_by(principal, case_filter),
        "n.code = ANY(%(needs)s)",
        "p.nationality = ANY(%(nats)s)",
    )
    where = ["true", *conditions]
    cursor = await conn.execute(
        "SELECT c.number, o.code, c.status, c.filing_date,"
        " (SELECT count(*) FROM case_member x WHERE x.case_id = c.id),"
        " n.person_id, m.relationship, p.sex, date_part('year', age(p.birth_date))::int,"
        " p.nationality, s.category, s.code, s.label_en"
        " FROM case_need n JOIN case_file c ON c.id = n.case_id"
        " JOIN office o ON o.id = c.office_id"
        " JOIN specific_need_code s ON s.code = n.code"
        " JOIN person p ON p.id = n.person_id"
        " LEFT JOIN case_member m ON m.case_id = c.id AND m.person_id = n.person_id"
        f" WHERE {' AND '.join(where)} ORDER BY c.number, n.person_id, n.code",
        params,
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = await cursor.fetchall()
    persons: dict[int, str] = {}
    for row in rows:
        number, office, status, filed, size, person_id, *rest = row
        alias = persons.get(person_id)
        if alias is None:
            alias = persons[person_id] = pseudonym(person_id)
        writer.writerow(
            safe_row([number, office, coarse_status(status), filed.isoformat(), size, alias, *rest])
        )
    day = (today or date.today()).isoformat()
    return NeedsExport(
        out.getvalue(), len(rows), tuple(sorted(persons)), f"acnur-necesidades-{day}.csv"
    )
