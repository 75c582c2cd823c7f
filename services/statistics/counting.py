"""Counting every table of a release in one pass over the database.

One row per person: their most recent case filed on or before the reference date, the
case's status at the end of that day (from its status history), age at filing, and
codes only (ubigeo department, ISO nationality). PostgreSQL counts every table at once
(GROUPING SETS) from a temporary table of those rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pycountry
from psycopg import AsyncConnection

from services.statistics.dimensions import (
    OTHER_NATIONALITY,
    Dimension,
    Domains,
    build_domains,
    department_code,
)
from services.statistics.grid import Grid, TableKey

_ROWS = """
CREATE TEMP TABLE stat_rows ON COMMIT DROP AS
SELECT p.sex,
  CASE WHEN age(c.filing_date, p.birth_date) < interval '18 years' THEN '0-17'
       WHEN age(c.filing_date, p.birth_date) < interval '30 years' THEN '18-29'
       WHEN age(c.filing_date, p.birth_date) < interval '45 years' THEN '30-44'
       WHEN age(c.filing_date, p.birth_date) < interval '60 years' THEN '45-59'
       ELSE '60+' END AS age_group,
  coalesce(p.education_level, 'unknown') AS education_level,
  p.nationality,
  coalesce(dm.code, '00') AS department,
  coalesce(
    (SELECT s.to_status FROM status_change s WHERE s.case_id = c.id AND s.at < %(until)s
     ORDER BY s.at DESC, s.id DESC LIMIT 1),
    (SELECT s.from_status FROM status_change s WHERE s.case_id = c.id AND s.at >= %(until)s
     ORDER BY s.at, s.id LIMIT 1),
    c.status) AS status,
  extract(year FROM c.filing_date)::int AS year,
  extract(quarter FROM c.filing_date)::int AS quarter
FROM person p
JOIN LATERAL (
  SELECT c.id, c.status, c.filing_date FROM case_member m
  JOIN case_file c ON c.id = m.case_id
  WHERE m.person_id = p.id AND c.filing_date <= %(reference)s
  ORDER BY c.filing_date DESC, c.id DESC LIMIT 1) c ON true
LEFT JOIN unnest(%(raw)s::text[], %(codes)s::text[]) AS dm(raw, code)
  ON dm.raw = p.department
"""

_COLUMNS = {
    Dimension.SEX: "sex",
    Dimension.AGE_GROUP: "age_group",
    Dimension.EDUCATION_LEVEL: "education_level",
    Dimension.NATIONALITY: "CASE WHEN nationality = ANY(%(kept)s) THEN nationality ELSE 'ZZ' END",
    Dimension.DEPARTMENT: "department",
    Dimension.STATUS: "status",
    Dimension.PERIOD: "CASE WHEN year < %(first)s THEN %(bucket)s ELSE year::text END",
    Dimension.QUARTER: (
        "CASE WHEN year < %(first)s THEN %(bucket)s ELSE year::text || '-Q' || quarter END"
    ),
}
_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Counted:
    grid: Grid
    counts: list[int]
    persons: int


def _valid_nationality(code: str) -> bool:
    return bool(_ISO2.match(code)) and pycountry.countries.get(alpha_2=code) is not None


# (persons by nationality, persons by filing year, reference year, threshold) ->
# (the nationalities published under their own code, the first year not in the bucket)
Choice = Callable[[dict[str, int], dict[int, int], int, int], tuple[list[str], int]]


def exact_choice(
    nationalities: dict[str, int], years: dict[int, int], reference_year: int, threshold: int
) -> tuple[list[str], int]:
    """Nationalities with at least ``threshold`` persons; the first year that has as many
    (the suppression method: its audit protects the published counts these come from)."""
    kept = sorted(n for n, c in nationalities.items() if c >= threshold and _valid_nationality(n))
    first = next((y for y, c in sorted(years.items()) if c >= threshold), reference_year)
    return kept, first


async def count_release(
    conn: AsyncConnection[Any],
    reference: date,
    threshold: int,
    tables: list[TableKey],
    choose: Choice = exact_choice,
) -> Counted:
    """Every table of the release at ``reference`` (inside the caller's transaction);
    ``choose`` picks the nationalities and years that get their own values."""
    rows = await (await conn.execute("SELECT DISTINCT department FROM person")).fetchall()
    raw = [r[0] for r in rows if r[0] is not None]
    await conn.execute(
        _ROWS,
        {
            "until": reference + timedelta(days=1),
            "reference": reference,
            "raw": raw,
            "codes": [department_code(r) for r in raw],
        },
    )
    nat_rows = await (
        await conn.execute("SELECT nationality, count(*) FROM stat_rows GROUP BY 1")
    ).fetchall()
    year_rows = await (
        await conn.execute("SELECT year, count(*) FROM stat_rows GROUP BY 1 ORDER BY 1")
    ).fetchall()
    kept, first = choose(
        {str(n): int(c) for n, c in nat_rows},
        {int(y): int(c) for y, c in year_rows},
        reference.year,
        threshold,
    )
    kept = [n for n in kept if n != OTHER_NATIONALITY]
    bucket = f"<{first}"
    years = [bucket, *(str(y) for y in range(first, reference.year + 1))]
    domains: Domains = build_domains(
        [*kept, OTHER_NATIONALITY], years, f"{reference.year}-Q{(reference.month - 1) // 3 + 1}"
    )
    grid = Grid(domains, tables)
    dims = list(Dimension)
    select = ", ".join(f"{_COLUMNS[d]} AS {d.value}" for d in dims)
    sets = ", ".join("(" + ", ".join(d.value for d in key) + ")" for key in tables)
    names = ", ".join(d.value for d in dims)
    cursor = await conn.execute(
        f"SELECT GROUPING({names}), {names}, count(*) FROM "
        f"(SELECT {select} FROM stat_rows) r GROUP BY GROUPING SETS ({sets})",
        {"kept": kept, "first": first, "bucket": bucket},
    )
    by_mask = {_mask(key, dims): key for key in tables}
    counts = [0] * grid.size
    persons = 0
    index = grid.value_index
    for row in await cursor.fetchall():
        key = by_mask[int(row[0])]
        layout = grid.layouts[key]
        position = [index[d][str(row[1 + dims.index(d)])] for d in key]
        counts[layout.index(position)] = int(row[-1])
        if not key:
            persons = int(row[-1])
    return Counted(grid, counts, persons)


def _mask(key: TableKey, dims: list[Dimension]) -> int:
    """GROUPING(...) of a grouping set: a 1 bit for every column it does not group by,
    the first column the most significant."""
    return sum(1 << (len(dims) - 1 - i) for i, d in enumerate(dims) if d not in key)
