"""The number of SQL statements of the case list does not grow with the length of the list."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import ExecutionResult
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.db import count_statements
from hub.graphql.executor import FastExecutor
from hub.graphql.http import GraphQLParams, find_operation, parse_cached, run_operation
from hub.routes_graphql import contract_for
from hub.state import HubState
from models.vocab import Agency, Role
from resolvers.context import RequestContext
from tests.factories import make_cases

LIST = """
query List($first: Int!) {
  cases(first: $first, filter: {officeCodes: ["ICA"]}) {
    edges { cursor node {
      number status filingDate protectedFromRemoval
      principal { fullName birthDate nationality documents { type number issuingCountry } }
      members { relationship person { givenNames paternalSurname sex } }
      needs { code label }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

SUPERVISOR = Principal(
    role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup", office_code="LIM"
)


async def run_as(
    state: HubState, principal: Principal, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    """Execute as the hub does (plan executor, graphql-core fallback), without HTTP."""
    ctx = RequestContext(state, principal)
    document = parse_cached(query)
    operation = find_operation(document, None)
    assert operation is not None
    params = GraphQLParams(query, variables, None, None)
    state.services.setdefault("executor", FastExecutor())
    try:
        return await run_operation(contract_for(principal.role).strawberry, ctx, params)
    finally:
        await ctx.close()


@pytest.fixture(scope="module")
async def ica_cases(engine: AsyncEngine) -> list[Any]:
    async with engine.begin() as conn:
        await conn.execute(
            text("DELETE FROM case_file WHERE office_id = (SELECT id FROM office WHERE code='ICA')")
        )
    return await make_cases(engine, 1000, office_code="ICA", family_size=3)


@pytest.mark.parametrize("size", [1, 10, 100, 1000])
async def test_case_list_statements_do_not_grow_with_the_list(
    engine: AsyncEngine, hub_state: HubState, ica_cases: list[Any], size: int
) -> None:
    # Given 1,000 cases with three members and two needs each
    # When a supervisor lists `size` of them with person, family, documents and needs
    with count_statements(engine) as counter:
        result = await run_as(hub_state, SUPERVISOR, LIST, {"first": size})
    # Then every case came back complete, with the same number of statements for any size
    assert result.errors is None
    edges = result.data["cases"]["edges"]  # type: ignore[index]
    assert len(edges) == size
    assert all(len(e["node"]["members"]) == 3 and len(e["node"]["needs"]) == 2 for e in edges)
    assert all(e["node"]["principal"]["documents"][0]["type"] == "NATIONAL_ID" for e in edges)
    # cases page, persons (whole families), documents, needs
    assert counter.count == 4, counter.statements
