"""Honest failure: when the database cannot serve, the caller is told so (HTTP 503, a
stable code, ``Retry-After``), never a 200 whose data reads as an answer.

The limits that keep requests from hanging (all environment knobs, ``QHUB_`` prefix):

- ``DB_CONNECT_TIMEOUT`` (s, 2): libpq's ``connect_timeout`` for every new connection;
- ``DB_WAIT`` (s, 10): how long a request waits for a pooled connection while the
  database is up (a burst queues); once a connection attempt has failed, waits end
  within a second (``hub.guarded_pool``);
- ``DB_RECONNECT`` (s, 2): how long the pool keeps retrying one failed connection before
  giving the attempt up; the next request starts a fresh attempt at once, so the pool's
  back-off never grows past this and the hub answers within ~2 s of the database's return;
- ``STATEMENT_TIMEOUT_MS`` (20000): PostgreSQL's ``statement_timeout`` on every connection
  of the hub's pools and engine;
- ``LOCK_TIMEOUT_MS`` (2000): PostgreSQL's ``lock_timeout`` on the same connections: no
  request waits longer than this for a lock (a row), so an instance that is stuck while
  holding one cannot stall the others beyond it; the waiter is answered 503
  (``DATABASE_BUSY``). The access log takes no lock another instance takes, and skips its
  own chain's row when another transaction holds it (``auth.log_chains``);
- ``IDLE_IN_TRANSACTION_TIMEOUT_MS`` (10000): PostgreSQL's
  ``idle_in_transaction_session_timeout``: a connection that sits in an open transaction
  doing nothing for this long (its process frozen, cut off) is closed by the server,
  which releases its locks;
- ``REQUEST_DEADLINE`` (s, 30): the whole execution of a GraphQL request;
- ``DB_START_WAIT`` (s, 120): how long the hub waits, retrying, for a database that is
  not up when it starts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import psycopg
import sqlalchemy.exc
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

from hub.errors import RequestError
from hub.settings import _env_int

RETRY_AFTER = _env_int("RETRY_AFTER", 5)
CONNECT_TIMEOUT = _env_int("DB_CONNECT_TIMEOUT", 2)
POOL_WAIT = _env_int("DB_WAIT", 10)
RECONNECT = _env_int("DB_RECONNECT", 2)
STATEMENT_TIMEOUT_MS = _env_int("STATEMENT_TIMEOUT_MS", 20_000)
LOCK_TIMEOUT_MS = _env_int("LOCK_TIMEOUT_MS", 2_000)
IDLE_IN_TRANSACTION_MS = _env_int("IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000)
REQUEST_DEADLINE = _env_int("REQUEST_DEADLINE", 30)
START_WAIT = _env_int("DB_START_WAIT", 120)

log = logging.getLogger("qhub.availability")


def connection_options(bounded_waits: bool = True) -> dict[str, object]:
    """libpq keyword arguments for every connection the hub opens while serving; without
    ``bounded_waits`` (long batch commands such as an import) no lock or idle bound."""
    options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    if bounded_waits:
        options += (
            f" -c lock_timeout={LOCK_TIMEOUT_MS}"
            f" -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        )
    return {"connect_timeout": CONNECT_TIMEOUT, "options": options}


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and len(seen) < 20:
        seen.add(id(current))  # id-ok: every exception of the chain is alive while walked
        yield current
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.orig is not None:
            yield current.orig
        nxt = current.__cause__ or current.__context__
        current = nxt if nxt is not None and id(nxt) not in seen else None  # id-ok: as above


def database_refusal(exc: BaseException | None) -> RequestError | None:
    """The 503 for an error that says the database cannot serve now, else None."""
    if exc is None:
        return None
    retry = {"Retry-After": str(RETRY_AFTER)}
    for cause in _causes(exc):
        if isinstance(cause, pg_errors.LockNotAvailable):
            return RequestError(
                503,
                f"Un dato está bloqueado por otra operación desde hace más de "
                f"{LOCK_TIMEOUT_MS / 1000:g} s; la solicitud no se atendió. Intente de nuevo.",
                "DATABASE_BUSY",
                retry,
            )
        if isinstance(cause, pg_errors.QueryCanceled):
            return RequestError(
                503,
                "La consulta superó el tiempo máximo en la base de datos; intente de nuevo.",
                "DEADLINE_EXCEEDED",
                retry,
            )
        if isinstance(cause, pg_errors.ReadOnlySqlTransaction):
            return RequestError(
                503,
                "La base de datos solo admite lecturas en este momento; intente más tarde.",
                "DATABASE_READ_ONLY",
                retry,
            )
        if isinstance(
            cause,
            PoolTimeout
            | psycopg.OperationalError
            | psycopg.InterfaceError
            | pg_errors.IdleInTransactionSessionTimeout,
        ):
            return RequestError(
                503,
                "La base de datos no está disponible; la solicitud no se atendió. "
                "Intente de nuevo en unos segundos.",
                "DATABASE_UNAVAILABLE",
                retry,
            )
        if isinstance(cause, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
            return RequestError(
                503,
                "La base de datos no está disponible; la solicitud no se atendió. "
                "Intente de nuevo en unos segundos.",
                "DATABASE_UNAVAILABLE",
                retry,
            )
    return None


def refusal_in(errors: Iterable[object] | None) -> RequestError | None:
    """The first database refusal among a result's errors (their original errors)."""
    for error in errors or ():
        refusal = database_refusal(getattr(error, "original_error", None))
        if refusal is not None:
            return refusal
    return None


def deadline_exceeded() -> RequestError:
    return RequestError(
        503,
        f"La solicitud superó el tiempo máximo ({REQUEST_DEADLINE} s); no se completó.",
        "DEADLINE_EXCEEDED",
        {"Retry-After": str(RETRY_AFTER)},
    )


def deadline() -> asyncio.Timeout:
    return asyncio.timeout(REQUEST_DEADLINE)
