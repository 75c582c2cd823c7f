"""The outsider's interval attack on a published release, written from the published
tables alone (not from the service's internals): every table downloaded, every hidden
cell an unknown ≥ 1 (zeros are published, so a hidden cell holds someone), every line of
every table an equation (entries add up to the line's total), a cell that appears in
several tables one unknown, quarters adding up to years; HiGHS minimises and maximises
each unknown, first as a linear program, then as an integer program (every unknown an
integer), whose bounds can be narrower. Independent blocks of unknowns are solved apart
(the same program in pieces); every solution is a feasible point, so a cell already seen
to move far enough between feasible integer points (the truth, integral LP solutions, MIP
solutions) needs no program of its own."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import highspy
import numpy as np

TOTAL = "TOTAL"
Key = frozenset[tuple[str, str]]  # the (dimension, value) pairs of a cell, margins left out


@dataclass
class AttackResult:
    hidden: int
    exact: list[Key]
    narrow: list[Key]  # fewer than protection + 1 possible values (exact ones included)
    widths: dict[Key, float]
    programs: tuple[int, int]  # linear and integer programs solved


def equations_of(
    tables: Iterable[tuple[list[str], list[tuple[list[str], int | None]]]],
) -> tuple[dict[Key, int | None], list[list[Key]]]:
    """Cells (value or None) and equations ``[total, entry, entry, ...]`` of the tables."""
    cells: dict[Key, int | None] = {}
    equations: list[list[Key]] = []
    for dims, rows in tables:
        by_values = {tuple(values): count for values, count in rows}
        axes = [sorted({v[i] for v in by_values} - {TOTAL}) for i in range(len(dims))]
        for values, count in by_values.items():
            cells[_key(dims, values)] = count
        for axis in range(len(dims)):
            others = [[*axes[i], TOTAL] for i in range(len(dims)) if i != axis]
            for fixed in itertools.product(*others):
                line = [(*fixed[:axis], v, *fixed[axis:]) for v in [TOTAL, *axes[axis]]]
                equations.append([_key(dims, values) for values in line])
    # quarters add up to years (same other values)
    by_rest: dict[Key, dict[str, Key]] = {}
    for key in cells:
        quarter = dict(key).get("quarter")
        if quarter is not None:
            rest = frozenset(p for p in key if p[0] != "quarter")
            by_rest.setdefault(rest, {})[quarter] = key
    for rest, quarters in by_rest.items():
        for year in {q.split("-Q")[0] for q in quarters}:
            year_key = frozenset({*rest, ("period", year)})
            if year_key in cells:
                parts = [k for q, k in quarters.items() if q.split("-Q")[0] == year]
                equations.append([year_key, *parts])
    return cells, equations


def _key(dims: list[str], values: Iterable[str]) -> Key:
    return frozenset((d, v) for d, v in zip(dims, values, strict=True) if v != TOTAL)


def attack(
    tables: Iterable[tuple[list[str], list[tuple[list[str], int | None]]]],
    truth: dict[Key, int],
    protection: int,
) -> AttackResult:
    """Solve the whole release; ``truth`` gives the true value of every hidden cell (a
    feasible point to start from; the attacker's bounds do not depend on it)."""
    cells, equations = equations_of(tables)
    unknown = [k for k, v in cells.items() if v is None]
    index = {k: i for i, k in enumerate(unknown)}
    rows: list[tuple[list[int], list[float], float]] = []
    touching: dict[int, list[int]] = {}
    for eq in equations:
        cols: list[int] = []
        vals: list[float] = []
        rhs = 0.0
        for position, key in enumerate(eq):
            sign = -1.0 if position == 0 else 1.0
            if key in index:
                cols.append(index[key])
                vals.append(sign)
            else:
                rhs -= sign * float(cells[key])  # type: ignore[arg-type]
        if cols:
            for c in cols:
                touching.setdefault(c, []).append(len(rows))
            rows.append((cols, vals, rhs))
    low = np.array([truth[k] for k in unknown], dtype=float)
    high = low.copy()
    ilow, ihigh = low.copy(), low.copy()  # over integer points only
    blocks: list[tuple[list[int], list[tuple[list[int], list[float], float]]]] = []
    seen: set[int] = set()
    for start in range(len(unknown)):
        if start in seen:
            continue
        block, row_ids = [start], set()
        seen.add(start)
        for c in block:
            for r in touching.get(c, []):
                row_ids.add(r)
                for other in rows[r][0]:
                    if other not in seen:
                        seen.add(other)
                        block.append(other)
        blocks.append((block, [rows[r] for r in sorted(row_ids)]))
    lps = sum(
        _solve_block(block, block_eqs, (low, high), (ilow, ihigh), protection, integer=False)
        for block, block_eqs in blocks
    )
    mips = sum(
        _solve_block(block, block_eqs, (ilow, ihigh), (ilow, ihigh), protection, integer=True)
        for block, block_eqs in blocks
    )
    widths: dict[Key, float] = {}
    for i, key in enumerate(unknown):
        widths[key] = ihigh[i] - ilow[i]
    return AttackResult(
        hidden=len(unknown),
        exact=[k for k, w in widths.items() if w <= 0],
        narrow=[k for k, w in widths.items() if w < protection],
        widths=widths,
        programs=(lps, mips),
    )


Bounds = tuple[np.ndarray, np.ndarray]


def _solve_block(
    block: list[int],
    rows: list[tuple[list[int], list[float], float]],
    bounds: Bounds,
    integer_bounds: Bounds,
    protection: int,
    integer: bool,
) -> int:
    """Maximise and minimise each cell of ``block`` that ``bounds`` do not show to move by
    ``protection``; every solution widens ``bounds`` and, when integral, ``integer_bounds``.
    Returns how many programs it solved."""
    low, high = bounds
    ilow, ihigh = integer_bounds
    local = {c: j for j, c in enumerate(block)}
    n = len(block)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.addVars(n, np.ones(n), np.full(n, highspy.kHighsInf))
    if integer:
        highs.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
        )
    for cols, vals, rhs in rows:
        highs.addRow(
            rhs, rhs, len(cols), np.array([local[c] for c in cols], np.int32), np.array(vals)
        )
    ids = np.array(block)

    def wide(c: int) -> bool:
        if integer:
            return bool(ihigh[c] - ilow[c] >= protection)
        return bool(math.floor(high[c] + 1e-6) - math.ceil(low[c] - 1e-6) >= protection)

    solved = 0
    for j, c in enumerate(block):
        if wide(c):
            continue
        highs.changeColCost(j, 1.0)
        for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
            highs.changeObjectiveSense(sense)
            highs.run()
            solved += 1
            status = highs.getModelStatus()
            if status in (
                highspy.HighsModelStatus.kUnbounded,
                highspy.HighsModelStatus.kUnboundedOrInfeasible,
            ):
                high[c] = ihigh[c] = math.inf  # unbounded LP, unbounded integers (rational data)
                continue
            assert status == highspy.HighsModelStatus.kOptimal  # solved to the end
            x = np.array(highs.getSolution().col_value)
            low[ids] = np.minimum(low[ids], x)
            high[ids] = np.maximum(high[ids], x)
            if integer or bool(np.all(np.abs(x - np.rint(x)) < 1e-6)):
                ilow[ids] = np.minimum(ilow[ids], np.rint(x))
                ihigh[ids] = np.maximum(ihigh[ids], np.rint(x))
            if wide(c):
                break
        highs.changeColCost(j, 0.0)
    return solved
