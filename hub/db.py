"""The database: where it is, one async engine per process, and statement counting."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hub import availability
from hub.connection_budget import connection_budget
from hub.embedded import sqlalchemy_url, start_embedded
from hub.settings import Settings


@dataclass
class DatabaseLocation:
    """A SQLAlchemy URL, plus the embedded server handle that keeps it alive (if any)."""

    url: str
    embedded: Any = None


def locate_database(settings: Settings, database: str = "qhub") -> DatabaseLocation:
    """The configured server, or the embedded one (started now) with ``database`` created."""
    if settings.database_url:
        url = settings.database_url
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return DatabaseLocation(url=url)
    server = start_embedded(settings.pg_dir)
    ensure_database(server, database)
    return DatabaseLocation(url=sqlalchemy_url(server, database), embedded=server)


def ensure_database(server: Any, database: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')


@dataclass
class StatementCounter:
    """Counts SQL statements sent through an engine (for tests and benchmarks)."""

    count: int = 0
    statements: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.count = 0
        self.statements.clear()


def create_engine(url: str, settings: Settings, bounded_waits: bool = True) -> AsyncEngine:
    """The engine; ``bounded_waits=False`` for batch commands whose transactions may wait
    on locks or compute for long (``hub.availability.connection_options``)."""
    budget = connection_budget(settings)
    return create_async_engine(
        url,
        pool_size=budget.engine_size,
        max_overflow=budget.engine_overflow,
        # checked before use, short waits, PostgreSQL's statement_timeout (hub.availability)
        pool_pre_ping=True,
        pool_timeout=availability.POOL_WAIT,
        connect_args={
            "prepare_threshold": 2,
            **availability.connection_options(bounded_waits),
        },
    )


@contextlib.contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    """Count every statement sent inside the ``with`` block (engine and read pool)."""
    counter = StatementCounter()

    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counter.count += 1
        counter.statements.append(statement)

    from hub.readpool import COUNTERS

    event.listen(engine.sync_engine, "before_cursor_execute", _before)
    COUNTERS.append(counter)
    try:
        yield counter
    finally:
        COUNTERS.remove(counter)
        event.remove(engine.sync_engine, "before_cursor_execute", _before)
