"""Noisy counts made into published counts: non-negative integers whose margins add up in
every table of the release (post-processing: it sees only the noisy counts).

1. Least squares. Every cell has the same noise, so the best linear estimate is the
   projection of the noisy vector onto the counts that satisfy every equation of the
   release (``parent = Σ children``): ``x = y − Aᵀw`` with ``A·Aᵀ·w = A·y``, solved by
   conjugate gradients. A margin is then estimated from every table that holds it.
2. Integers, top down: the total, single dimensions, pairs, the slices of each
   three-dimension table by its first dimension. Each table is fitted (least absolute
   deviation) to its rounded estimate with the tables above it fixed: they fix row and
   column sums (or, for quarters, the sum of each year), a transportation problem whose
   constraint matrix is totally unimodular, so the simplex vertex HiGHS returns is
   integral. The pairs inside a three-dimension table are its sums over the first
   dimension. Every equation of the release then holds exactly.
"""

from __future__ import annotations

import math
from typing import Any

import highspy
import numpy as np

from services.statistics.dimensions import Dimension
from services.statistics.grid import Grid, TableKey, canonical

Vector = np.ndarray[Any, np.dtype[np.float64]]
_TOLERANCE = 1e-7


class _Equations:
    """``A`` of the release as index arrays: row ``e`` is ``parent − Σ children``."""

    def __init__(self, grid: Grid) -> None:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for e, eq in enumerate(grid.equations):
            rows.append(e)
            cols.append(eq.parent)
            vals.append(1.0)
            rows.extend([e] * len(eq.children))
            cols.extend(eq.children)
            vals.extend([-1.0] * len(eq.children))
        self.rows = np.array(rows)
        self.cols = np.array(cols)
        self.vals = np.array(vals)
        self.m = len(grid.equations)
        self.n = grid.size

    def apply(self, x: Vector) -> Vector:
        return np.bincount(self.rows, self.vals * x[self.cols], self.m).astype(float)

    def transpose(self, w: Vector) -> Vector:
        return np.bincount(self.cols, self.vals * w[self.rows], self.n).astype(float)

    def project(self, y: Vector, iterations: int = 2000) -> Vector:
        """The nearest ``x`` to ``y`` with ``A·x = 0`` (CG on the consistent, singular
        system ``A·Aᵀ·w = A·y``)."""
        b = self.apply(y)
        w = np.zeros(self.m)
        r = b.copy()
        p = r.copy()
        rr = float(r @ r)
        stop = (1e-10 * math.sqrt(float(b @ b))) ** 2
        for _ in range(iterations):
            if rr <= stop:
                break
            q = self.apply(self.transpose(p))
            alpha = rr / float(p @ q)
            w += alpha * p
            r -= alpha * q
            rr_next = float(r @ r)
            p = r + (rr_next / rr) * p
            rr = rr_next
        return y - self.transpose(w)


def table_rms(grid: Grid, samples: int = 6) -> dict[TableKey, float]:
    """Root mean square error of each table's least-squares estimate for noise of
    standard deviation 1 (simulated: it depends on the tables, never on the data)."""
    equations = _Equations(grid)
    generator = np.random.default_rng(19)
    squares = np.zeros(grid.size)
    for _ in range(samples):
        squares += equations.project(generator.standard_normal(grid.size)) ** 2
    out: dict[TableKey, float] = {}
    for key, layout in grid.layouts.items():
        part = squares[layout.offset : layout.offset + layout.size]
        out[key] = math.sqrt(float(part.mean()) / samples)
    return out


def consistent_counts(grid: Grid, noisy: Vector) -> list[int]:
    """Non-negative integers satisfying every equation of ``grid``, close to ``noisy``."""
    target = np.rint(_Equations(grid).project(noisy))
    fitted: dict[int, int] = {}
    tables: list[TableKey] = list(grid.layouts)
    triples = [key for key in tables if len(key) == 3]
    derived = {canonical(key[1:]): key for key in triples}
    between = _between(grid)

    def fit(key: TableKey, via: list[TableKey]) -> None:
        layout = grid.layouts[key]
        cells = list(range(layout.offset, layout.offset + layout.size))
        groups: list[tuple[list[int], int]] = []
        for parent in via:
            members: dict[int, list[int]] = {}
            for p, children in between.get((key, parent), []):
                members[p] = list(children)
            groups.extend((m, fitted[p]) for p, m in members.items())
        for cell, value in zip(cells, _fit(cells, target, groups), strict=True):
            fitted[cell] = value

    fit((), [])
    for single in (t for t in tables if len(t) == 1):
        fit(single, [(Dimension.PERIOD,)] if single == (Dimension.QUARTER,) else [()])
    for key in tables:
        if len(key) != 2 or key in derived:
            continue
        if key[1] is Dimension.QUARTER:
            fit(key, [canonical([key[0], Dimension.PERIOD]), (Dimension.QUARTER,)])
        else:
            fit(key, [key[:1], key[1:]])
    for triple in triples:
        fit(triple, [triple[:2], canonical([triple[0], triple[2]])])
    for pair, source in derived.items():
        for parent, children in between[(source, pair)]:
            fitted[parent] = sum(fitted[c] for c in children)
    assert len(fitted) == grid.size
    return [fitted[i] for i in range(grid.size)]


def _between(grid: Grid) -> dict[tuple[TableKey, TableKey], list[tuple[int, tuple[int, ...]]]]:
    """The equations of ``grid`` by (table of the children, table of the parent)."""
    out: dict[tuple[TableKey, TableKey], list[tuple[int, tuple[int, ...]]]] = {}
    for eq in grid.equations:
        pair = (grid.table_of[eq.children[0]], grid.table_of[eq.parent])
        out.setdefault(pair, []).append((eq.parent, eq.children))
    return out


def _fit(cells: list[int], target: Vector, groups: list[tuple[list[int], int]]) -> list[int]:
    """Non-negative integers for ``cells`` with each group summing to its value, at least
    absolute deviation from ``target`` (the groups form at most two partitions)."""
    n = len(cells)
    if not groups:
        return [max(0, int(target[c])) for c in cells]
    local = {c: j for j, c in enumerate(cells)}
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", "simplex")  # a vertex: integral (the matrix is TU)
    inf = highspy.kHighsInf
    # x (n), then over (n) and under (n): x − over + under = target
    highs.addVars(3 * n, np.zeros(3 * n), np.full(3 * n, inf))
    highs.changeColsCost(2 * n, np.arange(n, 3 * n, dtype=np.int32), np.ones(2 * n, dtype=float))
    for j, c in enumerate(cells):
        t = max(0.0, float(target[c]))
        highs.addRow(t, t, 3, np.array([j, n + j, 2 * n + j], np.int32), np.array([1.0, -1.0, 1.0]))
    for members, total in groups:
        idx = np.array([local[c] for c in members], np.int32)
        highs.addRow(total, total, len(idx), idx, np.ones(len(idx)))
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    x = highs.getSolution().col_value[:n]
    out = [round(v) for v in x]
    assert all(abs(v - o) < _TOLERANCE and o >= 0 for v, o in zip(x, out, strict=True))
    return out
