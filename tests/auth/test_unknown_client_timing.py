"""An unknown OAuth client id is answered like a known client with a wrong secret: the
same argon2 work (against the dummy hash), the same ``invalid_client``, about the same
time — the token endpoint does not tell which client ids exist."""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from auth import oauth
from hub.settings import load_settings
from tests.auth.test_oauth import agency_client
from tests.conftest import LiveHub

__all__ = ["agency_client"]  # the fixture, shared with the token endpoint's tests


@pytest.fixture(scope="module")
def unthrottled_hub(database_url: str) -> Iterator[LiveHub]:
    # the throttle would answer 429 without any hashing after a few guesses
    settings = dataclasses.replace(
        load_settings(), login_limits_account="1000/minute", login_limits_address="1000/minute"
    )
    hub = LiveHub(database_url, settings).start()
    yield hub
    hub.stop()


def guess(hub: LiveHub, client_id: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, "un-secreto-adivinado"),
        timeout=30,
    )


def test_an_unknown_client_costs_one_verification_like_a_known_one(
    unthrottled_hub: LiveHub, agency_client: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(hasher: PasswordHasher, stored: Any, given: Any) -> Any:
        verified.append(stored)
        return real_verify(hasher, stored, given)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    # Given a known client and an id nobody registered, each with a guessed secret
    known = guess(unthrottled_hub, agency_client)
    known_work = list(verified)
    verified.clear()
    unknown = guess(unthrottled_hub, "no-existe-este-cliente")
    # Then each answer cost exactly one argon2 verification (the unknown: the dummy hash)
    assert len(known_work) == 1 and known_work[0] != oauth.dummy_hash()
    assert verified == [oauth.dummy_hash()]
    # and the two answers cannot be told apart
    assert (known.status_code, unknown.status_code) == (401, 401)
    assert known.json() == unknown.json()
    assert known.json()["error"] == "invalid_client"


def test_unknown_and_known_clients_take_about_the_same_time(
    unthrottled_hub: LiveHub, agency_client: str
) -> None:
    # The bar the issue asks for (a known id answered in 153 ms, an unknown in 0.8 ms
    # before): medians of interleaved tries within a factor of two of each other.
    guess(unthrottled_hub, "calentamiento")  # the dummy hash is made once, at first use
    known: list[float] = []
    unknown: list[float] = []
    for i in range(9):
        for client_id, times in ((agency_client, known), (f"desconocido-{i}", unknown)):
            started = time.perf_counter()
            assert guess(unthrottled_hub, client_id).status_code == 401
            times.append(time.perf_counter() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    print(
        f"\nclient_credentials, wrong secret: known {statistics.median(known) * 1000:.0f} ms,"
        f" unknown {statistics.median(unknown) * 1000:.0f} ms (medians of 9)"
    )
    assert 0.5 < ratio < 2.0, (statistics.median(known), statistics.median(unknown))
