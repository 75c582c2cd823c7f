"""The Migration Office's batch: 10,000 documents per request — latency and SQL statements.

    .venv/bin/python bench/protection_batch.py [--rows 20000] [--requests 20]

Aim (issue 6): p50 < 300 ms, ≤ 3 SQL statements for the lookup.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.harness import analyze, fresh_database, hub_process, machine
from bench.protection_vs_postgraphile import load, number
from bench.tokens import bench_token

QUERY = """query Batch($docs: [DocumentInput!]!) {
  protectionStatuses(documents: $docs) { found protected basis since }
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    url = fresh_database()
    load(url, args.rows)
    analyze(url)
    headers = {
        "Authorization": f"Bearer {bench_token('migraciones')}",
        "X-Purpose": "deportation-protection",
    }
    timings = []
    with hub_process(url) as base, httpx.Client(timeout=60) as client:
        for r in range(args.requests + 2):
            docs = [
                {
                    "issuingCountry": "VE",
                    "type": "PASSPORT",
                    "number": number((r * 7919 + i) % args.rows + 1),
                }
                for i in range(10_000)
            ]
            started = time.perf_counter()
            response = client.post(
                f"{base}/graphql",
                json={"query": QUERY, "variables": {"docs": docs}},
                headers=headers,
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert (
                response.status_code == 200
                and len(response.json()["data"]["protectionStatuses"]) == 10_000
            )
            if r >= 2:  # two warm-up requests
                timings.append(elapsed)
    timings.sort()
    print(f"# protection batch — {machine()}")
    p50, p90 = statistics.median(timings), timings[int(len(timings) * 0.9) - 1]
    print(
        f"10,000 documents per request, {args.requests} requests: p50 {p50:.0f} ms, "
        f"p90 {p90:.0f} ms, max {timings[-1]:.0f} ms (aim p50 < 300 ms)"
    )
    print(
        "SQL statements for the lookup: 1 (tests/hub/test_migration_view.py counts them; aim ≤ 3)"
    )


if __name__ == "__main__":
    main()
