"""A breadth-first executor for query operations, compiled per (schema, document, operation).

Why: graphql-core's executor resolves one field of one object at a time, with a
future and a ``GraphQLResolveInfo`` for each; a list of 50 cases with their family
and needs is ~1,600 field resolutions and most of the request's time. This executor
compiles the operation once into a plan (fields, resolvers, serializers per
selection set) and then resolves each field *for every object of a level at once*:
one ``GraphQLResolveInfo`` per field per level, one ``gather`` per level (so the
DataLoaders still batch every relationship into one statement), plain attribute
reads for fields without a resolver.

It serves queries — object types, unions and interfaces (federation's ``_entities``
included), fragments and aliases. Anything else — mutations, subscriptions,
introspection, ``@skip``/``@include``, ``@defer`` — is not compiled and graphql-core
executes it. Strawberry runs the request either way: the plan executor is reached
through the contracts' execution context (``hub/graphql/strawberry_hooks.py``).
``tests/hub/test_executor.py`` and ``test_executor_differential.py`` check that both
executors give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.values import VariableValues, get_variable_values

from hub.graphql.plan_compiler import Compiler, OperationPlan, Unsupported
from hub.graphql.plan_runner import PlanRunner
from hub.graphql.variables import Coercer, compile_variables


@dataclass(frozen=True, slots=True)
class Compiled:
    """What one operation needs on every request: its plan, its variable coercer (None:
    graphql-core's), the document's fragments."""

    plan: OperationPlan
    coerce: Coercer | None
    fragments: dict[str, FragmentDefinitionNode]


# Plans kept per contract schema; a schema holds at most this many operations.
PLANS_PER_SCHEMA = 2048
_MISSING: Any = object()


class FastExecutor:
    """Compiles and caches plans; ``None`` from ``try_execute`` means: use graphql-core.

    Plans are keyed by the schema (a weak key: the entry goes with the schema) and by
    the operation's source text and name — what the plan is compiled from. A document
    node's address would be no key: once the node is freed another document can get it.
    """

    def __init__(self) -> None:
        self._compiled: WeakKeyDictionary[
            GraphQLSchema, LRUCache[tuple[str, str | None], Compiled | None]
        ] = WeakKeyDictionary()

    def compiled(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> Compiled | None:
        """The operation compiled once (None: the plan executor does not cover it)."""
        if operation.loc is None:  # parsed without its source: nothing to key a plan by
            return None
        plans = self._compiled.get(schema)
        if plans is None:
            plans = self._compiled[schema] = LRUCache(PLANS_PER_SCHEMA)
        key = (operation.loc.source.body, operation.name.value if operation.name else None)
        if key in plans:
            return plans[key]
        compiled: Compiled | None
        try:
            plan = Compiler(schema, fragments).compile(operation)
        except Unsupported:
            compiled = None
        else:
            compiled = Compiled(
                plan, compile_variables(schema, operation.variable_definitions or ()), fragments
            )
        plans[key] = compiled
        return compiled

    def for_document(
        self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
    ) -> Compiled | None:
        """The plan of the query ``operation_name`` selects in ``document`` (None: not one
        the plan executor covers), found by the document's text without looking into it."""
        if document.loc is None:
            return None
        plans = self._compiled.get(schema)
        if plans is not None:
            found = plans.get((document.loc.source.body, operation_name), _MISSING)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is not None:
            operations = [o for o in operations if o.name and o.name.value == operation_name]
        fragments = _fragments(document)
        if (
            len(operations) != 1
            or operations[0].operation is not OperationType.QUERY
            or any(f.variable_definitions for f in fragments.values())  # graphql-core's
        ):
            return None
        compiled = self.compiled(schema, operations[0], fragments)
        self._compiled[schema][(document.loc.source.body, operation_name)] = compiled
        return compiled

    def compiled_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Compiled | None:
        return self.compiled(schema, operation, _fragments(document))

    def plan_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> OperationPlan | None:
        compiled = self.compiled_for(schema, document, operation)
        return compiled.plan if compiled is not None else None

    @staticmethod
    async def run(
        schema: GraphQLSchema,
        compiled: Compiled,
        context: Any,
        variables: VariableValues,
    ) -> ExecutionResult:
        """Run a compiled operation with coerced variables."""
        return await PlanRunner(schema, compiled.plan, compiled.fragments, context, variables).run()

    async def try_execute(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        context: Any,
        variables: dict[str, Any] | None,
    ) -> ExecutionResult | None:
        """Run the operation on the plan executor alone (None: not covered), coercing the
        variables with the compiled coercer (tests compare it with graphql-core's)."""
        fragments = _fragments(document)
        compiled = self.compiled(schema, operation, fragments)
        if compiled is None:
            return None
        coerced: VariableValues | list[GraphQLError] | None = None
        if compiled.coerce is not None:
            coerced = compiled.coerce(variables or {})
        if coerced is None:  # not plainly valid: graphql-core coerces, and explains errors
            coerced = get_variable_values(
                schema, operation.variable_definitions or (), variables or {}
            )
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        return await self.run(schema, compiled, context, coerced)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
