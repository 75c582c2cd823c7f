"""Issue 18: one setting bounds the connections a hub process opens (QHUB_MAX_CONNECTIONS),
split across its pools; /readyz tells each pool's size and use."""

from __future__ import annotations

import dataclasses
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from hub.connection_budget import connection_budget
from hub.readpool import libpq_url
from hub.settings import load_settings
from tests.conftest import LiveHub


def test_the_budget_is_split_across_the_pools() -> None:
    settings = dataclasses.replace(load_settings(), max_connections=16)
    budget = connection_budget(settings)
    # 8 for the fixed pools, 4 for the read pool, 4 for the engine (2 + 2 overflow)
    assert (budget.read_pool, budget.engine_size, budget.engine_overflow) == (4, 2, 2)
    assert budget.total == 16
    # unset: the pool settings as before (10 / 10), 48 in all
    default = connection_budget(dataclasses.replace(load_settings(), max_connections=None))
    assert (default.read_pool, default.engine_size, default.engine_overflow) == (20, 10, 10)
    assert default.total == 48
    with pytest.raises(ValueError, match="al menos 12"):
        connection_budget(dataclasses.replace(load_settings(), max_connections=11))


def test_readyz_reports_each_pool_within_the_budget(database_url: str) -> None:
    # Given a hub whose process may open 16 connections
    settings = dataclasses.replace(load_settings(), max_connections=16)
    hub = LiveHub(database_url, settings).start()
    try:
        # When it is asked whether it is ready, after answering a few requests
        query = {"query": "{ offices { code } }"}
        for _ in range(5):
            assert httpx.post(f"{hub.url}/graphql", json=query).is_success
        body = httpx.get(f"{hub.url}/readyz").json()
    finally:
        hub.stop()
    # Then it reports the budget and each pool's maximum, and no pool holds more
    assert body["status"] == "ready" and body["budget"] == 16
    assert {name: pool["max"] for name, pool in body["pools"].items()} == {
        "engine": 4,
        "read": 4,
        "access_log": 2,
        "shared_lookups": 2,
        "rate_limits": 2,
    }
    assert all(0 <= pool["open"] <= pool["max"] for pool in body["pools"].values())
    assert sum(pool["max"] for pool in body["pools"].values()) + 2 == body["budget"]


def test_the_replica_pool_is_part_of_the_budget() -> None:
    # Given a budget of 20 connections and a read replica
    settings = dataclasses.replace(
        load_settings(), max_connections=20, replica_url="postgresql://replica/qhub"
    )
    budget = connection_budget(settings)
    # Then the replica's 4 come out of the 20: 8 fixed, 4 read, 4 engine (2 + 2)
    assert (budget.replica, budget.read_pool, budget.engine_size, budget.engine_overflow) == (
        4,
        4,
        2,
        2,
    )
    assert (budget.primary, budget.total) == (16, 20)
    # and a budget too small to hold the replica's pool is refused at start
    with pytest.raises(ValueError, match="al menos 16 \\(con réplica de lectura\\)"):
        connection_budget(dataclasses.replace(settings, max_connections=15))


def _named(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def test_a_hub_with_a_replica_opens_no_more_than_its_budget(database_url: str) -> None:
    # Given a hub allowed 20 connections in all, with a "replica" (a read-only session of
    # the test database), each server's connections named so they can be counted
    tag = uuid.uuid4().hex[:8]
    replica = _named(libpq_url(database_url), f"qhub-r-{tag}")
    replica += "&options=-c%20default_transaction_read_only%3Don"
    settings = dataclasses.replace(load_settings(), max_connections=20, replica_url=replica)
    hub = LiveHub(_named(database_url, f"qhub-p-{tag}"), settings).start()
    try:
        # When 40 requests arrive at once, half of them reads for the replica
        def one(index: int) -> int:
            path = "/statistics.csv?dims=sex,nationality" if index % 2 else "/graphql"
            if index % 2:
                return httpx.get(f"{hub.url}{path}", timeout=60).status_code
            query = {"query": "{ offices { code name } }"}
            return httpx.post(f"{hub.url}{path}", json=query, timeout=60).status_code

        with ThreadPoolExecutor(40) as workers:
            statuses = list(workers.map(one, range(40)))
        ready = httpx.get(f"{hub.url}/readyz").json()
        with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
            opened: dict[str, int] = dict(
                conn.execute(
                    "SELECT application_name, count(*) FROM pg_stat_activity"
                    " WHERE application_name LIKE %s GROUP BY 1",
                    (f"qhub-%-{tag}",),
                ).fetchall()
            )
    finally:
        hub.stop()
    assert set(statuses) <= {200, 404}, statuses
    # Then /readyz reports the replica inside the budget, each pool's maximum adding up
    # to it with the relay's and the occasional connection
    assert (ready["budget"], ready["primary"]) == (20, 16)
    assert {name: pool["max"] for name, pool in ready["pools"].items()} == {
        "engine": 4,
        "read": 4,
        "access_log": 2,
        "shared_lookups": 2,
        "rate_limits": 2,
        "replica": 4,
    }
    assert sum(pool["max"] for pool in ready["pools"].values()) + 2 == ready["budget"]
    # and the server saw no more than that: at most 4 on the replica, 16 on the primary
    assert opened.get(f"qhub-r-{tag}", 0) <= 4
    assert 1 <= opened.get(f"qhub-p-{tag}", 0) <= 16
