"""Audited cell suppression of a whole release.

1. Primary: every cell holding 1 … threshold − 1 persons is hidden. Zeros are published
   (a zero reveals no one) and are never hidden, so an attacker knows that every hidden
   cell holds at least one person: the audit gives him that (lower bound 1).
2. Lines: an equation of the release (a margin and the cells that add up to it) with one
   hidden cell gives it away by subtraction; it gets a partner (the smallest published
   non-zero cell of the same line, the margin last), until no such line is left.
3. Audit: the interval attack on the whole release. The hidden cells are unknowns, every
   equation of every table (shared margins, quarters adding up to years) a constraint,
   each unknown ≥ 1; HiGHS minimises and maximises each hidden cell. A hidden cell whose
   feasible integer interval ``[⌈min⌉, ⌊max⌋]`` is narrower than the protection interval
   (``⌊max⌋ − ⌈min⌉ < protection``) gets a partner, and the attack runs again, until every
   hidden cell passes. Independent blocks of unknowns are solved apart (the same LP, in
   pieces); every LP solution is a feasible point, so a cell already seen to move by the
   protection interval needs no LP of its own.
4. Integers. The attacker solves an integer program, whose bounds can be narrower than
   the LP's. Once the LP audit passes, each hidden cell must be seen to move by the
   protection interval between integer points the attacker cannot rule out: the truth, LP
   solutions that happen to be integral, and the solutions of HiGHS's MIP (maximise and
   minimise the cell with every unknown integer), solved only for the cells those points
   do not already clear. A cell that fails gets a partner and everything runs again. A
   MIP stopped by its time limit counts only the point it found (never a bound), so a
   slow solve can hide more, never less.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from services.statistics.grid import Grid

MAX_ROUNDS = 500
MAX_LOCAL = 3000
MIP_SECONDS = 20.0
_EPS = 1e-6
_Array = np.ndarray[Any, np.dtype[Any]]
_UNBOUNDED = (
    highspy.HighsModelStatus.kUnbounded,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
)


@dataclass
class Protection:
    hidden: bytearray
    rounds: int = 0
    lp_solves: int = 0
    mip_solves: int = 0
    largest_block: int = 0
    primary: int = 0
    integer_failures: int = 0  # hidden cells the LP passed and the integer program did not


class _Release:
    def __init__(self, grid: Grid, counts: Sequence[int], protection: int) -> None:
        self.grid = grid
        self.counts = counts
        self.protection = protection
        self.equations = grid.equations
        self.cell_equations: list[list[int]] = [[] for _ in range(grid.size)]
        for e, eq in enumerate(self.equations):
            self.cell_equations[eq.parent].append(e)
            for child in eq.children:
                self.cell_equations[child].append(e)
        self.hidden = bytearray(grid.size)
        # the lowest and highest value seen for each cell in points the attacker cannot
        # rule out (the truth is one); they only widen as more cells are hidden
        self.low = np.array(counts, dtype=float)
        self.high = self.low.copy()
        # the same, over integer points only
        self.ilow = self.low.copy()
        self.ihigh = self.low.copy()
        self.lp_solves = 0
        self.mip_solves = 0
        self.largest_block = 0

    def members(self, e: int) -> tuple[int, ...]:
        eq = self.equations[e]
        return (*eq.children, eq.parent)

    def hide(self, cell: int, work: list[int]) -> None:
        self.hidden[cell] = 1
        work.extend(self.cell_equations[cell])

    def partner(self, cell: int, equation_ids: Iterable[int]) -> int | None:
        """The published non-zero cell to hide next to ``cell``: same table first, then
        finer tables, margins last; the smallest count."""
        table = self.grid.table_of[cell]
        best: tuple[int, int, int] | None = None
        for e in equation_ids:
            parent = self.equations[e].parent
            for other in self.members(e):
                if self.hidden[other] or self.counts[other] == 0:
                    continue
                rank = 0 if self.grid.table_of[other] == table else (2 if other == parent else 1)
                candidate = (rank, self.counts[other], other)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else best[2]

    def close_lines(self, work: list[int]) -> None:
        """Until no equation has exactly one hidden cell."""
        while work:
            e = work.pop()
            lonely = [c for c in self.members(e) if self.hidden[c]]
            if len(lonely) != 1:
                continue
            pick = self.partner(lonely[0], [e])
            if pick is not None:
                self.hide(pick, work)

    def neighbourhood(self, cell: int, radius: int) -> list[int]:
        """The hidden cells within ``radius`` equations of ``cell`` (``cell`` first)."""
        seen = {cell: None}
        frontier = [cell]
        for _ in range(radius):
            nxt: list[int] = []
            for c in frontier:
                for e in self.cell_equations[c]:
                    for other in self.members(e):
                        if self.hidden[other] and other not in seen:
                            seen[other] = None
                            nxt.append(other)
            if not nxt or len(seen) > MAX_LOCAL:
                break
            frontier = nxt
        return list(seen)

    def interval_attack(self, targets: list[int], free: list[int], integer: bool = False) -> None:
        """Minimise and maximise each of ``targets`` over the release with the hidden
        cells ``free`` unknown (≥ 1; integers if ``integer``) and every other cell at its
        true value: the attacker's program, or a restriction of it, so every solution is
        a point the attacker cannot rule out. Widens the intervals of every free cell
        (one model, warm-started)."""
        column = {c: j for j, c in enumerate(free)}
        cells = np.array(free)
        n = len(free)
        self.largest_block = max(self.largest_block, n)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.addVars(n, np.ones(n), np.full(n, highspy.kHighsInf))
        if integer:
            highs.changeColsIntegrality(
                n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
            )
            highs.setOptionValue("time_limit", MIP_SECONDS)
        for e in {e for c in free for e in self.cell_equations[c]}:
            index, value, rhs = self._row(e, column)
            highs.addRow(rhs, rhs, len(index), np.array(index, np.int32), np.array(value))
        done = self.integer_safe if integer else self.safe
        for cell in targets:
            if done(cell):
                continue
            j = column[cell]
            highs.changeColCost(j, 1.0)
            for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
                highs.changeObjectiveSense(sense)
                highs.run()
                if integer:
                    self.mip_solves += 1
                else:
                    self.lp_solves += 1
                status = highs.getModelStatus()
                if status in _UNBOUNDED:  # the truth is feasible: "or infeasible" is unbounded
                    self.high[cell] = self.ihigh[cell] = math.inf
                    continue
                x = highs.getSolution().col_value
                if len(x) == n and highs.getInfo().primal_solution_status == 2:
                    self._widen(cells, np.array(x), integer)
                if done(cell):
                    break
            highs.changeColCost(j, 0.0)

    def _row(self, e: int, column: dict[int, int]) -> tuple[list[int], list[float], float]:
        """Equation ``e`` over the unknowns ``column``: indices, coefficients, right side."""
        eq = self.equations[e]
        index: list[int] = []
        value: list[float] = []
        rhs = 0.0
        if eq.parent in column:
            index.append(column[eq.parent])
            value.append(-1.0)
        else:
            rhs += self.counts[eq.parent]
        for child in eq.children:
            if child in column:
                index.append(column[child])
                value.append(1.0)
            else:
                rhs -= self.counts[child]
        return index, value, rhs

    def _widen(self, cells: _Array, x: _Array, integer: bool) -> None:
        """A feasible point: widen the LP intervals and, when every value is an integer,
        the integer ones."""
        self.low[cells] = np.minimum(self.low[cells], x)
        self.high[cells] = np.maximum(self.high[cells], x)
        whole = np.rint(x)
        if integer or bool(np.all(np.abs(x - whole) < _EPS)):
            self.ilow[cells] = np.minimum(self.ilow[cells], whole)
            self.ihigh[cells] = np.maximum(self.ihigh[cells], whole)

    def integer_safe(self, cell: int) -> bool:
        return bool(self.ihigh[cell] - self.ilow[cell] >= self.protection)

    def safe(self, cell: int) -> bool:
        high, low = float(self.high[cell]), float(self.low[cell])
        if math.isinf(high):  # unbounded above: as wide as can be
            return True
        return math.floor(high + _EPS) - math.ceil(low - _EPS) >= self.protection

    def blocks(self, cells: list[int]) -> list[tuple[list[int], list[int]]]:
        """The connected blocks of hidden cells (joined by equations) that hold ``cells``:
        (every hidden cell of the block, the ones of ``cells`` in it)."""
        wanted = set(cells)
        done: set[int] = set()
        out: list[tuple[list[int], list[int]]] = []
        for start in cells:
            if start in done:
                continue
            block = [start]
            done.add(start)
            for c in block:
                for e in self.cell_equations[c]:
                    for other in self.members(e):
                        if self.hidden[other] and other not in done:
                            done.add(other)
                            block.append(other)
            out.append((block, [c for c in block if c in wanted]))
        return out


def protect_release(
    grid: Grid, counts: Sequence[int], threshold: int, protection: int
) -> Protection:
    """The suppression pattern of a release: primary, lines, then audited rounds."""
    release = _Release(grid, counts, protection)
    work: list[int] = []
    for cell, count in enumerate(counts):
        if 0 < count < threshold:
            release.hide(cell, work)
    primary = sum(release.hidden)
    release.close_lines(work)
    rounds = integer_failures = 0
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise RuntimeError("statistics suppression did not converge")
        # every connected block of hidden cells that holds a cell in doubt, as one LP
        doubtful = [c for c in range(grid.size) if release.hidden[c] and not release.safe(c)]
        for block, targets in release.blocks(doubtful):
            release.interval_attack(targets, block)
        failing = [c for c in doubtful if not release.safe(c)]
        if not failing:  # the LP passes: now with integers, where points do not clear it
            doubtful = [
                c for c in range(grid.size) if release.hidden[c] and not release.integer_safe(c)
            ]
            for block, targets in release.blocks(doubtful):
                release.interval_attack(targets, block, integer=True)
            failing = [c for c in doubtful if not release.integer_safe(c)]
            integer_failures += len(failing)
        if not failing:
            break
        touched: set[int] = set()
        for cell in failing:
            equations = release.cell_equations[cell]
            if touched.intersection(equations):
                continue  # a partner was just hidden next to it: audit again first
            pick = release.partner(cell, equations)
            if pick is None:
                pick = release.partner(cell, _neighbourhood(release, cell))
            if pick is None:
                continue
            release.hide(pick, work)
            touched.update(release.cell_equations[pick])
        if not touched:
            raise RuntimeError("statistics suppression found no partner")
        release.close_lines(work)
    return Protection(
        release.hidden,
        rounds,
        release.lp_solves,
        release.mip_solves,
        release.largest_block,
        primary,
        integer_failures,
    )


def _neighbourhood(release: _Release, cell: int) -> list[int]:
    """The equations of the hidden cells that share an equation with ``cell``."""
    out: list[int] = []
    for e in release.cell_equations[cell]:
        for other in release.members(e):
            if release.hidden[other]:
                out.extend(release.cell_equations[other])
    return out
