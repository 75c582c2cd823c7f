"""Running one GraphQL operation and finishing its request (its transaction, its log
entries, its connection) as one unit of work: the stall watch (``hub.stall_watch``) may
answer the caller before the unit is done and leave it to finish in the background."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from graphql import ExecutionResult

from hub import availability, write_log

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


async def run_operation(runner: Any, context: Any, params: GraphQLParams) -> ExecutionResult:
    """Strawberry runs the operation (its extensions included) on the caller's schema; the
    contracts' execution context puts queries on the plan executor
    (``hub.graphql.strawberry_hooks``)."""
    result = await runner.execute(
        params.query,
        variable_values=params.variables,
        context_value=context,
        operation_name=params.operation_name,
        operation_extensions=params.extensions,
    )
    return ExecutionResult(result.data, result.errors, result.extensions or None)
