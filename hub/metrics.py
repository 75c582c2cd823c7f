"""Prometheus metrics of the hub (``GET /metrics``), with prometheus-client.

What an operator watches: requests by route, operation, role and outcome, their latency,
the access log's batches (latency, size, failures), the connection pools, and the demand
control's refusals. Other modules report through the small functions below; nothing here
is on a request's path except ``observe_request`` (a dictionary look-up and two
prometheus-client updates, ~2 µs).

With several uvicorn workers each process counts its own requests; set
``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory before start-up and ``/metrics``
aggregates every worker (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

# no *_created series: one line less per counter and histogram
disable_created_metrics()  # type: ignore[no-untyped-call]

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "qhub_requests",
    "HTTP requests answered, by route, GraphQL operation, caller's role and outcome.",
    ["route", "operation", "role", "outcome"],
)
LATENCY = Histogram(
    "qhub_request_duration_seconds",
    "Time from the request's arrival to the end of its answer.",
    ["route", "outcome"],
    buckets=LATENCY_BUCKETS,
)
ACCESS_LOG_BATCH = Histogram(
    "qhub_access_log_batch_duration_seconds",
    "Time to commit one batch of access-log entries (group commit).",
    buckets=LATENCY_BUCKETS,
)
ACCESS_LOG_ENTRIES = Counter(
    "qhub_access_log_entries", "Access-log entries handed to the writer, by result.", ["result"]
)
ACCESS_LOG_FAILURES = Counter(
    "qhub_access_log_batch_failures", "Access-log batches that could not be committed."
)
DEMAND_REFUSALS = Counter(
    "qhub_demand_control_refusals",
    "Operations refused before execution by the demand control, by reason (its error code).",
    ["reason"],
)
LOGIN_REFUSALS = Counter("qhub_login_throttled", "Password logins refused by the throttle (429).")


def outcome_of(status: int) -> str:
    """``ok`` (2xx/3xx), ``refused`` (4xx: the caller's doing) or ``failed`` (5xx)."""
    if status < 400:
        return "ok"
    return "refused" if status < 500 else "failed"


_children: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}
_CHILDREN_MAX = 10_000  # operation names come from callers: bounded


def observe_request(route: str, operation: str, role: str, outcome: str, seconds: float) -> None:
    """Count one answered request and its latency."""
    key = (route, operation, role, outcome)
    pair = _children.get(key)
    if pair is None:
        if len(_children) >= _CHILDREN_MAX:
            key = (route, "other", role, outcome)
        pair = _children.get(key)
        if pair is None:
            pair = _children[key] = (
                REQUESTS.labels(*key),
                LATENCY.labels(route, outcome),
            )
    pair[0].inc()
    pair[1].observe(seconds)


def login_throttled() -> None:
    LOGIN_REFUSALS.inc()


def demand_refused(reason: str) -> None:
    """The demand control refused an operation; ``reason`` is its stable error code."""
    DEMAND_REFUSALS.labels(reason).inc()


def access_log_batch(size: int, seconds: float, failed: bool) -> None:
    """``AccessLogWriter.observe``: one batch committed (or not)."""
    ACCESS_LOG_BATCH.observe(seconds)
    ACCESS_LOG_ENTRIES.labels("failed" if failed else "committed").inc(size)
    if failed:
        ACCESS_LOG_FAILURES.inc()


class _Pools(Collector):
    """Connection-pool use, read from psycopg_pool's ``get_stats()`` at scrape time."""

    def __init__(self) -> None:
        # (name, pool) of every running hub in this process (tests run several)
        self.pools: list[tuple[str, Any]] = []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        size = GaugeMetricFamily(
            "qhub_pool_connections", "Connections open in the pool.", labels=["pool"]
        )
        idle = GaugeMetricFamily(
            "qhub_pool_connections_idle", "Open connections not lent out.", labels=["pool"]
        )
        maximum = GaugeMetricFamily(
            "qhub_pool_connections_max", "The pool's maximum size.", labels=["pool"]
        )
        waiting = GaugeMetricFamily(
            "qhub_pool_requests_waiting", "Requests waiting for a connection.", labels=["pool"]
        )
        totals: dict[str, list[int]] = {}
        for name, pool in list(self.pools):
            stats = pool.get_stats()
            total = totals.setdefault(name, [0, 0, 0, 0])
            total[0] += stats.get("pool_size", 0)
            total[1] += stats.get("pool_available", 0)
            total[2] += pool.max_size
            total[3] += stats.get("requests_waiting", 0)
        for name, (open_, available, most, queued) in totals.items():
            size.add_metric([name], open_)
            idle.add_metric([name], available)
            maximum.add_metric([name], most)
            waiting.add_metric([name], queued)
        yield from (size, idle, maximum, waiting)


POOLS = _Pools()
REGISTRY.register(POOLS)


def watch_pool(name: str, pool: Any) -> None:
    """Report a psycopg_pool pool's use under ``name`` (until ``unwatch_pool``)."""
    POOLS.pools.append((name, pool))


def unwatch_pool(pool: Any) -> None:
    POOLS.pools[:] = [(n, p) for n, p in POOLS.pools if p is not pool]


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its media type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(POOLS)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
