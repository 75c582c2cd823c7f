"""A write and its log entry commit together, or neither does.

A mutation's request runs in one transaction on its connection (``begin``, before the
first resolver runs: every service's own ``conn.transaction()`` becomes a savepoint in
it). When the request is done, ``commit_with_entry`` appends its write entry to the
hash-chained log on that same connection (the row changes the triggers staged for the
request move into the entry) and commits once. If the hub dies before that commit,
PostgreSQL rolls everything back: no acknowledged write without its entry, no entry
for a write that did not happen. If the append fails, the writes are rolled back and
the caller gets a 503.

Writes that do not run on the request's connection (the import adjudication mutations,
on the SQLAlchemy engine) do the same in their own transaction (``engine_write``): the
entry of that mutation is appended in it, with the rows it changed, before it commits;
the request's own entry then leaves them out (``RequestContext.logged_fields``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus

from auth.access_log import Entry, entry_for
from auth.access_log_append import append

T = TypeVar("T")

SECRET_KEYS = frozenset({"password", "template", "photo", "activationcode", "pin", "secret"})


def redact(value: Any) -> Any:
    """Arguments as logged: no secrets, no biometric templates, no bulky values, no NUL
    (PostgreSQL's jsonb cannot hold one: the entry, and so the write, would fail)."""
    if isinstance(value, dict):
        return {
            _text(k): "[omitido]" if k.lower().replace("_", "") in SECRET_KEYS else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value[:50]] + (["…"] if len(value) > 50 else [])
    if isinstance(value, str):
        if len(value) > 64:
            # variables are named by the client, so a template may hide under any name
            return f"[omitido: {len(value)} caracteres]"
        return _text(value)
    return value


def _text(value: str) -> str:
    return value.replace("\x00", "\ufffd")


# Mutations whose arguments are claim data (rule 10: interview and assessment content, a
# decision's reasons, an appeal's grounds, notes). Their tables hold them sealed; the log,
# which supervisors and the Secretary read and backups copy, must not hold them in clear.
_CLAIM_CATEGORIES = frozenset({"claim", "status.decision"})


def _claim_free(value: Any) -> Any:
    """``value`` with every text replaced by its length (numbers, enums kept as sent)."""
    if isinstance(value, dict):
        return {_text(k): _claim_free(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_claim_free(v) for v in value[:50]] + (["…"] if len(value) > 50 else [])
    if isinstance(value, str):
        return f"[omitido: dato de la solicitud, {len(value)} caracteres]"
    return value


def logged_arguments(categories: set[str], variables: Any) -> Any:
    """A mutation request's variables as its log entry keeps them."""
    if any(c.split(".")[0] == "claim" or c in _CLAIM_CATEGORIES for c in categories):
        return _claim_free(variables)
    return redact(variables)


def write_entry(ctx: Any, result: Any) -> Entry:
    """The log entry of a mutation request (``ctx``: the request context)."""
    from auth.policy import field_category

    categories = {field_category("Mutation", f) or "unknown" for f in ctx.mutation_fields}
    return entry_for(
        ctx.principal,
        "write",
        [],
        categories,
        operation=ctx.operation_name or ",".join(ctx.mutation_fields),
        changes={
            "mutations": ctx.mutation_fields,
            "arguments": logged_arguments(categories, ctx.mutation_variables),
            "succeeded": not result.errors,
        },
        request_key=ctx.write_key,
    )


async def begin(conn: AsyncConnection[Any]) -> None:
    """Open the request's transaction (the pool's connections are in autocommit)."""
    if conn.info.transaction_status is TransactionStatus.IDLE:
        await conn.execute("BEGIN")


async def settle(conn: AsyncConnection[Any], entry: Entry | None, answered: bool) -> bool:
    """End the request's transaction: commit it with ``entry`` appended (``entry`` None:
    no log is installed), or roll it back when the request was not ``answered`` (it
    failed or ran out of time: nothing is acknowledged, nothing stays). True when the
    entry is settled here; False when there was no open transaction (or it had failed:
    rolled back, nothing written), so the caller logs the entry the ordinary way.
    Raises, after rolling back, when the entry could not be appended or not committed."""
    status = conn.info.transaction_status
    if status is TransactionStatus.INERROR or (
        status is TransactionStatus.INTRANS and not answered
    ):
        with contextlib.suppress(psycopg.Error):  # a broken connection committed nothing
            await conn.execute("ROLLBACK")
        return not answered
    if status is not TransactionStatus.INTRANS:
        return False
    try:
        if entry is not None:
            await append(conn, [entry])
        await conn.execute("COMMIT")
    except BaseException:
        if not conn.closed and conn.info.transaction_status is not TransactionStatus.IDLE:
            with contextlib.suppress(Exception):
                await conn.execute("ROLLBACK")
        raise
    return True


async def engine_write(ctx: Any, field: str, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run the service ``fn(conn, *args)`` for the mutation ``field`` in a transaction of
    the SQLAlchemy engine and commit it together with its log entry (no log installed:
    without one). Nothing commits when ``fn`` or the append fails."""
    from auth.policy import field_category

    logged = ctx.state.services.get("record_write") is not None
    key = uuid.uuid4().hex
    async with ctx.state.engine.begin() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        if logged:
            # the triggers stage this transaction's row changes under its own key
            await raw.execute("SELECT set_config('qhub.request', %s, true)", (key,))
        value = await fn(conn, *args)
        if logged:
            categories = {field_category("Mutation", field) or "unknown"}
            entry = entry_for(
                ctx.principal,
                "write",
                [],
                categories,
                operation=ctx.operation_name or field,
                changes={
                    "mutations": [field],
                    "arguments": logged_arguments(categories, ctx.mutation_variables),
                    "succeeded": True,
                },
                request_key=key,
            )
            await append(raw, [entry])
            ctx.logged_fields.add(field)
    return value
