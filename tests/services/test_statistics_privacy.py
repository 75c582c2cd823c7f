"""Releases with differential privacy (the method of new releases): every table of a
release is made of consistent non-negative integers, the budget and the accuracy of each
table are published, an attacker reading every table recovers no small cell beyond its
noise, and two releases a day apart with one person changed do not isolate that person.

Noise is random (OpenDP's sampler cannot be seeded), so the assertions are on margins
that fail with negligible probability, stated beside each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import psycopg
import pytest

from hub.readpool import libpq_url
from services.errors import ValidationFailed
from services.statistics import explanation_es, publish, table_of
from services.statistics.counting import count_release
from services.statistics.dimensions import Dimension
from services.statistics.grid import TableKey, release_tables
from services.statistics.privacy import RHO_RELEASE, RHO_YEAR
from services.statistics.release import DIFFERENTIAL_PRIVACY, Release
from services.statistics.synthetic import generate_population
from tests.conftest import create_database, drop_database
from tests.services.test_statistics import REFERENCE, TODAY

Key = frozenset[tuple[str, str]]


@pytest.fixture
async def own_database(server_url: str) -> AsyncIterator[str]:
    url = create_database(server_url, "qhub_stats_dp")
    yield url
    drop_database(server_url, url)


def every_table(release: Release) -> dict[TableKey, dict[Key, int]]:
    """What an outsider downloads: every published table, by cell (margins included)."""
    out: dict[TableKey, dict[Key, int]] = {}
    for key in release.tables:
        if len(key) < 2:
            continue
        cells: dict[Key, int] = {}
        for cell in table_of(release, key).cells:
            assert cell.count is not None and not cell.suppressed  # noise hides nothing
            k = frozenset(
                (d.value, v) for d, v in zip(key, cell.values, strict=True) if v != "TOTAL"
            )
            cells[k] = cell.count
        out[key] = cells
    return out


async def truth_of(conn: psycopg.AsyncConnection[Any], release: Release) -> dict[Key, int]:
    """The true counts over the release's own values (its nationalities and years)."""
    domains = release.grid.domains
    kept = [n for n in domains.of(Dimension.NATIONALITY) if n != "ZZ"]
    first = int(domains.of(Dimension.PERIOD)[0][1:])
    async with conn.transaction():
        counted = await count_release(
            conn, release.reference_date, 10, release_tables(), lambda *_: (kept, first)
        )
    assert counted.grid.size == release.grid.size
    truth: dict[Key, int] = {}
    for index, count in enumerate(counted.counts):
        key, values = counted.grid.values_of(index)
        truth[frozenset((d.value, v) for d, v in zip(key, values, strict=True))] = count
    return truth


def assert_consistent(release: Release) -> None:
    """Non-negative integers; every margin the sum of its cells, quarters of their year."""
    assert all(isinstance(c, int) and c >= 0 for c in release.cells)
    for eq in release.grid.equations:
        parent = release.cells[eq.parent]
        assert parent == sum(release.cells[c] or 0 for c in eq.children)


async def assert_noise_protects(url: str) -> Release:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        release, created = await publish(conn, 10, REFERENCE, today=TODAY)
        assert created and release.method == DIFFERENTIAL_PRIVACY
        truth = await truth_of(conn, release)
    assert_consistent(release)
    assert len([key for key in release.tables if len(key) >= 2]) == 30
    privacy = release.audit["privacy"]
    assert privacy["rho"] == RHO_RELEASE and privacy["rhoYear"] == RHO_YEAR
    assert privacy["rhoSpentYear"] == RHO_RELEASE
    assert 0 < privacy["epsilon"] < privacy["epsilonYear"]
    tables = every_table(release)
    print(
        f"\nbudget: ρ {privacy['rho']} per release, {privacy['rhoYear']} per year;"
        f" ε {privacy['epsilon']} / {privacy['epsilonYear']} at δ {privacy['delta']};"
        f" noise sd {privacy['noiseSd']}"
    )
    within = small = exact_small = 0
    for key, cells in tables.items():
        margin = release.margin95(key)
        assert margin is not None and 0 < margin < 40
        print(f"  {'×'.join(d.value for d in key):45} ±{margin} (95 %)")
        for k, published in cells.items():
            true = truth[k]
            within += abs(published - true) <= margin
            if 1 <= true <= 9:
                small += 1
                exact_small += published == true
    total = sum(len(cells) for cells in tables.values())
    print(
        f"  {len(tables)} tables attacked; cells within their margin: {within} of {total};"
        f" small cells (1-9) published exactly: {exact_small} of {small}"
    )
    # the published accuracy holds: ≥ 90 % of cells within their 95 % margin (rounding and
    # the floor at zero only bring small cells closer)
    assert within >= 0.9 * total
    # the attacker has every table and nothing is hidden: the published count is his best
    # estimate, and it is the true count for few small cells — he cannot tell which
    assert small > 100 and exact_small <= 0.25 * small
    return release


