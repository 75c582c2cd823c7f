"""Fault benchmark: how the hub answers while its database is stopped, and how soon it
answers again after the database returns.

A hub in its own process serves a supervisor's case-list query to one client that asks
every 20 ms (each request with a 35 s client timeout). PostgreSQL (its own embedded
server under var/bench-faults) is stopped for each outage length, then started, then
restarted once the routine way (``pg_ctl restart -m fast``), and frozen (every server
process stopped with SIGSTOP, then SIGCONT) for the first outage length. Printed per
scenario:

- first refusal: seconds from the stop to the first 503 answer;
- slowest answer during the outage, and how the answers were coded;
- recovery: seconds from the moment the database accepts connections again (``pg_ctl
  start -w`` returned, or SIGCONT sent) to the first 200 answer; the issue's bar is 2 s;
- failures after recovery (requests not answered 200 once one was).

Run: ``.venv/bin/python bench/fault.py [outage seconds ...]`` (default 10 40).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import hub_process  # noqa: E402
from bench.tokens import bench_token  # noqa: E402

QUERY = "{ cases(first: 5) { edges { node { number status } } } }"


@dataclass
class Probe:
    """One client asking every 20 ms; every answer kept with its time."""

    url: str
    headers: dict[str, str]
    answers: list[tuple[float, float, int, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(timeout=35) as client:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    response = client.post(
                        f"{self.url}/graphql", json={"query": QUERY}, headers=self.headers
                    )
                    status = response.status_code
                    body = response.json()
                    code = body["errors"][0]["extensions"]["code"] if "errors" in body else "OK"
                except (httpx.HTTPError, ValueError) as exc:
                    status, code = 0, type(exc).__name__
                self.answers.append((started, time.monotonic(), status, code))
                time.sleep(0.02)

    def between(self, start: float, end: float) -> list[tuple[float, float, int, str]]:
        return [a for a in self.answers if start <= a[0] < end]


def frozen(server: Any) -> tuple[Callable[[], None], Callable[[], None]]:
    """Freeze and thaw every process of the server (SIGSTOP / SIGCONT)."""
    pid = int((Path(server.pgdata) / "postmaster.pid").read_text().split()[0])
    postmaster = psutil.Process(pid)
    processes = [postmaster, *postmaster.children(recursive=True)]

    def send(sig: signal.Signals) -> None:
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(sig)

    return (lambda: send(signal.SIGSTOP)), (lambda: send(signal.SIGCONT))


def outage(server: Any, probe: Probe, seconds: float, freeze: bool = False) -> str:
    from hub.embedded import start_server, stop_server

    if freeze:
        down, up = frozen(server)
    else:
        down, up = (lambda: stop_server(server)), (lambda: start_server(server))
    time.sleep(1.0)
    stopped_at = time.monotonic()
    down()
    time.sleep(seconds)
    up()
    back_at = time.monotonic()
    time.sleep(max(5.0, seconds / 4))
    during = probe.between(stopped_at, back_at)
    refused = [a for a in during if a[2] == 503]
    first_refusal = refused[0][1] - stopped_at if refused else float("nan")
    slowest = max((a[1] - a[0] for a in during), default=0.0)
    after = probe.between(back_at, time.monotonic())
    first_ok = next((a for a in after if a[2] == 200), None)
    recovery = first_ok[1] - back_at if first_ok else float("nan")
    failures_after = (
        sum(1 for a in after if a[0] > first_ok[1] and a[2] != 200) if first_ok else len(after)
    )
    codes = Counter(f"{a[2]} {a[3]}" for a in during)
    return (
        f"{'frozen' if freeze else 'outage'} {seconds:>4.0f} s  first refusal"
        f" {first_refusal:5.2f} s  slowest answer"
        f" {slowest:5.2f} s  recovery {recovery:5.2f} s  failures after {failures_after}"
        f"  answers during: {dict(codes)}"
    )


def routine_restart(server: Any, probe: Probe) -> str:
    from hub.embedded import restart_server

    time.sleep(1.0)
    began = time.monotonic()
    restart_server(server)
    back_at = time.monotonic()
    time.sleep(3.0)
    after = probe.between(back_at, time.monotonic())
    failed = Counter(f"{a[2]} {a[3]}" for a in after if a[2] != 200)
    return (
        f"restart (pg_ctl restart -m fast, {back_at - began:4.2f} s)  requests after it"
        f" {len(after)}  failed {sum(failed.values())} {dict(failed) if failed else ''}"
    )


def main(outages: list[float]) -> None:
    from hub.db import ensure_database
    from hub.embedded import sqlalchemy_url, start_embedded
    from hub.migrations import upgrade

    server = start_embedded(ROOT / "var" / "bench-faults")
    ensure_database(server, "qhub")
    url = sqlalchemy_url(server, "qhub")
    upgrade(url)
    headers = {"Authorization": f"Bearer {bench_token('cepr-supervisor', office='LIM')}"}
    with hub_process(url) as base:
        probe = Probe(base, headers)
        thread = threading.Thread(target=probe.run, daemon=True)
        thread.start()
        lines = [outage(server, probe, seconds) for seconds in outages]
        lines.append(outage(server, probe, outages[0], freeze=True))
        lines.append(routine_restart(server, probe))
        probe.stop.set()
        thread.join()
    print("Fault benchmark (one client every 20 ms; hub and PostgreSQL on this machine)")
    for line in lines:
        print("  " + line)


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [10.0, 40.0])
