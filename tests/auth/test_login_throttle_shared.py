"""Login throttles shared by a deployment: two hub instances on one database count the
same failed attempts (``hub.limits_postgres``, a ``limits`` storage in PostgreSQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from limits import parse
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from limits.storage import storage_from_string
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.oauth import hash_secret
from hub.limits_postgres import PostgresStorage
from hub.readpool import libpq_url
from hub.settings import load_settings
from tests.conftest import LiveHub

PASSWORD = "clave-compartida"


@pytest.fixture(scope="module")
async def officer(engine: AsyncEngine) -> str:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO officer (username, full_name, role, office_id, password_hash)"
                " SELECT 'compartido1', 'Inés Compartida', 'cepr-registrar', id, :h FROM office"
                " WHERE code = 'LIM' ON CONFLICT (username) DO NOTHING"
            ),
            {"h": hash_secret(PASSWORD)},
        )
    return "compartido1"


@pytest.fixture(scope="module")
def two_hubs(database_url: str) -> Iterator[tuple[LiveHub, LiveHub]]:
    # the default storage ("database"): what a deployment of several instances runs
    settings = dataclasses.replace(
        load_settings(), login_limits_account="3/minute", login_limits_address="100/minute"
    )
    first = LiveHub(database_url, settings).start()
    second = LiveHub(database_url, settings).start()
    yield first, second
    first.stop()
    second.stop()


def login(hub: LiveHub, username: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": "qhub-console",
            "username": username,
            "password": password,
        },
        timeout=30,
    )


def test_two_instances_count_failed_logins_together(
    two_hubs: tuple[LiveHub, LiveHub], officer: str
) -> None:
    first, second = two_hubs
    # Given three wrong passwords for one account, spread over two instances
    for hub in (first, second, first):
        assert login(hub, officer, "mala").status_code == 400
    # When the account tries again on the instance that saw only one of them
    refused = login(second, officer, PASSWORD)
    # Then it is refused there, and on the other instance too, with when to retry
    again = login(first, officer, PASSWORD)
    for answer in (refused, again):
        assert answer.status_code == 429
        assert answer.json()["code"] == "TOO_MANY_ATTEMPTS"
        assert 1 <= int(answer.headers["Retry-After"]) <= 60
        assert "access_token" not in answer.json()


async def test_the_storage_keeps_limits_semantics(database_url: str) -> None:
    # Given the storage made from its URI (its own pool), as limits users configure it
    storage = storage_from_string("async+" + libpq_url(database_url))
    assert isinstance(storage, PostgresStorage)
    try:
        assert await storage.check() is True
        moving = MovingWindowRateLimiter(storage)
        two = parse("2/minute")
        # a moving window: two hits pass, the third does not, until cleared
        assert [await moving.hit(two, "prueba", "a") for _ in range(3)] == [True, True, False]
        assert await moving.test(two, "prueba", "a") is False
        stats = await moving.get_window_stats(two, "prueba", "a")
        assert stats.remaining == 0
        assert await moving.hit(two, "prueba", "b") is True  # another key is apart
        await moving.clear(two, "prueba", "a")
        assert await moving.hit(two, "prueba", "a") is True
        # a fixed window (limits' plain counters) on the same table
        fixed = FixedWindowRateLimiter(storage)
        assert [await fixed.hit(two, "fija") for _ in range(3)] == [True, True, False]
        assert (await fixed.get_window_stats(two, "fija")).remaining == 0
        await storage.reset()
        assert await fixed.hit(two, "fija") is True
    finally:
        await storage.reset()
        await storage.close()
