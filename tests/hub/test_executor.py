"""The plan executor returns exactly what graphql-core returns, errors included."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import ExecutionResult, execute, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.graphql.executor import FastExecutor
from hub.graphql.http import find_operation
from hub.routes_graphql import contract_for
from hub.state import HubState
from models.vocab import Agency, Role
from resolvers.context import RequestContext
from tests.factories import make_cases

SUPERVISOR = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="s")
REGISTRAR_TACNA = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="TCQ"
)


def _normalise(result: ExecutionResult) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors


async def both(state: HubState, principal: Principal, query: str, variables: Any = None) -> Any:
    schema = contract_for(principal.role).schema
    document = parse(query)
    operation = find_operation(document, None)
    assert operation is not None
    ctx = RequestContext(state, principal)
    try:
        fast = await FastExecutor().try_execute(schema, document, operation, ctx, variables)
        READS["fast"] = ctx.reads
    finally:
        await ctx.close()
    ctx = RequestContext(state, principal)
    try:
        outcome = execute(schema, document, context_value=ctx, variable_values=variables)
        slow = await outcome if not isinstance(outcome, ExecutionResult) else outcome
        READS["slow"] = ctx.reads
    finally:
        await ctx.close()
    return fast, slow


# What each executor recorded for the access log in the last `both` call.
READS: dict[str, dict[str, set[int]]] = {}


@pytest.fixture(scope="module")
async def cases(engine: AsyncEngine) -> list[Any]:
    lima = await make_cases(engine, 6, office_code="LIM", family_size=2)
    tacna = await make_cases(engine, 3, office_code="TCQ", family_size=3, needs=("UM",))
    return lima + tacna


QUERIES = [
    "{ offices { code name kind } }",
    """query($n: Int!) { case(number: $n) { number status filingDate
         principal { fullName sex documents { type number } address { department } }
         members { relationship person { id givenNames } } needs { code label } } }""",
    """{ a: cases(first: 3) { edges { cursor node { ...C } } pageInfo { hasNextPage endCursor } }
         b: cases(first: 2, filter: {officeCodes: ["TCQ"]}) {
           edges { node { number __typename } } } }
       fragment C on Case { number office { code } principal { ... on Person { fullName } } }""",
    "{ case(number: 1) { number } }",
    '{ cases(first: 2, after: "garbage") { edges { node { number } } } }',
]


@pytest.mark.parametrize("query", QUERIES)
async def test_same_results_as_graphql_core(
    hub_state: HubState, cases: list[Any], query: str
) -> None:
    fast, slow = await both(hub_state, SUPERVISOR, query, {"n": cases[0].number})
    assert fast is not None, "the plan executor should compile this query"
    assert _normalise(fast) == _normalise(slow)


REGISTRAR_LIMA = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="l", office_code="LIM"
)
ACNUR = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="a")


@pytest.mark.parametrize("principal", [REGISTRAR_LIMA, REGISTRAR_TACNA, ACNUR])
async def test_checked_and_logged_fields_agree(
    hub_state: HubState, cases: list[Any], principal: Principal
) -> None:
    # Given a query over cases of two offices, read by roles with row checks or logging
    case_fields = """number filingDate needs { code }
      principal { givenNames sex documents { number } }
      members { relationship person { fullName birthDate } }"""
    if principal is ACNUR:  # UNHCR has no case list: one case, every read logged
        query = f"{{ c: case(number: {cases[0].number}) {{ {case_fields} }} }}"
    else:
        query = f"{{ cases(first: 9) {{ edges {{ node {{ {case_fields} }} }} }} }}"
    fast, slow = await both(hub_state, principal, query)
    assert fast is not None
    assert _normalise(fast) == _normalise(slow)
    # and the same reads for the access log
    assert READS["fast"] == READS["slow"]
    if principal is ACNUR:
        assert set(READS["fast"]) == {"identity", "status", "needs", "family"}


async def test_row_condition_errors_are_the_same(hub_state: HubState, cases: list[Any]) -> None:
    # Given a Tacna registrar reading a Lima case (allowed fields: none of its rows)
    query = "query($n: Int!) { case(number: $n) { number principal { fullName birthDate } } }"
    fast, slow = await both(hub_state, REGISTRAR_TACNA, query, {"n": cases[0].number})
    # Then both executors give null + FORBIDDEN at the same path: the case itself, the
    # same answer as for a case number that does not exist
    assert _normalise(fast) == _normalise(slow)
    assert fast.data == {"case": None}
    assert [(e.extensions["code"], e.path) for e in fast.errors] == [("FORBIDDEN", ["case"])]
    unknown, _ = await both(hub_state, REGISTRAR_TACNA, query, {"n": 99_999_999})
    assert _normalise(unknown)[1] == [(fast.errors[0].message, ("case",))]
    assert unknown.data == {"case": None}


async def test_unsupported_operations_fall_back(hub_state: HubState) -> None:
    schema = contract_for(Role.CEPR_SUPERVISOR).schema
    for query in ("{ __schema { queryType { name } } }", "{ offices @skip(if: false) { code } }"):
        document = parse(query)
        operation = find_operation(document, None)
        assert operation is not None
        assert FastExecutor().plan_for(schema, document, operation) is None


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_generated_queries_agree(hub_state: HubState, cases: list[Any], data: Any) -> None:
    schema = contract_for(Role.CEPR_SUPERVISOR).schema
    query = data.draw(queries(schema, fields=["case", "cases", "offices", "person"]))
    fast, slow = await both(hub_state, SUPERVISOR, query)
    if fast is not None:
        assert _normalise(fast) == _normalise(slow)
