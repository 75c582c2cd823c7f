"""``/healthz`` (the process is alive) and ``/readyz`` (what requests will meet now).

``/readyz`` asks the pool GraphQL uses (not another one), then the access log's own
pool: the database is reachable, migrations are current, it accepts writes (not a
standby, not ``default_transaction_read_only``), and a row can be written where the
log's writes are staged (in a transaction that is rolled back; a full disk or a
read-only server fails it). Every step is bounded by ``READY_TIMEOUT`` seconds, and the
whole check runs under the stall watch (``hub.stall_watch``, started here): a database
that stopped answering is reported as such within seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import psycopg.conninfo
import psycopg.errors
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub import stall_watch
from hub.availability import connection_options
from hub.connection_budget import pool_report
from hub.migrations import head_revision
from hub.readpool import libpq_url
from hub.state import HubState

READY_TIMEOUT = 2.0

_STATE_SQL = (
    "SELECT (SELECT version_num FROM alembic_version), pg_is_in_recovery(),"
    " current_setting('default_transaction_read_only')"
)
_PROBE_SQL = (
    "INSERT INTO write_change (request_key, table_name, operation, row_key)"
    " VALUES ('readyz', 'readyz', 'INSERT', '{}'::jsonb)"
)
# A row in an existing page needs no new space: a disk that is full passes the probe
# above until a table must grow. A new (temporary) table's first row always takes a new
# block in the database's tablespace, so a full disk fails it at once.
_SPACE_SQL = (
    "CREATE TEMP TABLE qhub_readyz_space (b bytea) ON COMMIT DROP",
    "INSERT INTO qhub_readyz_space VALUES ('\\x00')",
)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _unavailable(reason: str, **detail: Any) -> JSONResponse:
    return JSONResponse(
        {"status": "unavailable", "reason": reason, **detail},
        status_code=503,
        headers={"Retry-After": "5"},
    )


async def startup(state: HubState) -> None:
    options = connection_options()
    conninfo = psycopg.conninfo.make_conninfo(
        libpq_url(state.database_url), options=str(options["options"])
    )
    watch = stall_watch.StallWatch(conninfo)
    watch.start()
    state.services["stall_watch"] = watch


async def shutdown(state: HubState) -> None:
    watch = state.services.pop("stall_watch", None)
    if watch is not None:
        await watch.stop()


async def readyz(request: Request) -> JSONResponse:
    watch = stall_watch.of(request)
    if watch is None:
        return await _readiness(request)
    try:
        return await watch.run(_readiness(request))
    except stall_watch.DatabaseStalled:
        return _unavailable("database not responding")


async def _readiness(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            async with state.pool.connection(timeout=READY_TIMEOUT) as conn:
                row = await (await conn.execute(_STATE_SQL)).fetchone()
    except Exception as exc:  # any failure to reach the database means "not ready"
        return _unavailable("database unreachable", detail=type(exc).__name__)
    current, in_recovery, read_only = row if row is not None else (None, False, "off")
    head = head_revision(state.database_url)
    if current != head:
        return _unavailable("migrations pending", current=current, head=head)
    if in_recovery or read_only == "on":
        return _unavailable("database read-only", detail="standby" if in_recovery else "setting")
    log_pool = state.services.get("access_log_pool")
    if log_pool is not None:
        try:
            async with asyncio.timeout(READY_TIMEOUT):
                async with (
                    log_pool.connection(timeout=READY_TIMEOUT) as conn,
                    conn.transaction(force_rollback=True),
                ):
                    await conn.execute(_PROBE_SQL)
                    for sql in _SPACE_SQL:
                        await conn.execute(sql)
        except psycopg.errors.DiskFull as exc:
            return _unavailable("database disk full", detail=type(exc).__name__)
        except Exception as exc:
            return _unavailable("access log not writable", detail=type(exc).__name__)
    # each pool's size and use, and the process's connection budget (hub.connection_budget)
    return JSONResponse({"status": "ready", "revision": current, **pool_report(state)})


def routes() -> list[BaseRoute]:
    return [Route("/healthz", healthz), Route("/readyz", readyz)]
