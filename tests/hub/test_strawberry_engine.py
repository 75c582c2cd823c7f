"""Strawberry runs every request on the caller's contract: its extensions apply to what the
plan executor answers, and federation entity fetches (a union) are compiled too."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from graphql import ExecutionResult, execute, parse
from strawberry.extensions import MaskErrors, QueryDepthLimiter, SchemaExtension

from auth.enforce import build_contract
from auth.principal import Principal
from hub.errors import format_error
from hub.graphql.executor import Compiled, FastExecutor
from hub.graphql.http import DOCUMENTS, find_operation
from hub.graphql.strawberry_hooks import PlanExecutionContext, prepared_document
from hub.routes_graphql import contract_for
from hub.state import HubState
from models.vocab import Agency, Role
from resolvers.context import RequestContext
from schema.build import full_schema
from tests.factories import make_cases

REGISTRAR_TACNA = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="TCQ"
)
CASE = "query($n: Int!) { case(number: $n) { number principal { fullName } } }"


class CountingPlans(FastExecutor):
    """The plan executor, counting the operations it ran."""

    def __init__(self) -> None:
        super().__init__()
        self.runs = 0

    async def run(self, *args: Any) -> ExecutionResult:  # type: ignore[override]
        self.runs += 1
        return await FastExecutor.run(*args)


class CountResolves(SchemaExtension):
    """An extension on Strawberry's per-resolver hook (as tracing extensions are)."""

    calls = 0

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        CountResolves.calls += 1
        return _next(root, info, *args, **kwargs)


@pytest.fixture(scope="module")
async def cases(engine: Any) -> list[Any]:
    lima = await make_cases(engine, 2, office_code="LIM", family_size=2)
    tacna = await make_cases(engine, 2, office_code="TCQ", family_size=2)
    return lima + tacna


@pytest.fixture
def plans(hub_state: HubState, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingPlans]:
    counting = CountingPlans()
    monkeypatch.setitem(hub_state.services, "executor", counting)
    yield counting


def _registrar_schema(extensions: tuple[Any, ...]) -> Any:
    """The registrar's contract as the hub builds it, with ``extensions`` added."""
    return build_contract(
        full_schema(),
        Role.CEPR_REGISTRAR,
        execution_context_class=PlanExecutionContext,
        extensions=(prepared_document(DOCUMENTS), *extensions),
    ).strawberry


async def _execute(
    hub_state: HubState, extensions: tuple[Any, ...], query: str, variables: dict[str, Any]
) -> Any:
    ctx = RequestContext(hub_state, REGISTRAR_TACNA)
    try:
        return await _registrar_schema(extensions).execute(
            query, variable_values=variables, context_value=ctx
        )
    finally:
        await ctx.close()


async def test_error_masking_applies_to_the_plan_executors_answer(
    hub_state: HubState, cases: list[Any], plans: CountingPlans
) -> None:
    # Given the Tacna registrar's contract with Strawberry's MaskErrors extension
    # When the registrar reads a Lima case (refused: FORBIDDEN at `case`)
    result = await _execute(hub_state, (MaskErrors,), CASE, {"n": cases[0].number})
    # Then the plan executor answered, and Strawberry masked its error
    assert plans.runs == 1
    assert result.data == {"case": None}
    assert [(e.message, e.path) for e in result.errors] == [("Unexpected error.", ["case"])]


async def test_query_limits_of_extensions_are_checked(
    hub_state: HubState, cases: list[Any], plans: CountingPlans
) -> None:
    # Given the contract with Strawberry's QueryDepthLimiter at depth 1
    # When a query two fields deep arrives
    result = await _execute(hub_state, (lambda: QueryDepthLimiter(max_depth=1),), CASE, {"n": 1})
    # Then it is refused before anything runs
    assert plans.runs == 0
    assert result.data is None
    assert [e.message for e in result.errors] == [
        "'anonymous' exceeds maximum operation depth of 1"
    ]


async def test_per_resolver_extensions_run_on_graphql_core(
    hub_state: HubState, cases: list[Any], plans: CountingPlans
) -> None:
    # Given the contract with an extension that wraps every resolver
    CountResolves.calls = 0
    tacna = cases[2].number
    # When the registrar reads a Tacna case
    result = await _execute(hub_state, (CountResolves,), CASE, {"n": tacna})
    # Then graphql-core ran it, one call per field, with the same answer as without
    assert plans.runs == 0
    assert CountResolves.calls == 4  # case, number, principal, fullName
    plain = await _execute(hub_state, (), CASE, {"n": tacna})
    assert plans.runs == 1
    assert result.data == plain.data and result.data["case"]["number"] == tacna
    assert result.errors is None and plain.errors is None


ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  __typename
  ... on Person { givenNames sex }
  ... on Case { number status principal { id fullName } }
  ...P } }
