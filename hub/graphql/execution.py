"""Running one GraphQL operation and finishing its request (its transaction, its log
entries, its connection) as one unit of work: the stall watch (``hub.stall_watch``) may
answer the caller before the unit is done and leave it to finish in the background."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
)
from graphql.pyutils import is_awaitable

from hub import availability, write_log
from hub.graphql.executor import FastExecutor

if TYPE_CHECKING:
    from hub.graphql.http import Finish, GraphQLParams


class Unfinished(Exception):
    """``finish`` failed (the access log could not take the request): its error goes to
    the caller of ``hub.graphql.http.handle`` as it is, not mapped as the operation's."""


async def execute_and_finish(
    context: Any,
    run: Callable[[], Awaitable[ExecutionResult]],
    refused: ExecutionResult | None,
    finish: Finish,
) -> ExecutionResult:
    """The operation's result (``run()``, or ``refused`` when it was refused before it
    ran), after ``finish`` ran on it; ``Unfinished`` when ``finish`` failed."""
    outcome: ExecutionResult | None = None
    try:
        if refused is not None:
            outcome = refused
        else:
            if getattr(context, "mutation_fields", None) and hasattr(context, "run"):
                # One transaction for the writes and their log entry (hub.write_log).
                await context.run(write_log.begin)
            async with availability.deadline():
                outcome = await run()
        return outcome
    finally:
        try:
            await finish(context, outcome)
        except Exception as exc:
            raise Unfinished from exc


async def run_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    context: Any,
    params: GraphQLParams,
    executor: FastExecutor | None,
) -> ExecutionResult:
    """Execute with the compiled plan executor when it covers the operation, else
    graphql-core (always graphql-core when ``executor`` is None)."""
    if executor is not None:
        result = await executor.try_execute(schema, document, operation, context, params.variables)
        if result is not None:
            return result
    outcome = execute(
        schema,
        document,
        context_value=context,
        variable_values=params.variables,
        operation_name=params.operation_name,
    )
    if is_awaitable(outcome):
        return await outcome  # type: ignore[no-any-return]
    return outcome  # type: ignore[return-value]
