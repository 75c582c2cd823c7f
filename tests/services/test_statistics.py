"""Open statistics: a release withstands the interval attack on all its tables at once,
publishes true counts, and a second publication does not difference into a person.

The attack (tests/services/statistics_attack.py) works from the published tables only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import psycopg
import pytest

from hub.readpool import libpq_url
from services.statistics import publish, table_of
from services.statistics.counting import count_release
from services.statistics.grid import release_tables
from services.statistics.release import PUBLISHING_LOCK, SUPPRESSION, Release
from services.statistics.synthetic import generate_population
from tests.conftest import create_database, drop_database
from tests.services.statistics_attack import Key, attack

REFERENCE = date(2026, 9, 30)
TODAY = date(2026, 10, 15)


def published_tables(
    release: Release,
) -> list[tuple[list[str], list[tuple[list[str], int | None]]]]:
    """What an outsider downloads: every published table of two or three dimensions."""
    out = []
    for key in release.tables:
        if len(key) < 2:
            continue  # single dimensions and the grand total are the margins of the pairs
        table = table_of(release, key)
        out.append(([d.value for d in key], [(list(c.values), c.count) for c in table.cells]))
    return out


async def truth_of(conn: psycopg.AsyncConnection[Any], release: Release) -> dict[Key, int]:
    async with conn.transaction():
        counted = await count_release(
            conn, release.reference_date, release.threshold, release_tables()
        )
    truth: dict[Key, int] = {}
    for index, count in enumerate(counted.counts):
        key, values = counted.grid.values_of(index)
        truth[frozenset((d.value, v) for d, v in zip(key, values, strict=True))] = count
    return truth


@pytest.fixture
async def own_database(server_url: str) -> AsyncIterator[str]:
    url = create_database(server_url, "qhub_stats")
    yield url
    drop_database(server_url, url)


@asynccontextmanager
async def populated(
    url: str, persons: int, seed: float = 0.19
) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """A connection (autocommit) to ``url`` once ``persons`` generated persons are in."""
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        await generate_population(conn, persons, seed=seed)
        yield conn


async def assert_withstands_attack(url: str) -> tuple[Release, int]:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        release, created = await publish(conn, 10, REFERENCE, today=TODAY, method=SUPPRESSION)
        assert created
        truth = await truth_of(conn, release)
    tables = published_tables(release)
    # the attacker has every table the release publishes: all 27 pairs (year with quarter
    # is not one) and the three three-dimension tables, whose margins hold the rest
    assert len(tables) == 30 and {len(dims) for dims, _ in tables} == {2, 3}
    # every published number is the true count; none is 1 … 9
    for dims, rows in tables:
        for values, count in rows:
            key = frozenset((d, v) for d, v in zip(dims, values, strict=True) if v != "TOTAL")
            if count is not None:
                assert count == truth[key]
                assert count == 0 or count >= 10
            else:
                assert truth[key] >= 1  # zeros are never hidden
    result = attack(tables, truth, release.protection)
    print(
        f"\nattack on {len(tables)} tables: {result.hidden} hidden cells,"
        f" {result.programs[0]} LPs and {result.programs[1]} integer programs;"
        f" narrowest integer interval {min(result.widths.values())}"
    )
    assert result.hidden > 0
    assert result.exact == []
    assert result.narrow == []
    return release, result.hidden


async def test_a_release_of_50000_persons_withstands_the_interval_attack(own_database: str) -> None:
    # Given 50,000 generated persons (skewed: most Venezuelan, most in Lima, rare tails)
    async with populated(own_database, 50_000):
        pass
    # When the release is published and an attacker solves every table together
    release, hidden = await assert_withstands_attack(own_database)
    # Then no hidden cell is exact or narrower than the protection interval (asserted
    # inside), and the release is what it says
    assert release.audit["cells"] > 5000 and hidden == release.audit["hidden"]
    assert release.method == "audited-cell-suppression" and release.protection == 5
    assert release.audit["mipSolves"] >= 0 and release.audit["lpSolves"] > 0


async def test_a_release_of_the_demo_data_withstands_the_interval_attack(
    own_database: str,
) -> None:
    # Given the demo data set (small: many cells of 1 … 9)
    from services.demo_data import generate_demo

    with psycopg.connect(libpq_url(own_database)) as conn, conn.transaction():
        generate_demo(conn, persons=1500)
    # When published and attacked: nothing exact, nothing too narrow (asserted inside)
    release, hidden = await assert_withstands_attack(own_database)
    assert hidden == release.audit["hidden"] > release.audit["primary"] > 0


async def test_a_publication_a_day_later_does_not_isolate_a_changed_person(
    own_database: str,
) -> None:
    # Given a population and the release of the quarter, published on 15 October
    async with populated(own_database, 3000, seed=0.5) as conn:
        first, created = await publish(conn, 10, today=date(2026, 10, 15), method=SUPPRESSION)
        assert created and first.reference_date == REFERENCE
        before = published_tables(first)
        # When one person changes the next day: a person counted in the release is
        # corrected (nationality, department), and a new one files a claim
        person = await (await conn.execute("SELECT min(person_id) FROM case_member")).fetchone()
        assert person is not None
        await conn.execute(
            "UPDATE person SET nationality = 'AF', department = 'Tacna' WHERE id = %s",
            (person[0],),
        )
        await conn.execute(
            "INSERT INTO person (id, given_names, paternal_surname, sex, birth_date,"
            " nationality, department) VALUES (99000001, 'Nueva', 'Persona', 'X',"
            " '1990-01-01', 'ER', 'Pasco')"
        )
        await conn.execute(
            "INSERT INTO case_file (id, office_id, status, filing_date) VALUES"
            " (99000001, (SELECT min(id) FROM office), 'registered', '2026-10-16')"
        )
        await conn.execute("INSERT INTO case_member VALUES (99000001, 99000001, 'principal')")
        second, created_again = await publish(
            conn, 10, today=date(2026, 10, 16), method=SUPPRESSION
        )
        # Then the second publication is the same release: every table is identical, so
        # the difference is empty and isolates no one
        assert not created_again and second.version == first.version
        assert published_tables(second) == before
        # and the change is real: the next quarter's release will count it
        async with conn.transaction():
            nxt = await count_release(conn, date(2026, 12, 31), 10, release_tables())
    assert nxt.persons == (first.count((), ()) or 0) + 1


async def test_a_second_publisher_waits_for_the_first_beyond_the_lock_timeout(
    own_database: str,
) -> None:
    # Given another publisher holding the publishing lock longer than the hub's connections
    # may wait for a lock (every hub connection has lock_timeout 2 s; here 100 ms)
    url = libpq_url(own_database)
    async with (
        await psycopg.AsyncConnection.connect(url, autocommit=True) as other,
        await psycopg.AsyncConnection.connect(url, autocommit=True) as conn,
    ):
        await generate_population(conn, 300, seed=0.3)
        await conn.execute("SET lock_timeout = '100ms'")
        await other.execute("SELECT pg_advisory_lock(%s)", (PUBLISHING_LOCK,))

        async def release_later() -> None:
            await asyncio.sleep(0.6)
            await other.execute("SELECT pg_advisory_unlock(%s)", (PUBLISHING_LOCK,))

        # When this one publishes meanwhile
        releasing = asyncio.create_task(release_later())
        release, created = await publish(conn, 10, REFERENCE, today=TODAY)
        await releasing
        # Then it waited for the lock instead of failing on lock_timeout, and published
        assert created and release.reference_date == REFERENCE
        again, created_again = await publish(conn, 10, REFERENCE, today=TODAY)
        assert (again.version, created_again) == (release.version, False)
