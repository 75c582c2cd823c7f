"""Resolvers for prioritisation and assignment: parse, call one service, map."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from auth.policy import RowScope
from services.casework import assignment, priority


class Mapped:
    """A plain result object with the row scope the policy checks."""

    def __init__(self, row_scope: RowScope, **values: Any) -> None:
        self.row_scope = row_scope
        self.__dict__.update(values)


def _reasons(p: priority.Priority, scope: RowScope) -> list[Mapped]:
    return [
        Mapped(scope, rule=x.rule, points=float(x.points), explanation=x.explanation)
        for x in p.reasons
    ]


def _entry(e: priority.QueueEntry) -> Mapped:
    scope = RowScope(
        office_codes=frozenset({e.office_code}),
        assigned_officer_ids=frozenset({e.assigned_officer_id} if e.assigned_officer_id else ()),
    )
    p = e.priority
    return Mapped(
        scope,
        case_number=e.case_number,
        office_code=e.office_code,
        filing_date=e.filing_date,
        score=float(p.score),
        computed_score=float(p.computed_score),
        rule_version=p.rule_version,
        reasons=_reasons(p, scope),
        override_reason=p.override_reason,
        override_by=p.override_by,
    )


async def priority_rules(info: strawberry.Info) -> Any:
    """The rules in force, flattened to {rule, points, explanation}."""
    rules = await info.context.run(priority.active_rules)
    items = [
        Mapped(
            RowScope(),
            rule=f"necesidad:{k}",
            points=float(v["points"]),
            explanation=v["explanation"],
        )
        for k, v in sorted(rules.get("needs", {}).items())
    ]
    items += [
        Mapped(RowScope(), rule=x["rule"], points=float(x["points"]), explanation=x["explanation"])
        for x in rules.get("profiles", [])
    ]
    w = rules["waiting"]
    items.append(
        Mapped(
            RowScope(),
            rule=w["rule"],
            points=float(w["points_per_week"]),
            explanation=(
                f"{w['points_per_week']} puntos por semana de espera, hasta {w['max_points']}"
            ),
        )
    )
    return Mapped(
        RowScope(), version=rules["version"], description=rules.get("description"), rules=items
    )


async def officer_queue(info: strawberry.Info, limit: int) -> Any:
    ctx = info.context
    return [_entry(e) for e in await ctx.run(priority.officer_queue, ctx.principal, limit)]


async def override_priority(
    info: strawberry.Info, case_number: int, score: float | None, reason: str
) -> Any:
    ctx = info.context
    value = None if score is None else Decimal(str(score))
    p = await ctx.run(priority.override, ctx.principal, case_number, value, reason)
    scope = RowScope()  # supervisors only: no row condition
    return Mapped(
        scope,
        case_number=p.case_number,
        office_code=None,
        filing_date=None,
        score=float(p.score),
        computed_score=float(p.computed_score),
        rule_version=p.rule_version,
        reasons=_reasons(p, scope),
        override_reason=p.override_reason,
        override_by=p.override_by,
    )


async def assign_cases(info: strawberry.Info, office_code: str, limit: int) -> Any:
    ctx = info.context
    run = await ctx.run(assignment.assign_cases, ctx.principal, office_code, limit)
    scope = RowScope(office_codes=frozenset({office_code}))
    return Mapped(
        scope,
        rule_version=run.rule_version,
        assigned=[
            Mapped(scope, case_number=a.case_number, officer_id=a.officer_id, reason=a.reason)
            for a in run.assigned
        ],
        unassigned=run.unassigned,
        not_assigned=[
            Mapped(scope, case_number=n.case_number, code=n.code, reason=n.reason)
            for n in run.not_assigned
        ],
    )
