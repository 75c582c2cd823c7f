"""Running one GraphQL operation and finishing its request (its transaction, its log
entries, its connection) as one unit of work: the stall watch (``hub.stall_watch``) may
answer the caller before the unit is done and leave it to finish in the background."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, ExecutionResult

from hub import availability, write_log
from hub.graphql.strawberry_hooks import planned_without_strawberry

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
    runner: Any, context: Any, params: GraphQLParams, document: DocumentNode | None = None
) -> ExecutionResult:
    """Strawberry runs the operation (its extensions included) on the caller's schema; the
    contracts' execution context puts queries on the plan executor
    (``hub.graphql.strawberry_hooks``). A query the plan covers, on a schema where
    Strawberry's per-request work would add nothing, runs on the plan directly."""
    if document is not None:
        planned = planned_without_strawberry(
            runner, document, context, params.variables, params.operation_name
        )
        if planned is not None:
            outcome = await planned.execute_operation()
            if outcome.errors:  # what Strawberry does with them (public hook)
                runner.process_errors(list(outcome.errors), None)
            return ExecutionResult(outcome.data, outcome.errors, outcome.extensions or None)
    result = await runner.execute(
        params.query,
        variable_values=params.variables,
        context_value=context,
        operation_name=params.operation_name,
        operation_extensions=params.extensions,
    )
    return ExecutionResult(result.data, result.errors, result.extensions or None)
