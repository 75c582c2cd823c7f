"""Fixtures for the import tests: a fresh database per module (imports change many rows) and
messy spreadsheets made by the project's own generator, with their truth (no data from
outside the repository)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine
from hub.settings import load_settings
from services.importing.synthetic import SyntheticSet, generate
from tests.conftest import create_database, drop_database


def make_set(directory: Path, seed: int = 16) -> SyntheticSet:
    """250 families in eight files: layouts, encodings, title rows, noise, invalid rows."""
    return generate(directory, seed=seed, cases=250, files=8)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> SyntheticSet:
    return make_set(tmp_path_factory.mktemp("planillas"))


@pytest.fixture(scope="module")
def import_db_url(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_import")
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="module")
async def import_engine(import_db_url: str) -> AsyncIterator[AsyncEngine]:
    # as `qhub import` runs: no idle-in-transaction bound on its one long transaction
    engine = create_engine(import_db_url, load_settings(), bounded_waits=False)
    yield engine
    await engine.dispose()
