"""Case-work tests count officers' caseloads and whole queues: each module gets a database
of its own, so what other tests insert cannot change those counts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine
from hub.settings import load_settings
from tests.conftest import create_database, drop_database


@pytest.fixture(scope="module")
def database_url(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="qhub_casework")
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="module")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, load_settings())
    yield engine
    await engine.dispose()
