"""A breadth-first executor for query operations, compiled per (schema, document, operation).

Why: graphql-core's executor resolves one field of one object at a time, with a
future and a ``GraphQLResolveInfo`` for each; a list of 50 cases with their family
and needs is ~1,600 field resolutions and most of the request's time. This executor
compiles the operation once into a plan (fields, resolvers, serializers per
selection set) and then resolves each field *for every object of a level at once*:
one ``GraphQLResolveInfo`` per field per level, one ``gather`` per level (so the
DataLoaders still batch every relationship into one statement), plain attribute
reads for fields without a resolver.

It serves queries over object types with fragments and aliases. Anything else —
mutations, subscriptions, introspection, abstract types, ``@skip``/``@include``,
``@defer`` — is not compiled and graphql-core executes it. ``tests/hub/
test_executor.py`` checks that both executors give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.values import VariableValues, get_variable_values

from hub.plan_compiler import Compiler, OperationPlan, Unsupported
from hub.plan_runner import PlanRunner
from hub.variables import Coercer, compile_variables


@dataclass(frozen=True, slots=True)
class Compiled:
    """What one operation needs on every request: its plan, its variable coercer (None:
    graphql-core's), its fragments by name."""

    plan: OperationPlan
    coerce: Coercer | None
    fragments: dict[str, FragmentDefinitionNode]


class FastExecutor:
    """Compiles and caches plans; ``None`` from ``try_execute`` means: use graphql-core."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[int, int, str | None], Compiled | None] = {}

    def compiled_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Compiled | None:
        """The operation compiled once (None: the plan executor does not cover it)."""
        key = (id(schema), id(document), operation.name.value if operation.name else None)
        if key in self._compiled:
            return self._compiled[key]
        compiled: Compiled | None
        try:
            plan = Compiler(schema, document).compile(operation)
        except Unsupported:
            compiled = None
        else:
            compiled = Compiled(
                plan,
                compile_variables(schema, operation.variable_definitions or ()),
                {
                    d.name.value: d
                    for d in document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                },
            )
        if len(self._compiled) > 4096:
            self._compiled.clear()
        self._compiled[key] = compiled
        return compiled

    def plan_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> OperationPlan | None:
        compiled = self.compiled_for(schema, document, operation)
        return compiled.plan if compiled is not None else None

    async def try_execute(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        context: Any,
        variables: dict[str, Any] | None,
    ) -> ExecutionResult | None:
        compiled = self.compiled_for(schema, document, operation)
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
        return await PlanRunner(schema, compiled.plan, compiled.fragments, context, coerced).run()
