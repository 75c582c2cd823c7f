"""The suppression audit sees what an attacker who solves the integer program sees, even
where the linear relaxation gives a wider interval."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from services.statistics.grid import Equation
from services.statistics.suppression import _Release


def odd_cycles(triangles: int) -> tuple[Any, list[int], int]:
    """Published margins over hidden cells (each ≥ 1) whose LP interval is wider than the
    integer one: per triangle, a + b + s1 = b + c + s2 = a + c + s3 = 4 (so a−1, b−1 and
    c−1 sum to 1.5 at most in the LP, 1 in integers), and a total T = Σ(a + b + c) + u.
    Returns the grid, the counts (the truth: a = 2, b = c = 1 in each triangle, u = 3) and
    the cell u."""
    counts: list[int] = []
    equations: list[Equation] = []
    summed: list[int] = []

    def cell(value: int) -> int:
        counts.append(value)
        return len(counts) - 1

    for _ in range(triangles):
        a, b, c = cell(2), cell(1), cell(1)
        s1, s2, s3 = cell(1), cell(2), cell(1)
        for x, y, s in ((a, b, s1), (b, c, s2), (a, c, s3)):
            equations.append(Equation(cell(4), (x, y, s)))
        summed.extend((a, b, c))
    u = cell(3)
    equations.append(Equation(cell(4 * triangles + 3), (*summed, u)))
    grid = SimpleNamespace(equations=equations, size=len(counts), table_of=[()] * len(counts))
    return grid, counts, u


def test_the_integer_audit_catches_a_cell_the_linear_relaxation_passes() -> None:
    # Given four odd cycles: u can be 1 … 7 in the LP (width 6) but only 3 … 7 with
    # integers (width 4), and the protection interval is 5
    grid, counts, u = odd_cycles(4)
    published = {eq.parent for eq in grid.equations}
    hidden = [c for c in range(grid.size) if c not in published]
    release = _Release(grid, counts, protection=5)
    for c in hidden:
        release.hidden[c] = 1
    # When the auditor runs the LP attack, Then u looks safe
    release.interval_attack([u], hidden)
    assert release.safe(u)
    assert (release.low[u], release.high[u]) == (1.0, 7.0)
    # When it runs the integer attack, Then u is narrower than the protection interval:
    # an attacker with a MIP solver pins it to 5 values, and the audit hides more
    release.interval_attack([u], hidden, integer=True)
    assert not release.integer_safe(u)
    assert (release.ilow[u], release.ihigh[u]) == (3.0, 7.0)
    assert release.mip_solves == 2
