"""One table of the current release as the API shows it: the requested dimensions in the
requested order, every value of each (zeros included) and the margins (``TOTAL``)."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from services.csv_safety import safe_row
from services.errors import FieldProblem, ValidationFailed
from services.statistics.dimensions import Dimension
from services.statistics.grid import canonical
from services.statistics.release import Release, current_release

TOTAL = "TOTAL"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Cell:
    """One published entry: the dimension values (TOTAL for a margin) and the count, or
    ``None`` when suppressed. ``reason`` is ``"suppressed"`` for every hidden cell: small
    cells and the cells hidden to protect them are not told apart."""

    values: tuple[str, ...]
    count: int | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class StatisticsTable:
    dimensions: tuple[Dimension, ...]
    threshold: int
    cells: list[Cell]
    release: Release

    @property
    def margin95(self) -> int | None:
        """The 95 % accuracy of each cell (none without noise)."""
        return self.release.margin95(canonical(self.dimensions))

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*(d.value for d in self.dimensions), "count", "suppressed"])
        for cell in self.cells:
            writer.writerow(
                safe_row(
                    [
                        *cell.values,
                        "" if cell.count is None else cell.count,
                        "yes" if cell.suppressed else "no",
                    ]
                )
            )
        return out.getvalue()


def validate(dimensions: Sequence[str]) -> tuple[Dimension, ...]:
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
    if problems:
        raise ValidationFailed(problems)
    return tuple(parsed)


def table_of(release: Release, dims: tuple[Dimension, ...]) -> StatisticsTable:
    """The extended table over ``dims`` (in that order) from ``release``."""
    if canonical(dims) not in release.grid.layouts:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("dimensions",),
                    "TABLE_NOT_PUBLISHED",
                    "Esta combinación no se publica; consulte statisticsRelease.tables.",
                )
            ]
        )
    axes = [[*release.grid.domains.of(d), TOTAL] for d in dims]
    cells: list[Cell] = []
    for values in itertools.product(*axes):
        pairs = sorted(
            ((d, v) for d, v in zip(dims, values, strict=True) if v != TOTAL),
            key=lambda p: list(Dimension).index(p[0]),
        )
        count = release.count(tuple(d for d, _ in pairs), tuple(v for _, v in pairs))
        hidden = count is None
        cells.append(Cell(tuple(values), count, hidden, SUPPRESSED if hidden else None))
    return StatisticsTable(dims, release.threshold, cells, release)


async def statistics(
    conn: AsyncConnection[Any], dimensions: Sequence[str], threshold: int | None = None
) -> StatisticsTable:
    """Counts of persons by ``dimensions`` (2 or 3), with margins, from the current
    release (the first one is published with ``threshold`` when there is none)."""
    dims = validate(dimensions)
    return table_of(await current_release(conn, threshold), dims)
