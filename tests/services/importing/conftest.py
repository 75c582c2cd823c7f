"""Fixtures for the import tests: a fresh database per module (imports change many rows)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine
from hub.settings import load_settings
from tests.conftest import ROOT, create_database, drop_database

DEV_SET = ROOT.parent / "shared" / "data" / "spreadsheets-dev"


def dev_files() -> list[Path]:
    if not (DEV_SET / "truth.csv").exists():
        pytest.skip("development spreadsheets not available")
    return sorted(
        p for p in DEV_SET.iterdir() if p.suffix in {".xlsx", ".csv"} and p.name != "truth.csv"
    )


@pytest.fixture(scope="module")
def import_db_url(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_import")
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="module")
async def import_engine(import_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(import_db_url, load_settings())
    yield engine
    await engine.dispose()
