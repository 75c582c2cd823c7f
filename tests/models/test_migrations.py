"""The migrations build exactly the schema the models declare, and the reference data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool, text

import models
from models.base import Base


def test_migrated_database_matches_the_models(database_url: str) -> None:
    # Given a database migrated to head
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        # When alembic compares it with the models
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    # Then nothing differs
    assert diff == [], f"models and migrations disagree: {diff}"
    assert models.core is not None


def test_reference_data_is_loaded(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM office GROUP BY kind")).all())
        needs = conn.execute(text("SELECT count(*) FROM specific_need_code")).scalar_one()
        first_number = conn.execute(
            text("SELECT start_value FROM pg_sequences WHERE sequencename = 'case_number_seq'")
        ).scalar_one()
    engine.dispose()
    assert kinds == {"headquarters": 1, "decentralised": 12, "border": 1}
    assert needs >= 30
    assert first_number == 100000
