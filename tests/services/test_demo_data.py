"""The demo data set: realistic, complete across offices and statuses, repeatable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from hub.readpool import libpq_url
from models.vocab import CaseStatus
from services.demo_data import generate_demo, has_data
from tests.conftest import create_database, drop_database


@pytest.fixture(scope="module")
def demo(server_url: str) -> Iterator[tuple[psycopg.Connection[Any], Any]]:
    url = create_database(server_url, prefix="qhub_demo")
    with psycopg.connect(libpq_url(url), autocommit=False) as conn:
        summary = generate_demo(conn, persons=1200, seed=5)
        conn.commit()
        yield conn, summary
    drop_database(server_url, url)


def test_every_office_and_every_status_has_cases(demo: Any) -> None:
    conn, summary = demo
    offices = conn.execute(
        "SELECT count(*) FROM office o WHERE NOT EXISTS "
        "(SELECT 1 FROM case_file c WHERE c.office_id = o.id)"
    ).fetchone()[0]
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT status FROM case_file")}
    assert offices == 0
    assert statuses == {s.value for s in CaseStatus}
    assert summary.persons == conn.execute("SELECT count(*) FROM person").fetchone()[0] >= 1200


def test_each_case_has_exactly_one_principal_and_a_consistent_history(demo: Any) -> None:
    conn, _ = demo
    bad_principals = conn.execute(
        "SELECT count(*) FROM case_file c WHERE (SELECT count(*) FROM case_member m"
        " WHERE m.case_id = c.id AND m.relationship = 'principal') <> 1"
    ).fetchone()[0]
    bad_history = conn.execute(
        "SELECT count(*) FROM case_file c WHERE c.status <> (SELECT to_status FROM status_change h"
        " WHERE h.case_id = c.id ORDER BY at DESC, id DESC LIMIT 1)"
    ).fetchone()[0]
    assert (bad_principals, bad_history) == (0, 0)


def test_people_look_like_the_population(demo: Any) -> None:
    conn, _ = demo
    nationalities = dict(conn.execute("SELECT nationality, count(*) FROM person GROUP BY 1"))
    assert max(nationalities, key=nationalities.get) == "VE"
    assert {"VE", "CO"} <= set(nationalities)
    health = conn.execute("SELECT count(*) FROM health_profile").fetchone()[0]
    consents = conn.execute(
        "SELECT count(*) FROM consent WHERE purpose = 'health-workforce'"
    ).fetchone()[0]
    assert health > 0 and 0 < consents <= health
    adults_with_child_needs = conn.execute(
        "SELECT count(*) FROM case_need n JOIN person p ON p.id = n.person_id"
        " JOIN case_file c ON c.id = n.case_id"
        " WHERE n.code IN ('UM', 'SC') AND p.birth_date < c.filing_date - INTERVAL '18 years'"
    ).fetchone()[0]
    assert adults_with_child_needs == 0


def test_the_same_seed_gives_the_same_people(server_url: str, demo: Any) -> None:
    conn, _ = demo
    url = create_database(server_url, prefix="qhub_demo_again")
    try:
        with psycopg.connect(libpq_url(url)) as again:
            generate_demo(again, persons=1200, seed=5)
            first = conn.execute(
                "SELECT given_names, paternal_surname FROM person ORDER BY id LIMIT 20"
            ).fetchall()
            second = again.execute(
                "SELECT given_names, paternal_surname FROM person ORDER BY id LIMIT 20"
            ).fetchall()
            assert first == second
            assert has_data(again)
            again.rollback()
    finally:
        drop_database(server_url, url)
