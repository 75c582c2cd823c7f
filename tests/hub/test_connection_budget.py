"""Issue 18: one setting bounds the connections a hub process opens (QHUB_MAX_CONNECTIONS),
split across its pools; /readyz tells each pool's size and use."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from hub.connection_budget import connection_budget
from hub.settings import load_settings
from tests.conftest import LiveHub


def test_the_budget_is_split_across_the_pools() -> None:
    settings = dataclasses.replace(load_settings(), max_connections=16)
    budget = connection_budget(settings)
    # 6 for the fixed pools, 5 for the read pool, 5 for the engine (3 + 2 overflow)
    assert (budget.read_pool, budget.engine_size, budget.engine_overflow) == (5, 3, 2)
    assert budget.total == 16
    # unset: the pool settings as before (10 / 10), 46 in all
    default = connection_budget(dataclasses.replace(load_settings(), max_connections=None))
    assert (default.read_pool, default.engine_size, default.engine_overflow) == (20, 10, 10)
    assert default.total == 46
    with pytest.raises(ValueError, match="al menos 10"):
        connection_budget(dataclasses.replace(load_settings(), max_connections=9))


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
        "engine": 5,
        "read": 5,
        "access_log": 2,
        "rate_limits": 2,
    }
    assert all(0 <= pool["open"] <= pool["max"] for pool in body["pools"].values())
    assert sum(pool["max"] for pool in body["pools"].values()) + 2 == body["budget"]
