"""Releases with differential privacy (the method of new releases): every table of a
release is made of consistent non-negative integers, the budget and the accuracy of each
table are published, an attacker reading every table recovers no small cell beyond its
noise, and two releases a day apart with one person changed do not isolate that person.

Noise is random (OpenDP's sampler cannot be seeded), so the assertions are on margins
that fail with negligible probability, stated beside each."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import numpy as np
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
from tests.conftest import create_database, drop_database
from tests.services.test_statistics import REFERENCE, TODAY, populated

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
    async with populated(own_database, 50_000):
        pass
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


# The person who changes, with attributes fixed so that their cells are known
PERSON = {"sex": "F", "age_group": "30-44", "education_level": "university"}
MOVE = (("nationality", "VE", "CO"), ("department", "15", "23"))


def merged(release: Release, truth: dict[Key, int] | None = None) -> dict[Key, int]:
    """Every cell of the release's tables (margins once), without year, quarter or the
    bucket of rare nationalities (their values differ between releases): the published
    counts, or ``truth`` over the same cells."""
    out: dict[Key, int] = {}
    for cells in every_table(release).values():
        for k, count in cells.items():
            dims = dict(k)
            if "period" in dims or "quarter" in dims or dims.get("nationality") == "ZZ":
                continue
            out[k] = count if truth is None else truth[k]
    return out


def signature(keys: list[Key], fixed: dict[str, str], moves: list[tuple[str, str, str]]) -> Any:
    """What one person moving ``moves`` (dimension, from, to) does to every cell: −1 in
    the cells of the old values, +1 in those of the new ones (0 where they coincide)."""
    old = {*fixed.items(), *((d, a) for d, a, _ in moves)}
    new = {*fixed.items(), *((d, b) for d, _, b in moves)}
    return np.array([float(k <= new) - float(k <= old) for k in keys])


def evidence(diff: Any, keys: list[Key], fixed: dict[str, str], values: Any) -> float:
    """How far the attacker's best linear statistic for the real move (the difference
    projected on its signature) stands from the same statistic for 300 moves nobody made,
    in standard deviations of those."""
    rng = np.random.default_rng(7)
    real = signature(keys, fixed, list(MOVE))
    t = float(diff @ real) / float(np.linalg.norm(real))
    null = []
    for _ in range(300):
        moves = [(d, *rng.choice(values[d], 2, replace=False)) for d, _, _ in MOVE]
        if [(d, a, b) for d, a, b in moves] == list(MOVE):
            continue
        s = signature(keys, fixed, moves)
        null.append(float(diff @ s) / float(np.linalg.norm(s)))
    spread = float(np.std(null))
    return math.inf if spread == 0 else (t - float(np.mean(null))) / spread


async def test_two_releases_a_day_apart_with_one_person_changed_do_not_isolate_the_person(
    own_database: str,
) -> None:
    # Given 20,000 persons, all filed before July, among them a Venezuelan woman of 30-44
    # with university studies in Lima, and the second quarter's release published on
    # 15 October
    async with populated(own_database, 20_000, seed=0.5) as conn:
        await conn.execute(
            "UPDATE case_file SET filing_date = '2026-06-30' WHERE filing_date > '2026-06-30'"
        )
        row = await (await conn.execute("SELECT min(person_id) FROM case_member")).fetchone()
        assert row is not None
        person = row[0]
        await conn.execute(
            "UPDATE person p SET sex = 'F', education_level = 'university', nationality = 'VE',"
            " department = 'LIMA', birth_date = c.filing_date - interval '35 years'"
            " FROM case_member m JOIN case_file c ON c.id = m.case_id"
            " WHERE m.person_id = p.id AND p.id = %s",
            (person,),
        )
        status = await (
            await conn.execute(
                "SELECT c.status FROM case_member m JOIN case_file c ON c.id = m.case_id"
                " WHERE m.person_id = %s",
                (person,),
            )
        ).fetchone()
        assert status is not None
        fixed = {**PERSON, "status": str(status[0])}
        first, _ = await publish(conn, 10, date(2026, 6, 30), today=date(2026, 10, 15))
        truth_before = await truth_of(conn, first)
        # When she alone changes (nationality and department corrected) and the third
        # quarter's release is published the next day
        await conn.execute(
            "UPDATE person SET nationality = 'CO', department = 'Tacna' WHERE id = %s", (person,)
        )
        second, created = await publish(conn, 10, date(2026, 9, 30), today=date(2026, 10, 16))
        truth_after = await truth_of(conn, second)
        # and publishing the third quarter again the day after gives the same release
        again, created_again = await publish(conn, 10, date(2026, 9, 30), today=date(2026, 10, 17))
    assert created and not created_again and again.version == second.version
    assert second.audit["privacy"]["rhoSpentYear"] == 2 * RHO_RELEASE <= RHO_YEAR
    # Then the attacker subtracts every cell the two releases share
    before, after = merged(first), merged(second)
    keys = sorted((k for k in before if k in after), key=sorted)
    diff = np.array([after[k] - before[k] for k in keys], dtype=float)
    true_before, true_after = merged(first, truth_before), merged(second, truth_after)
    exact = np.array([true_after[k] - true_before[k] for k in keys], dtype=float)
    values = {d: [v for v in first.grid.domains.of(Dimension(d)) if v != "ZZ"] for d, _, _ in MOVE}
    # without noise the difference is the person: −1 in her old cells, +1 in the new ones,
    # 0 in every other cell, and the statistic below flags her move (beyond 4 deviations)
    assert np.array_equal(exact, signature(keys, fixed, list(MOVE)))
    exact_z = evidence(exact, keys, fixed, values)
    assert exact_z > 4
    # with noise most cells differ, and the attacker's best statistic for her move is
    # within what moves nobody made give (4 standard deviations: noise alone passes that
    # with probability ~6·10⁻⁵)
    assert np.count_nonzero(diff) > 0.5 * len(keys) > 500
    z = evidence(diff, keys, fixed, values)
    print(
        f"\nher move against 300 moves nobody made: {z:.2f} standard deviations"
        f" ({exact_z:.2f} without noise)"
    )
    assert abs(z) < 4


async def test_a_fifth_release_published_in_a_year_is_refused_and_nothing_is_stored(
    own_database: str,
) -> None:
    # Given a small population and four releases published in January 2027 (the budget of
    # the year: four quarters of 2026, though published late)
    async with populated(own_database, 500, seed=0.3) as conn:
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
