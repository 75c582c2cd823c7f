"""Resolver of the public statistics: one service call."""

from __future__ import annotations

from typing import Any

import strawberry

from services import statistics as svc


async def statistics(info: strawberry.Info, dimensions: list[str]) -> Any:
    ctx = info.context
    threshold = ctx.state.settings.stats_suppression_threshold
    table = await ctx.run(svc.statistics, dimensions, threshold)
    return Table(
        table, f"{ctx.state.settings.public_url}/statistics.csv?dims={','.join(dimensions)}"
    )


class Table:
    def __init__(self, table: svc.StatisticsTable, csv_url: str) -> None:
        self.dimensions = [d.value for d in table.dimensions]
        self.threshold = table.threshold
        self.cells = [Cell(c) for c in table.cells]
        self.csv_url = csv_url


class Cell:
    __slots__ = ("count", "reason", "suppressed", "values")

    def __init__(self, cell: svc.Cell) -> None:
        self.values = list(cell.values)
        self.count = cell.count
        self.suppressed = cell.suppressed
        self.reason = cell.reason
