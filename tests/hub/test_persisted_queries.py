"""Automatic persisted queries (Apollo APQ): a client may send only the query's hash."""

from __future__ import annotations

import hashlib

import httpx

from tests.conftest import LiveHub

QUERY = "{ offices { code } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def _post(hub: LiveHub, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{hub.url}/graphql", json=body, headers={"Accept": "application/json"})


def test_unknown_hash_asks_for_the_full_query(live_hub: LiveHub) -> None:
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    response = _post(live_hub, body)
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_registered_hash_is_served_without_the_text(live_hub: LiveHub) -> None:
    ext = {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}
    # Given the query registered once with its hash
    first = _post(live_hub, {"query": QUERY, "extensions": ext})
    assert first.status_code == 200 and "errors" not in first.json()
    # When only the hash is sent
    second = _post(live_hub, {"extensions": ext})
    # Then the same answer comes back
    assert second.json() == first.json()
    assert len(second.json()["data"]["offices"]) == 14


def test_a_hash_that_does_not_match_is_refused(live_hub: LiveHub) -> None:
    ext = {"persistedQuery": {"version": 1, "sha256Hash": "f" * 64}}
    response = _post(live_hub, {"query": QUERY, "extensions": ext})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