async def test_a_release_of_50000_persons_is_noisy_consistent_and_says_how_noisy(
    own_database: str,
) -> None:
    # Given 50,000 generated persons
    async with await psycopg.AsyncConnection.connect(libpq_url(own_database)) as conn:
        await generate_population(conn, 50_000)
        await conn.commit()
    # When the release is published, Then (inside) its tables add up, its budget and
    # accuracy are printed, and no small cell is recovered beyond its noise
    release = await assert_noise_protects(own_database)
    assert release.audit["hidden"] == 0 and release.audit["cells"] > 5000
    text = explanation_es(release.method, 10, 5, release.audit["privacy"])
    assert "ρ = 0,5" in text and "OpenDP" in text and "ε = " in text


async def test_a_release_of_the_demo_data_is_noisy_and_consistent(own_database: str) -> None:
    from services.demo_data import generate_demo

    with psycopg.connect(libpq_url(own_database)) as conn, conn.transaction():
        generate_demo(conn, persons=1500)
    await assert_noise_protects(own_database)


async def test_two_releases_a_day_apart_with_one_person_changed_do_not_isolate_the_person(
    own_database: str,
) -> None:
    # Given 20,000 persons, all filed before July, and the second quarter's release
    # published on 15 October
    async with await psycopg.AsyncConnection.connect(
        libpq_url(own_database), autocommit=True
    ) as conn:
        await generate_population(conn, 20_000, seed=0.5)
        await conn.execute(
            "UPDATE case_file SET filing_date = '2026-06-30' WHERE filing_date > '2026-06-30'"
        )
        first, _ = await publish(conn, 10, date(2026, 6, 30), today=date(2026, 10, 15))
        # When one person changes (nationality and department corrected) and the third
        # quarter's release is published the next day: the data differ by that person
        person = await (
            await conn.execute(
                "SELECT p.id, p.nationality, p.department FROM person p"
                " WHERE p.nationality = 'VE' ORDER BY p.id LIMIT 1"
            )
        ).fetchone()
        assert person is not None
        await conn.execute(
            "UPDATE person SET nationality = 'CO', department = 'Tacna' WHERE id = %s",
            (person[0],),
        )
        second, created = await publish(conn, 10, date(2026, 9, 30), today=date(2026, 10, 16))
        # and publishing the third quarter again the day after gives the same release
        again, created_again = await publish(conn, 10, date(2026, 9, 30), today=date(2026, 10, 17))
    assert created and not created_again and again.version == second.version
    assert second.audit["privacy"]["rhoSpentYear"] == 2 * RHO_RELEASE <= RHO_YEAR
    # Then the attacker subtracts every table the two releases share. Without noise the
    # difference would be −1 in the person's old cells, +1 in the new ones and 0 elsewhere.
    before, after = every_table(first), every_table(second)
    hits = 0
    for key, cells in before.items():
        if Dimension.QUARTER in key or Dimension.PERIOD in key:
            continue  # the new quarter changes these domains; the rest compare cell by cell
        if Dimension.NATIONALITY not in key and Dimension.DEPARTMENT not in key:
            continue
        shared = [k for k in cells if k in after[key]]
        diff = {k: after[key][k] - cells[k] for k in shared}
        changed = sum(1 for d in diff.values() if d != 0)
        # the difference is mostly noise: most cells differ (the person changes one or two)
        assert changed >= 0.3 * len(shared) and changed > 2, (key, changed, len(shared))
        # the attacker's guess of the person's new cell: the one that grew the most
        guess = max(diff, key=lambda k: diff[k])
        new = dict(guess)
        hits += new.get("nationality", "CO") == "CO" and new.get("department", "23") == "23"
    # a guess right by chance is possible in a small table; isolating the person would be
    # right in every table (12 of them); ≥ 6 by chance has probability well under 1e-4
    assert hits < 6
    assert sum(len(c) for c in before.values()) > 1000


async def test_a_fifth_release_published_in_a_year_is_refused_and_nothing_is_stored(
    own_database: str,
) -> None:
    # Given a small population and four releases published in January 2027 (the budget of
    # the year: four quarters of 2026, though published late)
    async with await psycopg.AsyncConnection.connect(
        libpq_url(own_database), autocommit=True
    ) as conn:
        await generate_population(conn, 500, seed=0.3)
        spent = []
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            release, created = await publish(conn, 10, date(2026, month, day), date(2027, 1, 10))
            assert created
            spent.append(release.audit["privacy"]["rhoSpentYear"])
        assert spent == [0.5, 1.0, 1.5, 2.0]
        before = await (
            await conn.execute("SELECT count(*), max(version) FROM statistics_release")
        ).fetchone()
        # When someone publishes a fifth release that year, for an older quarter
        with pytest.raises(ValidationFailed) as refused:
            await publish(conn, 10, date(2025, 12, 31), today=date(2027, 2, 1))
        # Then it is refused with the budget's code, at the reference date, and nothing
        # is stored
        assert [(p.path, p.code) for p in refused.value.problems] == [
            (("referenceDate",), "PRIVACY_BUDGET_SPENT")
        ]
        assert refused.value.problems[0].message == (
            "El presupuesto de privacidad del año ya se gastó."
        )
        after = await (
            await conn.execute("SELECT count(*), max(version) FROM statistics_release")
        ).fetchone()
        assert before == after == (4, 4)
        # and a release published the next year spends the new year's budget
        next_year, created = await publish(conn, 10, date(2025, 12, 31), today=date(2028, 1, 5))
        assert created and next_year.audit["privacy"]["rhoSpentYear"] == 0.5
