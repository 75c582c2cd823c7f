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


class FastExecutor:
    """Compiles and caches plans; ``None`` from ``try_execute`` means: use graphql-core."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, int, str | None], OperationPlan | None] = {}
        self._coercers: dict[tuple[int, int, str | None], Coercer | None] = {}

    def coercer_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Coercer | None:
        key = (id(schema), id(document), operation.name.value if operation.name else None)
        if key not in self._coercers:
            if len(self._coercers) > 4096:
                self._coercers.clear()
            self._coercers[key] = compile_variables(schema, operation.variable_definitions or ())
        return self._coercers[key]

    def plan_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> OperationPlan | None:
        key = (id(schema), id(document), operation.name.value if operation.name else None)
        if key in self._plans:
            return self._plans[key]
        try:
            plan: OperationPlan | None = Compiler(schema, document).compile(operation)
        except Unsupported:
            plan = None
        if len(self._plans) > 4096:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    async def try_execute(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        context: Any,
        variables: dict[str, Any] | None,
    ) -> ExecutionResult | None:
        plan = self.plan_for(schema, document, operation)
        if plan is None:
            return None
        coercer = self.coercer_for(schema, document, operation)
        fast = coercer(variables or {}) if coercer is not None else None
        coerced: VariableValues | list[GraphQLError] | None = fast
        if fast is None:  # not plainly valid: graphql-core coerces, and explains errors
            coerced = get_variable_values(
                schema, operation.variable_definitions or (), variables or {}
            )
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return await PlanRunner(schema, plan, fragments, context, coerced).run()
