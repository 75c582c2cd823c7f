"""Imported first by the hub processes of ``bench/scale_out.py`` (``hub_process``'s
bootstrap): times each access-log batch, and with ``QHUB_BENCH_LOG_MODE=one-lock`` makes
the writer append as the hub did before issue 18's chains — every batch of every
instance under one advisory lock, the one chain's head read under it — so the two
designs are measured in the same run. Totals go to ``QHUB_BENCH_STATS_DIR/<pid>.json``
when the process exits."""

from __future__ import annotations

import atexit
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection

from auth import access_log_append
from auth.access_log import Entry
from auth.log_chains import Head, extend

LOCK_KEY = 7_311_017  # the advisory lock the hub took before chains
SHARED_OWNER = "one-lock"  # every instance appends to chain main under this owner
MODE = os.environ.get("QHUB_BENCH_LOG_MODE", "chains")
STATS = {"batches": 0, "entries": 0, "shared_held": 0.0, "own_held": 0.0}
_chains_extend = access_log_append.AccessLogWriter._extend


async def _timed(
    self: access_log_append.AccessLogWriter, conn: AsyncConnection[Any], entries: Sequence[Entry]
) -> None:
    started = time.perf_counter()
    try:
        await _chains_extend(self, conn, entries)
    finally:  # the statement holds the instance's own chain row, no one else's
        STATS["own_held"] += time.perf_counter() - started
        STATS["batches"] += 1
        STATS["entries"] += len(entries)


async def _one_lock(
    self: access_log_append.AccessLogWriter, conn: AsyncConnection[Any], entries: Sequence[Entry]
) -> None:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        held = time.perf_counter()
        # The head read under the lock (as before chains); the chain taken whatever its
        # lease, since the lock alone orders these appends.
        cursor = await conn.execute(
            "UPDATE access_chain SET lease_owner = %s WHERE chain_id = 'main'"
            " RETURNING entries, head_hash",
            (SHARED_OWNER,),
        )
        row = await cursor.fetchone()
        assert row is not None
        appended = await extend(conn, SHARED_OWNER, Head("main", row[0], bytes(row[1])), entries)
        assert appended is not None
    STATS["shared_held"] += time.perf_counter() - held  # until the commit released it
    STATS["batches"] += 1
    STATS["entries"] += len(entries)


def _write() -> None:
    folder = Path(os.environ["QHUB_BENCH_STATS_DIR"])
    (folder / f"{os.getpid()}.json").write_text(json.dumps(STATS))


access_log_append.AccessLogWriter._extend = _one_lock if MODE == "one-lock" else _timed  # type: ignore[method-assign]
atexit.register(_write)
