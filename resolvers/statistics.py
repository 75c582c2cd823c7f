"""Resolvers of the public statistics: one service call each."""

from __future__ import annotations

from typing import Any

import strawberry

from services import statistics as svc
from services.statistics.dimensions import LABELS_ES
from services.statistics.labels import label_es


async def statistics(info: strawberry.Info, dimensions: list[str]) -> Any:
    ctx = info.context
    threshold = ctx.state.settings.stats_suppression_threshold
    table = await ctx.run(svc.statistics, dimensions, threshold)
    return Table(
        table, f"{ctx.state.settings.public_url}/statistics.csv?dims={','.join(dimensions)}"
    )


async def statistics_release(info: strawberry.Info) -> Any:
    ctx = info.context
    threshold = ctx.state.settings.stats_suppression_threshold
    return ReleaseView(await ctx.run(svc.current_release, threshold))


class ReleaseView:
    def __init__(self, release: svc.Release) -> None:
        self.version = release.version
        self.reference_date = release.reference_date
        self.published_at = release.published_at
        self.method = release.method
        self.method_explanation_es = svc.explanation_es(
            release.method, release.threshold, release.protection, release.audit.get("privacy")
        )
        self.threshold = release.threshold
        self.protection_interval = release.protection
        self.tables = [[d.value for d in key] for key in release.tables if key]
        self.dimensions = [
            Values(d.value, LABELS_ES[d], [Value(v, label_es(d, v)) for v in values])
            for d, values in release.grid.domains.values.items()
        ]
        self.audit = Audit(release.audit, release.build_seconds)
        budget = release.audit.get("privacy")
        self.privacy = None if budget is None else Privacy(budget)


class Privacy:
    def __init__(self, budget: dict[str, float]) -> None:
        self.rho = budget["rho"]
        self.rho_year = budget["rhoYear"]
        self.rho_spent_year = budget["rhoSpentYear"]
        self.delta = budget["delta"]
        self.epsilon = budget["epsilon"]
        self.epsilon_year = budget["epsilonYear"]
        self.noise_sd = budget["noiseSd"]


class Audit:
    def __init__(self, audit: dict[str, Any], seconds: float) -> None:
        self.cells = int(audit["cells"])
        self.hidden = int(audit["hidden"])
        self.primary = int(audit["primary"])
        self.lp_solves = int(audit["lpSolves"])
        self.rounds = int(audit["rounds"])
        self.build_seconds = round(seconds, 3)


class Values:
    def __init__(self, dimension: str, label: str, values: list[Value]) -> None:
        self.dimension = dimension
        self.label_es = label
        self.values = values


class Value:
    __slots__ = ("code", "label_es")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label_es = label


class Table:
    def __init__(self, table: svc.StatisticsTable, csv_url: str) -> None:
        self.dimensions = [d.value for d in table.dimensions]
        self.threshold = table.threshold
        self.cells = [Cell(c) for c in table.cells]
        self.csv_url = csv_url
        self.margin95 = table.margin95
        self.release = ReleaseView(table.release)


class Cell:
    __slots__ = ("count", "reason", "suppressed", "values")

    def __init__(self, cell: svc.Cell) -> None:
        self.values = list(cell.values)
        self.count = cell.count
        self.suppressed = cell.suppressed
        self.reason = cell.reason
