"""Shared fixtures: a real PostgreSQL (embedded by default), a fresh database per run.

Set ``QHUB_TEST_DATABASE_URL`` (a server where the user may create databases) to
test against another server instead of the embedded one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine as create_async
from hub.embedded import sqlalchemy_url, start_embedded
from hub.migrations import upgrade
from hub.readpool import open_pool
from hub.settings import load_settings
from hub.state import HubState

ROOT = Path(__file__).resolve().parent.parent

# Hubs started by tests share a database with the outbox tests: they must not deliver
# those rows. The test that checks delivery end to end turns it on for its own hub.
os.environ.setdefault("QHUB_WEBHOOK_DISPATCH", "0")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """URL of the maintenance database of the server the tests use."""
    external = os.environ.get("QHUB_TEST_DATABASE_URL")
    if external:
        yield external.replace("postgresql://", "postgresql+psycopg://", 1)
        return
    pg_dir = Path(os.environ.get("QHUB_TEST_PG_DIR", ROOT / "var" / "test-pg"))
    server = start_embedded(pg_dir)
    yield sqlalchemy_url(server, "postgres")
    # The wheel stops the server at interpreter exit once no other process uses it.


def _with_database(server_url: str, name: str) -> str:
    base, _, query = server_url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + name
    return f"{base}?{query}" if query else base


def create_database(server_url: str, prefix: str = "qhub_test") -> str:
    """Create an empty database with a unique name, migrated to head; return its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = _with_database(server_url, name)
    upgrade(url)
    return url


def drop_database(server_url: str, url: str) -> None:
    name = url.split("?")[0].rsplit("/", 1)[1]
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A database of its own for this test run, migrated to head, dropped afterwards."""
    url = create_database(server_url)
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async(database_url, load_settings())
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def batch_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The engine of batch commands such as ``qhub import``: no lock or idle-in-transaction
    bound (an import computes inside its one transaction; on a loaded machine, longer
    than the bound serving connections have)."""
    engine = create_async(database_url, load_settings(), bounded_waits=False)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def hub_state(database_url: str, engine: AsyncEngine) -> AsyncIterator[HubState]:
    """What a running hub holds (engine, read pool), without HTTP."""
    settings = load_settings()
    state = HubState(settings, database_url, engine)
    state.pool = await open_pool(database_url, settings)
    yield state
    await state.pool.close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveHub:
    """A real uvicorn server running the hub in a thread, on a free loopback port."""

    def __init__(self, database_url: str, settings: Any = None) -> None:
        import threading

        import uvicorn

        from hub.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(database_url, settings or load_settings())
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveHub:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_hub(database_url: str) -> Iterator[LiveHub]:
    hub = LiveHub(database_url).start()
    yield hub
    hub.stop()
