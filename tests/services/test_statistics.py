"""Open statistics: correct counts, and no suppressed cell can be recovered from what is
published: neither by an attacker solving every line that has a single unknown,
repeatedly, nor by one solving all the published equations at once (exact rational
Gaussian elimination over every row, column, margin and 2-D slice)."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction
from typing import Any

import httpx
import pytest

import services.statistics as statistics_service
from services.statistics import TOTAL, Dimension, StatisticsTable, protect
from tests.conftest import LiveHub


def peel(table: StatisticsTable) -> dict[tuple[str, ...], int]:
    """What an attacker recovers: solve lines with exactly one unknown until stuck."""
    known = {c.values: c.count for c in table.cells if c.count is not None}
    unknown = {c.values for c in table.cells if c.count is None}
    axes = [
        sorted({c.values[i] for c in table.cells}, key=lambda v: (v == TOTAL, v))
        for i in range(len(table.dimensions))
    ]
    recovered: dict[tuple[str, ...], int] = {}
    progress = True
    while progress:
        progress = False
        for axis in range(len(axes)):
            others = [axes[i] for i in range(len(axes)) if i != axis]
            for fixed in itertools.product(*others):
                line = [(*fixed[:axis], v, *fixed[axis:]) for v in axes[axis]]
                missing = [k for k in line if k in unknown and k not in recovered]
                if len(missing) != 1:
                    continue
                values = {k: recovered.get(k, known.get(k)) for k in line}
                total_key = line[-1]
                inner = line[:-1]
                target = missing[0]
                if target == total_key:
                    value = sum(values[k] for k in inner)  # type: ignore[misc]
                else:
                    value = values[total_key] - sum(values[k] for k in inner if k != target)  # type: ignore[operator]
                recovered[target] = value
                progress = True
    return recovered


def solve(table: StatisticsTable) -> dict[tuple[str, ...], Fraction]:
    """What a stronger attacker recovers: every line is an equation (entries add up to
    the line's total); eliminate over the rationals and read off every hidden entry whose
    reduced row names no other hidden entry."""
    known = {c.values: c.count for c in table.cells if c.count is not None}
    unknown = sorted(c.values for c in table.cells if c.count is None)
    column = {k: i for i, k in enumerate(unknown)}
    axes = [
        sorted({c.values[i] for c in table.cells}, key=lambda v: (v == TOTAL, v))
        for i in range(len(table.dimensions))
    ]
    rows: list[list[Fraction]] = []
    for axis in range(len(axes)):
        others = [axes[i] for i in range(len(axes)) if i != axis]
        for fixed in itertools.product(*others):
            line = [(*fixed[:axis], v, *fixed[axis:]) for v in axes[axis]]
            row = [Fraction(0)] * (len(unknown) + 1)
            for position, key in enumerate(line):
                sign = 1 if position < len(line) - 1 else -1
                if key in column:
                    row[column[key]] += sign
                else:
                    row[-1] -= sign * known[key]  # type: ignore[operator]
            if any(row[:-1]):
                rows.append(row)
    n, rank, pivots = len(unknown), 0, []
    for c in range(n):
        found = next((i for i in range(rank, len(rows)) if rows[i][c] != 0), None)
        if found is None:
            continue
        rows[rank], rows[found] = rows[found], rows[rank]
        rows[rank] = [v / rows[rank][c] for v in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        pivots.append(c)
        rank += 1
    return {
        unknown[c]: rows[i][n]
        for i, c in enumerate(pivots)
        if all(rows[i][j] == 0 for j in range(n) if j != c)
    }


def test_a_lonely_small_cell_is_hidden_with_a_partner() -> None:
    # Given a 2x2 table where one cell is small
    dims = (Dimension.SEX, Dimension.NATIONALITY)
    table = protect(dims, {("F", "VE"): 40, ("F", "CO"): 3, ("M", "VE"): 55, ("M", "CO"): 21}, 10)
    hidden = {c.values: c.reason for c in table.cells if c.suppressed}
    # Then the small cell is hidden, and enough others that it cannot be deduced
    assert hidden[("F", "CO")] == "small"
    assert len(hidden) >= 4
    assert peel(table) == {}
    assert solve(table) == {}
    published = {c.values: c.count for c in table.cells}
    assert published[(TOTAL, TOTAL)] == 119


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_never_leak_a_suppressed_cell(seed: int) -> None:
    import random

    rnd = random.Random(seed)
    dims = (Dimension.SEX, Dimension.AGE_GROUP, Dimension.NATIONALITY)[: rnd.choice([2, 3])]
    values = [["F", "M"], ["0-17", "18-29", "30-44", "45-59", "60+"], ["VE", "CO", "HT", "CU"]]
    counts = {
        key: rnd.choice([0, 1, 2, 5, 9, 12, 30, 80])
        for key in itertools.product(*values[: len(dims)])
    }
    table = protect(dims, counts, 10)
    # published numbers are true, small ones are never published
    for cell in table.cells:
        if cell.count is not None:
            assert cell.count == 0 or cell.count >= 10
    recovered = peel(table)
    assert recovered == {}, recovered
    assert solve(table) == {}


@pytest.mark.parametrize("seed", range(40))
def test_no_combination_of_published_equations_reveals_a_cell(seed: int) -> None:
    # Given random 2-D and 3-D tables of varied shapes (many small cells)
    import random

    rnd = random.Random(seed)
    sizes = [rnd.randint(2, 5) for _ in range(rnd.choice([2, 3]))]
    dims = (Dimension.SEX, Dimension.AGE_GROUP, Dimension.NATIONALITY)[: len(sizes)]
    counts = {
        key: rnd.choice([0, 1, 2, 5, 9, 12, 30, 80])
        for key in itertools.product(*[[f"v{i}" for i in range(size)] for size in sizes])
    }
    # When it is protected and published
    table = protect(dims, counts, 10)
    # Then solving all published equations (rows, columns, margins, every 2-D slice of a
    # 3-D table) pins down no hidden cell
    assert solve(table) == {}


# Each line has zero or at least two hidden entries, yet (v1, v1) is a "bridge" between
# two groups of hidden cells and follows from combining lines: line-local complementary
# suppression alone is not enough.
BRIDGE = {
    ("v0", "v0"): 2, ("v0", "v1"): 0, ("v0", "v2"): 0,
    ("v1", "v0"): 1, ("v1", "v1"): 9, ("v1", "v2"): 0,
    ("v2", "v0"): 30, ("v2", "v1"): 9, ("v2", "v2"): 2,
    ("v3", "v0"): 80, ("v3", "v1"): 2, ("v3", "v2"): 30,
}  # fmt: skip


def test_a_cell_joined_by_combined_lines_stays_hidden() -> None:
    table = protect((Dimension.NATIONALITY, Dimension.SEX), BRIDGE, 10)
    assert peel(table) == {}
    assert solve(table) == {}


def test_the_linear_attack_is_real_without_the_exact_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given only the line rule (no exact solving of the published equations)
    monkeypatch.setattr(statistics_service, "determined_cells", lambda lines, hidden: set())
    table = protect((Dimension.NATIONALITY, Dimension.SEX), BRIDGE, 10)
    # Then peeling finds nothing, but elimination finds the hidden 9
    assert peel(table) == {}
    assert solve(table) == {("v1", "v1"): 9}


def test_statistics_over_graphql_and_csv_without_a_token(live_hub: LiveHub) -> None:
    query = """{ statistics(dimensions: [SEX, NATIONALITY]) {
      dimensions threshold csvUrl cells { values count suppressed } } }"""
    body: dict[str, Any] = httpx.post(f"{live_hub.url}/graphql", json={"query": query}).json()
    table = body["data"]["statistics"]
    assert table["dimensions"] == ["sex", "nationality"] and table["threshold"] == 10
    assert all(c["count"] is None or c["count"] == 0 or c["count"] >= 10 for c in table["cells"])
    csv_text = httpx.get(f"{live_hub.url}/statistics.csv", params={"dims": "sex,nationality"}).text
    assert csv_text.splitlines()[0] == "sex,nationality,count,suppressed"
    bad = httpx.get(f"{live_hub.url}/statistics.csv", params={"dims": "sex"})
    assert bad.status_code == 400 and bad.json()["problems"][0]["code"] == "DIMENSION_COUNT"


def test_the_attack_does_recover_a_cell_when_only_small_cells_are_hidden() -> None:
    # The attacker above is real: without complementary suppression it finds the cell.
    from services.statistics import Cell

    full = protect(
        (Dimension.SEX, Dimension.NATIONALITY),
        {("F", "VE"): 40, ("F", "CO"): 3, ("M", "VE"): 55, ("M", "CO"): 21},
        10,
    )
    primary_only = StatisticsTable(
        full.dimensions,
        10,
        [
            Cell(
                c.values,
                None
                if c.reason == "small"
                else (
                    c.count
                    if c.count is not None
                    else {("F", "CO"): 3}.get(c.values, _true(c.values))
                ),
                c.reason == "small",
                c.reason,
            )
            for c in full.cells
        ],
    )
    assert peel(primary_only) == {("F", "CO"): 3}


def _true(values: tuple[str, ...]) -> int:
    counts = {("F", "VE"): 40, ("F", "CO"): 3, ("M", "VE"): 55, ("M", "CO"): 21}
    return sum(
        n for k, n in counts.items() if all(v in (TOTAL, c) for v, c in zip(values, k, strict=True))
    )


async def test_counts_by_filing_quarter_and_sex_from_the_database(
    engine: Any, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given 12 families of 3 (F, M, F) filed in 2007-Q2 and 12 filed in 2007-Q4
    import psycopg

    from hub.readpool import libpq_url
    from services.statistics import statistics
    from tests.factories import make_cases

    await make_cases(engine, 12, office_code="LIM", filing_date=date(2007, 5, 2))
    await make_cases(engine, 12, office_code="LIM", filing_date=date(2007, 11, 20))
    seen: dict[tuple[str, ...], int] = {}

    def capture(dims: Any, counts: dict[tuple[str, ...], int], threshold: int) -> Any:
        seen.update(counts)  # the counts before suppression (other tests add rows too)
        return protect(dims, counts, threshold)

    monkeypatch.setattr(statistics_service, "protect", capture)
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        table = await statistics(conn, ["quarter", "sex"], 10)
    # Then the quarters are labelled by year and quarter, with true counts
    assert (seen[("2007-Q2", "F")], seen[("2007-Q2", "M")]) == (24, 12)
    assert seen[("2007-Q4", "F")] + seen[("2007-Q4", "M")] == 36
    assert table.dimensions == (Dimension.QUARTER, Dimension.SEX)
