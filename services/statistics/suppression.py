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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from services.statistics.grid import Grid

MAX_ROUNDS = 500
MAX_LOCAL = 3000
_EPS = 1e-6


@dataclass
class Protection:
    hidden: bytearray
    rounds: int = 0
    lp_solves: int = 0
    mip_solves: int = 0
    largest_block: int = 0
    primary: int = 0


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
        self.low = [float(n) for n in counts]
        self.high = [float(n) for n in counts]
        self.lp_solves = 0
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

    def interval_attack(self, targets: list[int], free: list[int]) -> None:
        """Minimise and maximise each of ``targets`` over the release with the hidden
        cells ``free`` unknown (≥ 1) and every other cell at its true value: the attacker's
        LP, or a restriction of it, so every solution is a point the attacker cannot rule
        out. Widens ``low``/``high`` of every free cell (one model, warm-started)."""
        column = {c: j for j, c in enumerate(free)}
        n = len(free)
        self.largest_block = max(self.largest_block, n)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.addVars(n, np.ones(n), np.full(n, highspy.kHighsInf))
        rows = {e for c in free for e in self.cell_equations[c]}
        for e in rows:
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
            highs.addRow(rhs, rhs, len(index), np.array(index, np.int32), np.array(value))
        for cell in targets:
            if self.safe(cell):
                continue
            j = column[cell]
            highs.changeColCost(j, 1.0)
            for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
                highs.changeObjectiveSense(sense)
                highs.run()
                self.lp_solves += 1
                if highs.getModelStatus() == highspy.HighsModelStatus.kUnbounded:
                    self.high[cell] = math.inf
                    continue
                x = highs.getSolution().col_value
                for c, v in zip(free, x, strict=True):
                    if v < self.low[c]:
                        self.low[c] = v
                    if v > self.high[c]:
                        self.high[c] = v
                if self.safe(cell):
                    break
            highs.changeColCost(j, 0.0)

    def safe(self, cell: int) -> bool:
        if math.isinf(self.high[cell]):  # unbounded above: as wide as can be
            return True
        width = math.floor(self.high[cell] + _EPS) - math.ceil(self.low[cell] - _EPS)
        return width >= self.protection

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
    rounds = 0
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise RuntimeError("statistics suppression did not converge")
        # every connected block of hidden cells that holds a cell in doubt, as one LP
        doubtful = [c for c in range(grid.size) if release.hidden[c] and not release.safe(c)]
        for block, targets in release.blocks(doubtful):
            release.interval_attack(targets, block)
        failing = [c for c in doubtful if not release.safe(c)]
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
    return Protection(release.hidden, rounds, release.lp_solves, release.largest_block, primary)


def _neighbourhood(release: _Release, cell: int) -> list[int]:
    """The equations of the hidden cells that share an equation with ``cell``."""
    out: list[int] = []
    for e in release.cell_equations[cell]:
        for other in release.members(e):
            if release.hidden[other]:
                out.extend(release.cell_equations[other])
    return out
