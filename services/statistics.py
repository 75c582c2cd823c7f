"""Open statistics: persons counted by 2 or 3 dimensions, safe to publish.

Small cells (1 … threshold − 1) are suppressed, and so are enough other cells that no
suppressed one can be recovered from what is published. The table is published with
all its margins (totals along every dimension and the grand total); suppression works
on that extended table, where every *line* (the cells along one dimension, fixing the
others, plus their total) adds up. A line with exactly one suppressed entry would give
it away by subtraction, so the rule, applied until nothing changes, is: every line has
no suppressed entry or at least two (complementary suppression picks the smallest
published entry of the line). Zero cells are published: a zero reveals no one.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from psycopg import AsyncConnection

from services.errors import FieldProblem, ValidationFailed

TOTAL = "TOTAL"


class Dimension(StrEnum):
    SEX = "sex"
    AGE_GROUP = "age_group"
    EDUCATION_LEVEL = "education_level"
    NATIONALITY = "nationality"
    DEPARTMENT = "department"
    STATUS = "status"
    PERIOD = "period"  # filing year
    QUARTER = "quarter"  # filing year and quarter, e.g. 2024-Q1


# SQL for each dimension over one row per person (their most recent case).
_EXPRESSIONS: dict[Dimension, str] = {
    Dimension.SEX: "p.sex",
    Dimension.AGE_GROUP: (
        "CASE WHEN age(p.birth_date) < interval '18 years' THEN '0-17'"
        " WHEN age(p.birth_date) < interval '30 years' THEN '18-29'"
        " WHEN age(p.birth_date) < interval '45 years' THEN '30-44'"
        " WHEN age(p.birth_date) < interval '60 years' THEN '45-59' ELSE '60+' END"
    ),
    Dimension.EDUCATION_LEVEL: "coalesce(p.education_level, 'unknown')",
    Dimension.NATIONALITY: "p.nationality",
    Dimension.DEPARTMENT: "coalesce(p.department, 'SIN DATO')",
    Dimension.STATUS: "c.status",
    Dimension.PERIOD: "extract(year FROM c.filing_date)::int::text",
    Dimension.QUARTER: (
        "extract(year FROM c.filing_date)::int::text || '-Q'"
        " || extract(quarter FROM c.filing_date)::int::text"
    ),
}


@dataclass(frozen=True)
class Cell:
    """One published entry: the dimension values (TOTAL for a margin) and the count,
    or ``None`` when suppressed."""

    values: tuple[str, ...]
    count: int | None
    suppressed: bool
    reason: str | None  # "small" (primary) | "complementary" | None


@dataclass(frozen=True)
class StatisticsTable:
    dimensions: tuple[Dimension, ...]
    threshold: int
    cells: list[Cell]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*(d.value for d in self.dimensions), "count", "suppressed"])
        for cell in self.cells:
            writer.writerow(
                [
                    *cell.values,
                    "" if cell.count is None else cell.count,
                    "yes" if cell.suppressed else "no",
                ]
            )
        return out.getvalue()


def _validate(dimensions: Sequence[str], threshold: int) -> tuple[Dimension, ...]:
    problems = []
    parsed: list[Dimension] = []
    for index, name in enumerate(dimensions):
        try:
            parsed.append(Dimension(name))
        except ValueError:
            problems.append(
                FieldProblem(
                    ("dimensions", index), "UNKNOWN_DIMENSION", f"Dimensión desconocida: «{name}»."
                )
            )
    if not 2 <= len(dimensions) <= 3:
        problems.append(
            FieldProblem(("dimensions",), "DIMENSION_COUNT", "Combine dos o tres dimensiones.")
        )
    if len(set(parsed)) != len(parsed):
        problems.append(
            FieldProblem(
                ("dimensions",), "REPEATED_DIMENSION", "Cada dimensión puede aparecer una sola vez."
            )
        )
    if threshold < 2:
        problems.append(FieldProblem(("threshold",), "THRESHOLD", "El umbral mínimo es 2."))
    if problems:
        raise ValidationFailed(problems)
    return tuple(parsed)


async def statistics(
    conn: AsyncConnection[Any], dimensions: Sequence[str], threshold: int = 10
) -> StatisticsTable:
    """Counts of persons by ``dimensions`` (2 or 3), with margins, safe to publish."""
    dims = _validate(dimensions, threshold)
    columns = ", ".join(f"{_EXPRESSIONS[d]} AS d{i}" for i, d in enumerate(dims))
    group = ", ".join(f"d{i}" for i in range(len(dims)))
    cursor = await conn.execute(
        f"""SELECT {group}, count(*) FROM (
              SELECT {columns} FROM person p
              JOIN LATERAL (
                SELECT c.status, c.filing_date FROM case_member m
                JOIN case_file c ON c.id = m.case_id WHERE m.person_id = p.id
                ORDER BY c.filing_date DESC, c.id DESC LIMIT 1) c ON true
            ) rows GROUP BY {group}"""
    )
    counts = {tuple(str(v) for v in row[:-1]): int(row[-1]) for row in await cursor.fetchall()}
    return protect(dims, counts, threshold)


def protect(
    dims: tuple[Dimension, ...], counts: dict[tuple[str, ...], int], threshold: int
) -> StatisticsTable:
    """The extended table (cells and margins) with primary and complementary suppression."""
    axes = [sorted({key[i] for key in counts}) for i in range(len(dims))]
    extended_axes = [[*axis, TOTAL] for axis in axes]
    table: dict[tuple[str, ...], int] = dict.fromkeys(itertools.product(*extended_axes), 0)
    masks = list(itertools.product((False, True), repeat=len(dims)))
    for cell, count in counts.items():
        # each cell counts in itself and in every margin that totals over some of its values
        for mask in masks:
            table[tuple(TOTAL if m else v for m, v in zip(mask, cell, strict=True))] += count
    reason: dict[tuple[str, ...], str] = {
        key: "small" for key, count in table.items() if 0 < count < threshold
    }
    lines = _lines(extended_axes)
    while True:
        _suppress_lonely(lines, table, reason)
        # Subtraction along lines is not the only attack: a cell can also be pinned down
        # by combining several lines (e.g. two suppressed cycles joined by one cell).
        # Solve the published equations exactly; hide one more cell next to any
        # suppressed cell they still determine, and start again.
        determined = determined_cells(lines, set(reason))
        if not determined:
            break
        _hide_partner(min(determined), lines, table, reason)
    cells = [
        Cell(key, None if key in reason else table[key], key in reason, reason.get(key))
        for key in itertools.product(*extended_axes)
    ]
    return StatisticsTable(dims, threshold, cells)


Line = list[tuple[str, ...]]
_PRIME = (1 << 61) - 1  # exact ranks of ±1 systems, computed modulo a large prime


def _lines(extended_axes: list[list[str]]) -> list[Line]:
    """Every line of the extended table (its last entry is the line's total)."""
    out: list[Line] = []
    for axis in range(len(extended_axes)):
        others = [extended_axes[i] for i in range(len(extended_axes)) if i != axis]
        for fixed in itertools.product(*others):
            out.append([(*fixed[:axis], value, *fixed[axis:]) for value in extended_axes[axis]])
    return out


def _suppress_lonely(
    lines: list[Line], table: dict[tuple[str, ...], int], reason: dict[tuple[str, ...], str]
) -> None:
    """Until nothing changes: a line with exactly one hidden entry gets a partner."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [key for key in line if key in reason]
            if len(hidden) != 1:
                continue
            candidates = [key for key in line if key not in reason and table[key] > 0]
            if not candidates:
                continue  # the only other entries are zeros: nothing left to recover
            # smallest first; inner cells before totals (totals are the most useful)
            pick = min(candidates, key=lambda k: (TOTAL in k, table[k]))
            reason[pick] = "complementary"
            changed = True


def _hide_partner(
    target: tuple[str, ...],
    lines: list[Line],
    table: dict[tuple[str, ...], int],
    reason: dict[tuple[str, ...], str],
) -> None:
    """Hide the smallest published non-zero entry on a line through ``target`` (or, if
    there is none, anywhere): ``target`` then has one more degree of freedom."""
    near = [k for line in lines if target in line for k in line if k not in reason and table[k]]
    pool = near or [k for k, n in table.items() if k not in reason and n > 0]
    if pool:
        reason[min(pool, key=lambda k: (TOTAL in k, table[k], k))] = "complementary"


def determined_cells(lines: list[Line], hidden: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The hidden entries whose value follows from the published ones by linear algebra.

    Each line says: sum of its entries = its total. With the published entries moved to
    the right-hand side, a hidden entry is determined exactly when its unit vector lies
    in the row space of the hidden part, i.e. when, in reduced row-echelon form, its
    pivot row has no other entry. Non-negativity is not used (no interval attack).
    """
    columns = {key: i for i, key in enumerate(sorted(hidden))}
    pivots: dict[int, dict[int, int]] = {}
    for line in lines:
        row: dict[int, int] = {}
        for position, key in enumerate(line):
            if key in columns:
                row[columns[key]] = 1 if position < len(line) - 1 else _PRIME - 1
        for col in [c for c in row if c in pivots]:
            factor = row.get(col, 0)
            if factor:
                for c, v in pivots[col].items():
                    row[c] = (row.get(c, 0) - factor * v) % _PRIME
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        pivot = min(row)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {c: v * inverse % _PRIME for c, v in row.items()}
        for other in pivots.values():
            factor = other.get(pivot, 0)
            if factor:
                for c, v in row.items():
                    other[c] = (other.get(c, 0) - factor * v) % _PRIME
                for c in [c for c, v in other.items() if not v]:
                    del other[c]
        pivots[pivot] = row
    keys = sorted(hidden)
    return {keys[col] for col, row in pivots.items() if len(row) == 1}
