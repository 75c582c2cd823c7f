"""Protection lookups at the service level (no HTTP, no GraphQL): what the service adds
over raw psycopg running the same SQL, and the 10,000-document batch.

    .venv/bin/python bench/protection.py [--rows 100000] [--seconds 5] [--requests 20]

Prints: single lookups/s through ``services.protection.protection_by_documents`` and
through psycopg executing the service's own statement (ratio, aim ≥ 0.5), and the batch
p50 with its SQL statement count (aim p50 < 300 ms, ≤ 3 statements). The HTTP-level
comparisons (hub vs PostGraphile vs psycopg) are ``bench/protection_vs_postgraphile.py``
and ``bench/protection_batch.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.harness import fresh_database, machine
from bench.protection_vs_postgraphile import libpq_url, load, number
from services import protection as svc


class Counting:
    """Counts the statements the service sends."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.conn, self.statements = conn, 0

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return await self.conn.execute(*args, **kwargs)


async def singles(conn: Any, rows: int, seconds: float, raw: bool) -> float:
    done, i = 0, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        i += 1
        doc = number(i * 7919 % rows + 1)
        if raw:
            cursor = await conn.execute(
                svc._BY_DOCUMENTS,
                {"types": ["passport"], "numbers": [doc], "countries": ["VE"]},
                binary=True,
            )
            await cursor.fetchall()
        else:
            await svc.protection_by_documents(conn, [svc.DocumentKey("passport", doc, "VE")])
        done += 1
    return done / seconds


async def main_async(url: str, rows: int, seconds: float, requests: int) -> None:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        await singles(conn, rows, 1, raw=False)  # warm-up
        raw = await singles(conn, rows, seconds, raw=True)
        service = await singles(conn, rows, seconds, raw=False)
        timings, statements = [], []
        for r in range(requests + 2):
            docs = [
                svc.DocumentKey("passport", number((r * 7919 + i) % rows + 1), "VE")
                for i in range(10_000)
            ]
            counting = Counting(conn)
            started = time.perf_counter()
            records = await svc.protection_by_documents(counting, docs)  # type: ignore[arg-type]
            elapsed = (time.perf_counter() - started) * 1000
            assert len(records) == 10_000 and all(rec.found for rec in records)
            if r >= 2:
                timings.append(elapsed)
                statements.append(counting.statements)
    print(f"# protection, service level — {machine()}, {rows:,} persons")
    print(f"single lookups, one connection, sequential: psycopg same SQL {raw:8.0f}/s")
    print(
        f"single lookups, one connection, sequential: service         {service:8.0f}/s"
        f"   ratio {service / raw:.2f} (aim ≥ 0.5)"
    )
    timings.sort()
    print(
        f"batch of 10,000 documents, {requests} runs: p50 {statistics.median(timings):.0f} ms,"
        f" max {timings[-1]:.0f} ms, SQL statements {max(statements)} (aim p50 < 300 ms, ≤ 3)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    url = fresh_database("qhub_bench_protection")
    load(url, args.rows)
    asyncio.run(main_async(url, args.rows, args.seconds, args.requests))


if __name__ == "__main__":
    main()
