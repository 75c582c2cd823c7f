"""Which object type a value is, decided and refused exactly as graphql-core does: a
union's or interface's type resolver, and an object type's own test (``is_type_of``).
The plan executor (``hub/graphql/plan_runner.py``) asks here; the messages are
graphql-core's, so both executors answer the same bytes."""

from __future__ import annotations

import inspect as inspect_module
from typing import Any

from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema, default_type_resolver
from graphql.pyutils import inspect, is_awaitable

from hub.graphql.plan_compiler import FieldPlan, SelectionPlan


def discard(awaitable: Any) -> None:
    if inspect_module.iscoroutine(awaitable):
        awaitable.close()  # never awaited: no "was never awaited" warning


def runtime_plan(
    schema: GraphQLSchema, fp: FieldPlan, value: Any, info: Any
) -> tuple[str, SelectionPlan]:
    """The name and plan of the runtime object type of ``value``, a value of the union or
    interface field ``fp``; ``GraphQLError`` as graphql-core words it."""
    abstract = fp.abstract
    assert abstract is not None
    resolve_type = abstract.resolve_type or default_type_resolver
    name = resolve_type(value, info, abstract)
    if is_awaitable(name):
        # no resolver of the hub decides a type asynchronously
        discard(name)
        name = None
    where = f"for field '{fp.parent_name}.{fp.name}'"
    if name is None:
        raise GraphQLError(
            f"Abstract type '{abstract}' must resolve to an Object type at runtime {where}."
            f" Either the '{abstract}' type should provide a 'resolve_type' function"
            " or each possible type should provide an 'is_type_of' function."
        )
    if not isinstance(name, str):
        raise GraphQLError(
            f"Abstract type '{abstract}' must resolve to an Object type at runtime {where}"
            f" with value {inspect(value)}, received '{inspect(name)}',"
            " which is not a valid Object type name."
        )
    runtime = schema.get_type(name)
    if runtime is None:
        raise GraphQLError(
            f"Abstract type '{abstract}' was resolved to a type '{name}'"
            " that does not exist inside the schema."
        )
    if not isinstance(runtime, GraphQLObjectType):
        raise GraphQLError(
            f"Abstract type '{abstract}' was resolved to a non-object type '{name}'."
        )
    plan = fp.possible.get(name)
    if plan is None:
        raise GraphQLError(
            f"Runtime Object type '{runtime}' is not a possible type for '{abstract}'."
        )
    return name, plan


def refuse_type(object_type: GraphQLObjectType, value: Any, verdict: Any) -> None:
    """``is_type_of`` answered other than True: graphql-core's error, unless it answered
    yes in another truthy way (an awaitable answer counts as no)."""
    if is_awaitable(verdict):
        discard(verdict)
        verdict = False
    if not verdict:
        raise GraphQLError(f"Expected value of type '{object_type}' but got: {inspect(value)}.")
