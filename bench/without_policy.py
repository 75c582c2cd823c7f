"""Benchmark-only variant of the hub: every role gets the whole executable schema, with no
field checks and no access log. Imported by ``bench/policy_cost.py`` to measure what the
policy costs. Never imported by the hub."""

from __future__ import annotations

import hub.routes_graphql as routes
from auth.enforce import Contract
from models.vocab import Role
from schema.build import full_schema

_whole = Contract(role=Role.CEPR_SUPERVISOR, schema=full_schema()._schema)


def _no_contract(role: Role, subgraph: str | None = None) -> Contract:
    return _whole


routes.contract_for = _no_contract  # type: ignore[assignment]
_startup = routes.startup


async def _startup_without_log(state):  # type: ignore[no-untyped-def]
    await _startup(state)
    state.services.pop("record_access", None)


routes.startup = _startup_without_log  # type: ignore[assignment]
