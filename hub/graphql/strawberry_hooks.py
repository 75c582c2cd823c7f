"""Where the hub plugs into Strawberry, which runs every request.

* ``PlanExecutionContext`` is the contracts' ``execution_context_class`` (Strawberry's
  supported hook for graphql-core's executor class): a query the compiled plan executor
  covers runs on it (``hub.graphql.executor``), anything else on graphql-core, as
  Strawberry's default would. Extensions that wrap each resolver (Strawberry's
  ``resolve`` hook, e.g. Apollo tracing) need graphql-core's one-call-per-field
  execution: with one of them installed every operation runs on graphql-core.
* ``PreparedDocument`` is a schema extension (Strawberry's ``on_parse`` hook, as its own
  ``ParserCache`` uses it): Strawberry gets the document the hub has already parsed and
  validated (``hub.graphql.http`` does both before deciding status codes and prices);
  only the rules other extensions add (e.g. ``QueryDepthLimiter``) are checked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    MiddlewareManager,
    specified_rules,
    validate,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from auth.direct_resolvers import graphql_schema_of
from hub.graphql.document_cache import DocumentCache
from hub.graphql.executor import Compiled, FastExecutor
from hub.graphql.validation_rules import RULES, validate_document

CHECKED = frozenset(RULES)
SPECIFIED = len(specified_rules)
_SPECIFIED_RULES = tuple(specified_rules)


def plan_executor_of(context: Any) -> FastExecutor | None:
    """The plan executor of the hub serving this request (None: switched off,
    ``QHUB_EXECUTOR=graphql-core``)."""
    services = getattr(getattr(context, "state", None), "services", None)
    executor = services.get("executor") if isinstance(services, dict) else None
    return executor if isinstance(executor, FastExecutor) else None


class PlanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, except for queries the plan executor covers: for those
    ``build`` (graphql-core's documented constructor hook) returns the planned operation,
    whose ``execute_operation`` runs the plan — with variables coerced by the plan's
    compiled coercer, not value by value."""

    @classmethod
    def build(
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        raw_variable_values: dict[str, Any] | None = None,
        operation_name: str | None = None,
        field_resolver: Any = None,
        type_resolver: Any = None,
        subscribe_field_resolver: Any = None,
        max_coercion_errors: int = 50,
        enable_early_execution: bool = False,
        middleware: Any = None,
        is_awaitable: Any = None,
        is_async_iterable: Any = None,
        hide_suggestions: bool = False,
        abort_signal: Any = None,
        hooks: Any = None,
        **custom_args: Any,
    ) -> Any:
        planned = _planned(
            schema, document, root_value, context_value, raw_variable_values, operation_name
        )
        if planned is not None and abort_signal is None and not _wraps_resolvers(middleware):
            return planned
        return super().build(
            schema,
            document,
            root_value,
            context_value,
            raw_variable_values,
            operation_name,
            field_resolver,
            type_resolver,
            subscribe_field_resolver,
            max_coercion_errors,
            enable_early_execution,
            middleware,
            is_awaitable,
            is_async_iterable,
            hide_suggestions=hide_suggestions,
            abort_signal=abort_signal,
            hooks=hooks,
            **custom_args,
        )


def _wraps_resolvers(middleware: Any) -> bool:
    if isinstance(middleware, MiddlewareManager):
        return bool(middleware.middlewares)
    return bool(middleware)


@dataclass(frozen=True, slots=True)
class _PlannedOperation:
    """A query the plan executor runs (what ``PlanExecutionContext.build`` returns)."""

    plans: FastExecutor
    schema: GraphQLSchema
    compiled: Compiled
    context: Any
    variables: VariableValues

    def execute_operation(self, serially: bool | None = None) -> Awaitable[ExecutionResult]:
        return self.plans.run(self.schema, self.compiled, self.context, self.variables)


def _planned(
    schema: GraphQLSchema,
    document: DocumentNode,
    root_value: Any,
    context: Any,
    raw_variables: dict[str, Any] | None,
    operation_name: str | None,
) -> _PlannedOperation | None:
    """The operation, planned, if the plan executor covers it and its variables are plainly
    valid (anything else: graphql-core builds, and explains any error)."""
    plans = plan_executor_of(context)
    if plans is None or root_value is not None:
        return None
    compiled = plans.for_document(schema, document, operation_name)
    if compiled is None:
        return None
    variables: Any = None
    if compiled.coerce is not None:
        variables = compiled.coerce(raw_variables or {})
    if variables is None:  # types the coercer does not compile, or not plainly valid values
        definitions = compiled.plan.operation.variable_definitions or ()
        variables = get_variable_values(schema, definitions, raw_variables or {})
    if not isinstance(variables, VariableValues):
        return None  # graphql-core builds, and reports the errors its way
    return _PlannedOperation(plans, schema, compiled, context, variables)


def planned_without_strawberry(
    runner: Any,
    document: DocumentNode,
    context: Any,
    raw_variables: dict[str, Any] | None,
    operation_name: str | None,
) -> _PlannedOperation | None:
    """The planned operation, to run without Strawberry's per-request work, when that work
    would add nothing to it: the caller's schema has no extension but the hub's document
    handover and no operation directive (whose extension wraps resolvers), and the plan
    executor covers the query. Then Strawberry would only hand the hub's document to
    ``PlanExecutionContext.build`` and return its result: ~35 µs a request (23 % of a
    protection lookup, bench/RESULTS.md). Any other extension installed, and every request
    runs through Strawberry again."""
    if not _adds_nothing(runner):
        return None
    schema = graphql_schema_of(runner)
    return _planned(schema, document, None, context, raw_variables, operation_name)


def _adds_nothing(runner: Any) -> bool:
    """Whether Strawberry's execution of ``runner`` (a Strawberry schema: its public
    ``extensions``, ``directives`` and ``config``) adds nothing to a planned query."""
    return (
        all(
            isinstance(extension, type) and issubclass(extension, PreparedDocument)
            for extension in runner.extensions
        )
        and not runner.directives
        and not runner.config.enable_experimental_incremental_execution
    )


class PreparedDocument(SchemaExtension):
    """Hands Strawberry the hub's parsed and validated document (see the module)."""

    documents: DocumentCache

    def on_parse(self) -> Iterator[None]:
        self._prepare()
        yield

    def _prepare(self) -> None:
        # One hook for both steps (each hook costs a context manager per request): the
        # document, and its validation — Strawberry validates only when no errors are set.
        context = self.execution_context
        query = context.query
        if context.graphql_document is not None or query is None:
            return
        try:
            document = self.documents.parse(query)
        except GraphQLError:
            return  # Strawberry parses it again and reports the error its way
        schema = graphql_schema_of(context.schema)
        errors = self.documents.validate(schema, query, document, validate_document)
        rules = context.validation_rules
        # what other extensions added (``on_operation``) to Strawberry's default rules
        added = rules[SPECIFIED:] if rules[:SPECIFIED] == _SPECIFIED_RULES else rules
        extra = [rule for rule in added if rule not in CHECKED]
        if not errors and extra:  # rules other extensions added (``on_operation``)
            errors = validate(schema, document, extra)
        context.graphql_document = document
        context.pre_execution_errors = errors


def prepared_document(documents: DocumentCache) -> type[PreparedDocument]:
    """The extension class that reads ``documents`` (a fresh instance per request)."""
    return type("PreparedDocument", (PreparedDocument,), {"documents": documents})


__all__ = [
    "PlanExecutionContext",
    "PreparedDocument",
    "planned_without_strawberry",
    "prepared_document",
]
