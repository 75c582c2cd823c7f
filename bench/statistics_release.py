"""Release build time of the open statistics for 50,000 and 500,000 generated persons.

Prints, for each size, the build of a release with each method: differential privacy
(the method of new releases: counting every table with PostgreSQL GROUPING SETS after the
noisy choice of nationalities and years, OpenDP's Gaussian noise on every cell, least
squares and integer consistency, the accuracy of each table) and audited suppression
(counting, then primary, lines, the interval attack with HiGHS, LP then integer program,
until every hidden cell holds the protection interval); the ratio of 500,000 to 50,000 says
how each grows. Each size gets its own database on the bench's embedded PostgreSQL.

    .venv/bin/python -m bench.statistics_release [50000 500000]
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

from hub.embedded import sqlalchemy_url, start_embedded
from hub.readpool import libpq_url
from services.statistics.counting import count_release
from services.statistics.grid import release_tables
from services.statistics.release import DIFFERENTIAL_PRIVACY, build, protection_interval
from services.statistics.suppression import protect_release
from services.statistics.synthetic import generate_population
from tests.conftest import create_database, drop_database

REFERENCE = date(2026, 9, 30)
THRESHOLD = 10


async def measure(url: str, persons: int) -> dict[str, float]:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        await generate_population(conn, persons)
        started = time.perf_counter()
        async with conn.transaction():
            counted = await count_release(conn, REFERENCE, THRESHOLD, release_tables())
        counting = time.perf_counter() - started
        protection = protect_release(
            counted.grid, counted.counts, THRESHOLD, protection_interval(THRESHOLD)
        )
        total = time.perf_counter() - started
        _, _, audit, dp_seconds = await build(conn, REFERENCE, THRESHOLD, DIFFERENTIAL_PRIVACY)
    return {
        "dp_s": dp_seconds,
        "dp_cells": audit["cells"],
        "mip_solves": protection.mip_solves,
        "integer_failures": protection.integer_failures,
        "persons": counted.persons,
        "cells": counted.grid.size,
        "hidden": sum(protection.hidden),
        "primary": protection.primary,
        "lp_solves": protection.lp_solves,
        "largest_block": protection.largest_block,
        "count_s": counting,
        "protect_s": total - counting,
        "build_s": total,
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [50_000, 500_000]
    server = start_embedded(Path("var/bench-pg"))
    admin = sqlalchemy_url(server, "postgres")
    results = {}
    for persons in sizes:
        url = create_database(admin, "qhub_bench_stats")
        try:
            results[persons] = asyncio.run(measure(url, persons))
        finally:
            drop_database(admin, url)
        r = results[persons]
        print(
            f"{persons:>9,} persons: differential privacy build {r['dp_s']:.1f} s"
            f" ({r['dp_cells']:.0f} cells, none hidden); audited suppression build"
            f" {r['build_s']:.1f} s (count {r['count_s']:.1f} s, suppression and audit"
            f" {r['protect_s']:.1f} s): {r['cells']:.0f} cells, {r['hidden']:.0f} hidden"
            f" ({r['primary']:.0f} small), {r['lp_solves']:.0f} LPs,"
            f" {r['mip_solves']:.0f} MIPs ({r['integer_failures']:.0f} cells the LP passed"
            f" and the MIP did not), largest block {r['largest_block']:.0f}",
            flush=True,
        )
    if len(sizes) > 1:
        a, b = results[sizes[0]], results[sizes[-1]]
        print(
            f"ratio {sizes[-1]:,}/{sizes[0]:,}: differential privacy x{b['dp_s'] / a['dp_s']:.1f},"
            f" audited suppression x{b['build_s'] / a['build_s']:.1f}"
            f" for x{sizes[-1] / sizes[0]:.0f} persons"
        )


if __name__ == "__main__":
    main()
