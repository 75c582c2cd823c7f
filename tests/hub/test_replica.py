"""Issue 18: reads that are not logged (the open statistics) go to the read replica when
one is configured; /readyz reports its pool."""

from __future__ import annotations

import dataclasses
import uuid

import httpx
import psycopg

from hub.readpool import libpq_url
from hub.settings import load_settings
from tests.conftest import LiveHub


def test_statistics_are_read_on_the_replica(database_url: str) -> None:
    # Given a hub whose "replica" is a read-only session of the test database, named so
    # its connections can be told apart from the primary's
    name = f"qhub-replica-{uuid.uuid4().hex[:8]}"
    primary = libpq_url(database_url)
    separator = "&" if "?" in primary else "?"
    replica = f"{primary}{separator}application_name={name}"
    replica += "&options=-c%20default_transaction_read_only%3Don"
    settings = dataclasses.replace(load_settings(), replica_url=replica)
    hub = LiveHub(database_url, settings).start()
    try:
        # When the open statistics are asked for
        response = httpx.get(f"{hub.url}/statistics.csv?dims=sex,nationality", timeout=30)
        ready = httpx.get(f"{hub.url}/readyz").json()
        with psycopg.connect(primary, autocommit=True) as conn:
            queries = [
                row[0]
                for row in conn.execute(
                    "SELECT query FROM pg_stat_activity WHERE application_name = %s", (name,)
                ).fetchall()
            ]
    finally:
        hub.stop()
    # Then they are answered (or told there is no release yet), read on the replica
    assert response.status_code in (200, 404), response.text
    assert any("statistics_release" in query for query in queries), queries
    # and /readyz reports the replica's pool, which holds connections
    assert ready["status"] == "ready"
    assert ready["pools"]["replica"]["max"] == 4
    assert ready["pools"]["replica"]["open"] >= 1
