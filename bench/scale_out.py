"""Issue 18: logged agency lookups with 1, 2 and 4 hub instances on one database, on the
same cores, in one run — the access log as chains (the hub) against one chain under one
advisory lock (the hub before, emulated by ``bench/scale_out_probe.py``).

    .venv/bin/python bench/scale_out.py [--seconds 3] [--clients 32] [--rounds 3]

For each point the clients are split evenly over the instances (keep-alive, one lookup
per request, every one logged). Printed per point: lookups answered per second; logged
reads per second (the requests the log's entries account for, read back from the
database); batches per second (one entry per batch: a batch's lookups merge); time held
under a lock another instance also takes, per logged request (measured in each hub
around its append); and time any hub connection spent waiting for a lock (PostgreSQL's
``pg_stat_activity`` sampled every 10 ms) per logged request. Ratios are against the
same variant with one instance; every point is the median of ``--rounds`` rounds, the
points alternating within each round (the machine's load drifts). Aim: no shared lock
on the read path; logged reads/s not lower with more instances.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.harness import analyze, fresh_database, graphql_body, http_load, hub_process, machine
from bench.protection_vs_postgraphile import load, number
from bench.tokens import bench_token
from hub.readpool import libpq_url

KEYS = ("answered", "logged", "batches", "shared_ms", "wait_ms")
QUERY = "query %s($d: DocumentInput!) { protectionStatus(document: $d) { protected } }"


class LockWaits:
    """Samples how many of the database's connections wait for a lock, every 10 ms."""

    def __init__(self, url: str) -> None:
        self.url, self.waiting_seconds = url, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWaits:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchone()
                self.waiting_seconds += (row[0] if row else 0) * 0.01
                time.sleep(0.01)


def logged(url: str, operation: str) -> tuple[int, int]:
    """(requests the entries of ``operation`` account for, entries)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(coalesce((changes->>'requests')::int, 1)), 0), count(*)"
            " FROM access_log WHERE operation = %s",
            (operation,),
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


async def drive(bases: list[str], operation: str, args: argparse.Namespace) -> tuple[int, float]:
    headers = {
        "Authorization": f"Bearer {bench_token('migraciones')}",
        "X-Purpose": "deportation-protection",
    }

    def body(i: int) -> bytes:
        document = {"type": "PASSPORT", "number": number(i % args.rows + 1), "issuingCountry": "VE"}
        return graphql_body(QUERY % operation, {"d": document})

    per = args.clients // len(bases)
    runs = await asyncio.gather(
        *(
            http_load(operation, base, body, headers, concurrency=per, seconds=args.seconds)
            for base in bases
        )
    )
    answered = sum(r.requests - r.errors for r in runs)
    return answered, max(r.seconds for r in runs)


def point(url: str, variant: str, instances: int, args: argparse.Namespace) -> dict[str, float]:
    operation = f"Escala{variant.replace('-', '')}{instances}x{time.monotonic_ns()}"
    with tempfile.TemporaryDirectory() as stats_dir, contextlib.ExitStack() as stack:
        env = {
            "QHUB_BENCH_LOG_MODE": variant,
            "QHUB_BENCH_STATS_DIR": stats_dir,
            "QHUB_CHECKPOINT_SECONDS": "0",
            # one-lock's chain (main) stays leased through the run: chains' hubs never take it
            "QHUB_LOG_CHAIN_LEASE_SECONDS": "86400" if variant == "one-lock" else "30",
        }
        bases = [
            stack.enter_context(hub_process(url, env, bootstrap="bench.scale_out_probe"))
            for _ in range(instances)
        ]
        with LockWaits(libpq_url(url)) as waits:
            answered, seconds = asyncio.run(drive(bases, operation, args))
        stack.close()  # the hubs exit and write their totals
        totals = [json.loads(p.read_text()) for p in Path(stats_dir).glob("*.json")]
    requests, entries = logged(libpq_url(url), operation)
    shared = sum(t["shared_held"] for t in totals)
    return {
        "answered": answered / seconds,
        "logged": requests / seconds,
        "batches": entries / seconds,
        "shared_ms": shared * 1000 / max(requests, 1),
        "wait_ms": waits.waiting_seconds * 1000 / max(requests, 1),
        "complete": requests / max(answered, 1),
        "hubs_reported": len(totals),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = fresh_database("qhub_scale_out")
    load(url, args.rows)
    analyze(url)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:  # chain main: one-lock's
        conn.execute(
            "UPDATE access_chain SET lease_owner = 'one-lock', lease_until = 'infinity'"
            " WHERE chain_id = 'main'"
        )
    print(machine())
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per point, one lookup per request;"
        f" medians of {args.rounds} rounds\n"
    )
    print(
        f"{'variant':<10} {'hubs':>4} {'lookups/s':>10} {'logged/s':>9} {'ratio':>6}"
        f" {'batches/s':>10} {'shared lock ms/req':>19} {'lock wait ms/req':>17}"
    )
    points = [(n, variant) for n in (1, 2, 4) for variant in ("one-lock", "chains")]
    runs: dict[tuple[int, str], list[dict[str, float]]] = {p: [] for p in points}
    for _ in range(args.rounds):  # interleaved: the machine's load drifts during a run
        for instances, variant in points:
            got = point(url, variant, instances, args)
            assert got["hubs_reported"] == instances, got
            assert got["complete"] == 1, f"not every answered read logged: {got}"
            runs[(instances, variant)].append(got)
    for variant in ("one-lock", "chains"):
        base = statistics.median(r["logged"] for r in runs[(1, variant)])
        for instances in (1, 2, 4):
            got = {k: statistics.median(r[k] for r in runs[(instances, variant)]) for k in KEYS}
            print(
                f"{variant:<10} {instances:>4} {got['answered']:>10.0f} {got['logged']:>9.0f}"
                f" {got['logged'] / base:>5.2f}x {got['batches']:>10.0f}"
                f" {got['shared_ms']:>19.3f} {got['wait_ms']:>17.3f}"
            )


if __name__ == "__main__":
    main()
