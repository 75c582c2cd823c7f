"""/healthz and /readyz: alive, ready, and not ready with a reason."""

from __future__ import annotations

import httpx

from hub.migrations import upgrade
from tests.conftest import LiveHub, create_database, drop_database


def test_healthz_answers_while_the_process_lives(live_hub: LiveHub) -> None:
    response = httpx.get(f"{live_hub.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_the_current_revision(live_hub: LiveHub) -> None:
    response = httpx.get(f"{live_hub.url}/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_is_503_while_migrations_are_pending(server_url: str) -> None:
    # Given a database one migration behind head
    url = create_database(server_url, prefix="qhub_behind")
    try:
        from alembic import command

        from hub.migrations import alembic_config

        command.downgrade(alembic_config(url), "-1")
        hub = LiveHub(url).start()
        try:
            # When readiness is asked
            response = httpx.get(f"{hub.url}/readyz")
        finally:
            hub.stop()
        # Then it is 503 with the reason and both revisions
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["reason"] == "migrations pending"
        assert body["current"] != body["head"]
        upgrade(url)
    finally:
        drop_database(server_url, url)


def test_readyz_is_503_when_the_database_is_unreachable(server_url: str) -> None:
    # Given a hub whose database disappears after start
    url = create_database(server_url, prefix="qhub_gone")
    hub = LiveHub(url).start()
    try:
        drop_database(server_url, url)
        # When readiness is asked
        response = httpx.get(f"{hub.url}/readyz")
        # Then it is 503 with a reason, not a 500
        assert response.status_code == 503
        assert response.json()["reason"] == "database unreachable"
    finally:
        hub.stop()
