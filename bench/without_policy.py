"""Benchmark-only variant of the hub: the same executable schema machinery as the
contracts (direct resolvers, batch forms), but every field for every role, with no row
checks and no access log. Imported by ``bench/policy_cost.py`` to measure what the
policy costs. Never imported by the hub."""

from __future__ import annotations

from typing import Any

import hub.routes_graphql as routes
from auth.contract_schema import contract_schema
from auth.direct_resolvers import direct_resolver
from auth.enforce import Contract
from auth.guards import FieldGuard, make_guard
from hub.graphql.http import DOCUMENTS
from hub.graphql.strawberry_hooks import PlanExecutionContext, prepared_document
from models.vocab import Role
from schema.build import full_schema


def _unchecked(type_name: str, field_name: str, fld: Any) -> FieldGuard:
    form = direct_resolver(fld)
    if form is None:
        return make_guard(None, fld.resolve)
    return make_guard(None, form.resolve, attribute=form.attribute, batch=form.batch)


_whole = contract_schema(
    full_schema(),
    keep=lambda type_name, field_name: field_name not in ("_service", "_entities"),
    guard=_unchecked,
    federation=False,
    execution_context_class=PlanExecutionContext,
    extensions=(prepared_document(DOCUMENTS),),
)
_contract = Contract(role=Role.CEPR_SUPERVISOR, strawberry=_whole)


def _no_contract(role: Role, subgraph: str | None = None) -> Contract:
    return _contract


routes.contract_for = _no_contract  # type: ignore[assignment]
_startup = routes.startup


async def _startup_without_log(state: Any) -> None:
    await _startup(state)


async def _no_log(ctx: Any, result: Any) -> None:
    return None


def install_no_log(state: Any) -> None:
    state.services["record_access"] = _no_log


# The access log writer is installed by hub.routes_auth at start-up; replace it after.
import hub.routes_auth as auth_routes  # noqa: E402

_auth_startup = auth_routes.startup


async def _auth_startup_without_log(state: Any) -> None:
    await _auth_startup(state)
    install_no_log(state)


auth_routes.startup = _auth_startup_without_log  # type: ignore[assignment]