fragment P on Person { id birthDate }"""


def _wire(result: ExecutionResult) -> tuple[bytes, list[bytes]]:
    errors = sorted(orjson.dumps(format_error(e)) for e in result.errors or ())
    return orjson.dumps(result.data), errors


async def _both(hub_state: HubState, principal: Principal, query: str, variables: Any) -> Any:
    schema = contract_for(principal.role, "cases").schema
    document = parse(query)
    operation = find_operation(document, None)
    assert operation is not None
    compiled = FastExecutor().compiled_for(schema, document, operation)
    assert isinstance(compiled, Compiled), "entity fetches are compiled"
    results = []
    for fast in (True, False):
        ctx = RequestContext(hub_state, principal)
        # each run its own copy: Strawberry's resolver rewrites the representations
        given = copy.deepcopy(variables)
        try:
            if fast:
                result = await FastExecutor().try_execute(schema, document, operation, ctx, given)
            else:
                outcome = execute(schema, document, context_value=ctx, variable_values=given)
                result = outcome if isinstance(outcome, ExecutionResult) else await outcome
            results.append((result, dict(ctx.reads)))
        finally:
            await ctx.close()
    return results


async def test_entity_fetches_are_compiled_and_answer_as_graphql_core(
    hub_state: HubState, cases: list[Any]
) -> None:
    # Given persons and cases of Lima and Tacna, and keys that match nothing
    lima, tacna = cases[0], cases[2]
    representations = [
        {"__typename": "Case", "number": tacna.number},
        {"__typename": "Person", "id": str(lima.person_ids[0])},
        {"__typename": "Case", "number": lima.number},
        {"__typename": "Person", "id": str(tacna.person_ids[1])},
        {"__typename": "Person", "id": "99999999"},
        {"__typename": "Case", "number": 99_999_999},
    ]
    # When the Tacna registrar fetches them through the cases subgraph, on both executors
    (fast, fast_reads), (slow, slow_reads) = await _both(
        hub_state, REGISTRAR_TACNA, ENTITIES, {"r": representations}
    )
    # Then both answer the same bytes and log the same reads
    assert _wire(fast) == _wire(slow)
    assert fast_reads == slow_reads
    # and only Tacna's records are served; the others, known or not, are the same refusal
    entities = fast.data["_entities"]
    assert entities[0]["__typename"] == "Case" and entities[0]["number"] == tacna.number
    assert entities[3]["__typename"] == "Person" and entities[3]["id"] == str(tacna.person_ids[1])
    assert [entities[i] for i in (1, 2, 4, 5)] == [None] * 4
    refused = {tuple(e.path): e.extensions["code"] for e in fast.errors}
    assert refused == {("_entities", i): "FORBIDDEN" for i in (1, 2, 4, 5)}


async def _run_operation(
    hub_state: HubState, extensions: tuple[Any, ...], query: str, variables: dict[str, Any]
) -> ExecutionResult:
    """What the hub's HTTP path runs (``hub.graphql.execution.run_operation``)."""
    from hub.graphql.execution import run_operation
    from hub.graphql.http import GraphQLParams

    runner = _registrar_schema(extensions)
    ctx = RequestContext(hub_state, REGISTRAR_TACNA)
    params = GraphQLParams(query, variables, None, None)
    try:
        return await run_operation(runner, ctx, params, DOCUMENTS.parse(query))
    finally:
        await ctx.close()


async def test_without_extensions_a_planned_query_answers_as_through_strawberry(
    hub_state: HubState, cases: list[Any], plans: CountingPlans
) -> None:
    # Given the registrar's contract as the hub builds it (no extension of Strawberry's)
    lima, tacna = cases[0].number, cases[2].number
    two = "query($a: Int!, $b: Int!) { a: case(number: $a) { number principal { fullName } }"
    two += " b: case(number: $b) { number principal { fullName } } }"
    # When a query with a refused case and a readable one runs on the hub's path, where
    # Strawberry's per-request work is skipped, and through Strawberry
    direct = await _run_operation(hub_state, (), two, {"a": lima, "b": tacna})
    through = await _execute(hub_state, (), two, {"a": lima, "b": tacna})
    # Then the plan executor answered both, with the same bytes
    assert plans.runs == 2
    assert _wire(direct) == _wire(through)
    assert direct.data is not None and direct.data["a"] is None
    assert direct.data["b"]["number"] == tacna
    assert [(e.path, e.extensions["code"]) for e in direct.errors or ()] == [(["a"], "FORBIDDEN")]


async def test_an_installed_extension_puts_the_hubs_path_back_through_strawberry(
    hub_state: HubState, cases: list[Any], plans: CountingPlans
) -> None:
    # Given the contract with Strawberry's MaskErrors extension
    # When the hub's path runs a query refused at `case`
    result = await _run_operation(hub_state, (MaskErrors,), CASE, {"n": cases[0].number})
    # Then the plan executor answered and Strawberry's extension masked the error
    assert plans.runs == 1
    assert [(e.message, e.path) for e in result.errors or ()] == [("Unexpected error.", ["case"])]
