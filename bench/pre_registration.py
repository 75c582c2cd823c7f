"""A burst of 500 simultaneous online pre-registrations (100 of them retries) at one hub.

    .venv/bin/python bench/pre_registration.py [--burst 500]

Prints throughput and latency percentiles of the burst over HTTP (one uvicorn worker,
embedded PostgreSQL), next to the same inserts done by psycopg alone in the same run.
Aim (issue 4): ≥ 300 pre-registrations/s.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bench.harness import fresh_database, hub_process, machine

MUTATION = (
    """mutation($input: PreRegistrationInput!) { preRegister(input: $input) { caseNumber } }"""
)


def submission(i: int, base: int = 30_000_000) -> dict[str, object]:
    return {
        "idempotencyKey": uuid.uuid4().hex,
        "officeCode": "LIM",
        "applicant": {
            "givenNames": "Ana Lucía",
            "paternalSurname": "Rondón",
            "sex": "FEMALE",
            "birthDate": "1991-04-12",
            "nationality": "Venezuela",
            "document": {
                "type": "NATIONAL_ID",
                "number": str(base + i),
                "issuingCountry": "VE",
            },
        },
        "dependants": [
            {
                "givenNames": "Sofía",
                "paternalSurname": "Rondón",
                "sex": "FEMALE",
                "birthDate": "2015-08-01",
                "nationality": "VE",
                "relationship": "CHILD",
            }
        ],
        "phone": "987654321",
    }


async def burst(base: str, count: int, first_document: int) -> tuple[float, list[float], int]:
    distinct = [submission(i, first_document) for i in range(count - count // 5)]
    payloads = distinct + distinct[: count // 5]
    latencies: list[float] = []
    errors = 0
    # aiohttp: httpx's connection pool, not the hub, limited a 500-task burst
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(base_url=base, connector=connector) as client:

        async def send(payload: dict[str, object]) -> None:
            nonlocal errors
            started = time.perf_counter()
            async with client.post(
                "/graphql", json={"query": MUTATION, "variables": {"input": payload}}
            ) as response:
                body = await response.text()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or '"errors"' in body:
                errors += 1
                if errors <= 3:
                    print("error:", response.status, body[:300])

        started = time.perf_counter()
        await asyncio.gather(*(send(p) for p in payloads))
        elapsed = time.perf_counter() - started
    return elapsed, sorted(latencies), errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args()
    url = fresh_database()
    with hub_process(url, {"QHUB_PRE_REGISTRATION_RATE_PER_MINUTE": "1000000"}) as base:
        # warm up (one submission), then the burst
        asyncio.run(burst(base, 5, 20_000_000))
        elapsed, latencies, errors = asyncio.run(burst(base, args.burst, 30_000_000))
    pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]  # noqa: E731
    print(f"# pre-registration burst — {machine()}")
    print(
        f"{args.burst} simultaneous submissions ({args.burst // 5} retries): "
        f"{args.burst / elapsed:.0f}/s over {elapsed:.2f} s; p50 {pct(50):.0f} ms, "
        f"p99 {pct(99):.0f} ms; errors {errors} (aim ≥ 300/s)"
    )


if __name__ == "__main__":
    _ = dataclasses, os
    main()
