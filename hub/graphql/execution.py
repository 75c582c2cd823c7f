"""Where the hub plugs into Strawberry, which runs every request.

* ``PlanExecutionContext`` is the contracts' ``execution_context_class`` (Strawberry's
  supported hook for graphql-core's executor class): a query the compiled plan executor
  covers runs on it (``hub.graphql.executor``), anything else on graphql-core, as
  Strawberry's default would. Extensions that wrap each resolver (Strawberry's
  ``resolve`` hook, e.g. Apollo tracing) need graphql-core's one-call-per-field
  execution: with one of them installed every operation runs on graphql-core.
* ``PreparedDocument`` is a schema extension (Strawberry's ``on_parse`` /
  ``on_validate`` hooks, as its own ``ParserCache`` and ``ValidationCache`` use them):
  Strawberry gets the document the hub has already parsed and validated
  (``hub.graphql.http`` does both before deciding status codes and prices), and only
  the rules other extensions add (e.g. ``QueryDepthLimiter``) are checked again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationType, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from auth.direct_resolvers import graphql_schema_of
from hub.graphql.document_cache import DocumentCache
from hub.graphql.executor import FastExecutor
from hub.graphql.validation_rules import RULES, validate_document


def plan_executor_of(context: Any) -> FastExecutor | None:
    """The plan executor of the hub serving this request (None: switched off,
    ``QHUB_EXECUTOR=graphql-core``)."""
    services = getattr(getattr(context, "state", None), "services", None)
    executor = services.get("executor") if isinstance(services, dict) else None
    return executor if isinstance(executor, FastExecutor) else None


class PlanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with queries the plan executor covers run on it."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        plans = plan_executor_of(self.context_value)
        if (
            plans is None
            or serially
            or self.operation.operation is not OperationType.QUERY
            or self.root_value is not None
            or (self.middleware_manager is not None and self.middleware_manager.middlewares)
        ):
            return super().execute_operation(serially)
        compiled = plans.compiled(self.schema, self.operation, self.fragment_definitions)
        if compiled is None:
            return super().execute_operation(serially)
        return plans.run(
            self.schema,
            compiled,
            self.context_value,
            self.variable_values,
            self.fragment_definitions,
        )


class PreparedDocument(SchemaExtension):
    """Hands Strawberry the hub's parsed and validated document (see the module)."""

    documents: DocumentCache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query is not None:
            # a text that does not parse: Strawberry parses it again and reports it its way
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.documents.parse(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.query is not None:
            schema = graphql_schema_of(context.schema)
            errors = self.documents.validate(schema, context.query, document, validate_document)
            extra = [rule for rule in context.validation_rules if rule not in RULES]
            if not errors and extra:
                errors = validate(schema, document, extra)
            context.pre_execution_errors = errors
        yield


def prepared_document(documents: DocumentCache) -> type[PreparedDocument]:
    """The extension class that reads ``documents`` (a fresh instance per request)."""
    return type("PreparedDocument", (PreparedDocument,), {"documents": documents})


__all__ = ["PlanExecutionContext", "PreparedDocument", "prepared_document"]
