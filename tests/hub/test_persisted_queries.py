"""Automatic persisted queries (Apollo APQ): a client may send only the query's hash."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import psycopg
import pytest

from hub.graphql import persisted_queries
from hub.readpool import libpq_url
from tests.conftest import LiveHub

QUERY = "{ offices { code } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def _post(hub: LiveHub, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{hub.url}/graphql", json=body, headers={"Accept": "application/json"})


def test_unknown_hash_asks_for_the_full_query(live_hub: LiveHub) -> None:
    body: dict[str, object] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    }
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


def _stored(database_url: str, digest: str) -> bool:
    with psycopg.connect(libpq_url(database_url)) as conn:
        row = conn.execute("SELECT 1 FROM persisted_query WHERE sha256 = %s", (digest,))
        return row.fetchone() is not None


def _ask(hub: LiveHub, text: str | None, digest: str) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if text is not None:
        body["query"] = text
    return _post(hub, body).json()  # type: ignore[no-any-return]


def test_only_valid_documents_of_bounded_size_are_registered(
    live_hub: LiveHub, database_url: str
) -> None:
    # Given a text that does not validate, and a valid one longer than 16 KiB
    invalid = f"{{ offices {{ code }} }} {{ offices {{ name }} }} # {uuid.uuid4()}"
    long = "{ offices { code } }\n#" + "x" * (persisted_queries.MAX_TEXT + 1)
    for text, code in ((invalid, "GRAPHQL_VALIDATION_FAILED"), (long, None)):
        digest = hashlib.sha256(text.encode()).hexdigest()
        # When each is sent with its hash
        first = _ask(live_hub, text, digest)
        # Then the valid one runs and the other is refused, as without a hash
        assert (first["errors"][0]["extensions"]["code"] if "errors" in first else None) == code
        # but neither is registered: not stored, and the hash alone is not known
        assert not _stored(database_url, digest)
        again = _ask(live_hub, None, digest)
        assert again["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_the_table_keeps_the_most_recent_texts(
    live_hub: LiveHub, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a hub that keeps 3 texts and prunes at every registration
    monkeypatch.setattr(persisted_queries, "KEEP", 3)
    monkeypatch.setattr(persisted_queries, "PRUNE_EVERY", 1)
    texts = [f"{{ offices {{ code }} }} # {uuid.uuid4()}" for _ in range(5)]
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    # When five texts are registered one after the other
    for text, digest in zip(texts, digests, strict=True):
        assert "errors" not in _ask(live_hub, text, digest)
    # Then the table holds the last three only
    with psycopg.connect(libpq_url(database_url)) as conn:
        kept = [r[0] for r in conn.execute("SELECT sha256 FROM persisted_query ORDER BY 1")]
    assert sorted(kept) == sorted(digests[2:])
