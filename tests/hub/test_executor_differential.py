"""The compiled plan executor answers exactly what graphql-core answers, for every role.

Hypothesis generates queries over each role's contract (mutations excluded); each runs
through the plan executor and through graphql-core, each with a fresh request context
of the same caller, and the answers must be the same JSON bytes: data with its key order
and scalar types, and every error with its message, path, locations and
``extensions.code`` (in any order: the spec leaves it open; see ``_wire``). The
access-log reads each recorded must be the same too. Queries the plan executor does not
compile are run by graphql-core in both cases and prove nothing: the test requires that
most of them do compile.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pytest
from graphql import ExecutionResult, execute, parse, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.errors import format_error
from hub.graphql.executor import FastExecutor
from hub.graphql.http import find_operation
from hub.routes_graphql import contract_for
from hub.state import HubState
from models.vocab import Agency, Purpose, Role
from resolvers.context import RequestContext
from tests.factories import make_cases, make_officer

EXAMPLES = int(os.environ.get("QHUB_DIFFERENTIAL_EXAMPLES", "200"))  # per role

SCALARS = {
    "Date": st.dates(date(1930, 1, 1), date(2030, 12, 31)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "DateTime": st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)).map(
        lambda d: nodes.String(d.replace(tzinfo=UTC).isoformat())
    ),
    "Decimal": st.integers(0, 1000).map(lambda n: nodes.String(str(n))),
}


# Publishing the first statistics release is a batch job (the open statistics' tests
# cover it); the federation fields are not in these (non-subgraph) contracts.
SKIPPED = frozenset({"statistics", "statisticsRelease", "_service", "_entities"})


def _principal(role: Role, world: dict[str, Any]) -> Principal:
    agency = {
        Role.MIGRACIONES: Agency.MIGRACIONES,
        Role.MINSA: Agency.MINSA,
        Role.ACNUR: Agency.ACNUR,
    }.get(role, Agency.CEPR)
    purpose = {
        Role.MIGRACIONES: Purpose.DEPORTATION_PROTECTION,
        Role.MINSA: Purpose.HEALTH_WORKFORCE,
        Role.ACNUR: Purpose.PROTECTION_ASSISTANCE,
    }.get(role, Purpose.CASE_MANAGEMENT if role.value.startswith("cepr") else None)
    return Principal(
        role=role,
        agency={Role.APPLICANT: Agency.APPLICANT, Role.PUBLIC: Agency.PUBLIC}.get(role, agency),
        subject=f"diff-{role.value}",
        office_code="LIM" if role.value.startswith("cepr") else None,
        officer_id=world["officer"] if role is Role.CEPR_ELIGIBILITY else None,
        person_id=world["applicant"] if role is Role.APPLICANT else None,
        purposes=frozenset({purpose}) if purpose else frozenset(),
        purpose=purpose,
    )


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine) -> dict[str, Any]:
    officer = await make_officer(engine, "cepr-eligibility", "LIM")
    await make_cases(engine, 4, office_code="LIM", family_size=2, assigned_officer_id=officer)
    await make_cases(engine, 3, office_code="TCQ", family_size=3, needs=("UM",))
    applicant = await make_cases(engine, 1, office_code="LIM", family_size=2)
    return {"officer": officer, "applicant": applicant[0].person_ids[0]}


def _located(data: Any, path: list[Any]) -> bool:
    """Whether the object holding the field at ``path`` is in the response (not nulled)."""
    node = data
    for key in path[:-1]:
        if node is None:
            return False
        node = node[key]
    return node is not None


def _wire(result: ExecutionResult) -> tuple[bytes, list[bytes], bool]:
    """The response's data as sent; each error as sent; whether any error lies inside an
    object that a non-null failure nulled.

    Errors are compared as a sorted list: the spec leaves their order open, and
    graphql-core's follows the order in which its awaitables finish. Inside an object
    that was nulled, which *sibling* errors get reported besides the cause depends on
    graphql-core's scheduling (a synchronous failure stops it before it awaits the
    others): there both must report at least one error, and the data must agree."""
    located: list[bytes] = []
    inside_nulled = False
    for error in result.errors or ():
        if error.path is None or _located(result.data, list(error.path)):
            located.append(orjson.dumps(format_error(error)))
        else:
            inside_nulled = True
    return orjson.dumps(result.data), sorted(located), inside_nulled


async def _run(state: HubState, principal: Principal, query: str, fast: bool) -> Any:
    schema = contract_for(principal.role).schema
    document = parse(query)
    operation = find_operation(document, None)
    assert operation is not None
    ctx = RequestContext(state, principal)
    try:
        if fast:
            compiled = FastExecutor()
            result = await compiled.try_execute(schema, document, operation, ctx, None)
            if result is None:
                return None, None
        else:
            outcome = execute(schema, document, context_value=ctx)
            result = outcome if isinstance(outcome, ExecutionResult) else await outcome
        return result, {k: sorted(v) for k, v in ctx.reads.items()}
    finally:
        await ctx.close()


COMPILED: dict[Role, list[int]] = {}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(data=st.data())
async def test_both_executors_give_the_same_bytes(
    hub_state: HubState, world: dict[str, Any], role: Role, data: Any
) -> None:
    principal = _principal(role, world)
    schema = contract_for(role).schema
    tally = COMPILED.setdefault(role, [0, 0])
    assert schema.query_type is not None
    fields = [f for f in schema.query_type.fields if f not in SKIPPED]
    query = data.draw(
        queries(schema, fields=fields, custom_scalars=SCALARS, allow_x00=False, codec="utf-8"),
        label="query",
    )
    assert isinstance(query, str)
    if validate(schema, parse(query)):
        return
    fast, fast_reads = await _run(hub_state, principal, query, fast=True)
    tally[1] += 1
    if fast is None:
        return
    tally[0] += 1
    slow, slow_reads = await _run(hub_state, principal, query, fast=False)
    assert _wire(fast) == _wire(slow), query
    if fast.data is not None:  # a null answer delivered nothing and logs no read
        assert fast_reads == slow_reads, query


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_most_generated_queries_compile(role: Role) -> None:
    # (after the test above: the plan executor must have run most of what it was given)
    compiled, tried = COMPILED.get(role, [0, 0])
    assert tried > 0
    assert compiled >= tried // 2, f"only {compiled} of {tried} queries compiled"
