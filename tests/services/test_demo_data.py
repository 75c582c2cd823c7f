"""The demo data set: realistic, complete across offices and statuses, repeatable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from rich.console import Console

from hub.demo import ensure_demo_data
from hub.readpool import libpq_url
from hub.settings import load_settings
from models.vocab import PENDING_STATUSES, CaseStatus
from services.casework.claim_records import read_claim_records_many
from services.demo_data import generate_demo, has_data, sample_keys
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


def test_documents_are_unique_and_sample_keys_find_real_ones(demo: Any) -> None:
    conn, _ = demo
    duplicates = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM identity_document"
        " GROUP BY issuing_country, doc_type, number HAVING count(*) > 1) d"
    ).fetchone()[0]
    keys = sample_keys(conn, count=10, seed=3)
    found_cases = conn.execute(
        "SELECT count(*) FROM case_file WHERE number = ANY(%s)", (keys.case_numbers,)
    ).fetchone()[0]
    found_documents = sum(
        conn.execute(
            "SELECT count(*) FROM identity_document"
            " WHERE doc_type = %s AND number = %s AND issuing_country = %s",
            document,
        ).fetchone()[0]
        for document in keys.documents
    )
    assert (duplicates, found_cases, found_documents) == (0, 10, 10)
    assert sample_keys(conn, count=10, seed=3) == keys


def test_open_cases_are_scored_and_assigned_cases_recorded(demo: Any) -> None:
    conn, _ = demo
    open_statuses = [s.value for s in PENDING_STATUSES]
    unscored = conn.execute(
        "SELECT count(*) FROM case_file c LEFT JOIN case_priority p ON p.case_id = c.id"
        " WHERE c.status = ANY(%s) AND (p.case_id IS NULL OR c.priority_score <> p.score)",
        (open_statuses,),
    ).fetchone()[0]
    unrecorded = conn.execute(
        "SELECT count(*) FROM case_file c WHERE c.assigned_officer_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM case_assignment a WHERE a.case_id = c.id"
        "  AND a.officer_id = c.assigned_officer_id)"
    ).fetchone()[0]
    wrong_office = conn.execute(
        "SELECT count(*) FROM case_file c JOIN officer o ON o.id = c.assigned_officer_id"
        " WHERE o.office_id <> c.office_id OR o.role <> 'cepr-eligibility'"
    ).fetchone()[0]
    assigned = conn.execute(
        "SELECT count(*) FROM case_file WHERE assigned_officer_id IS NOT NULL"
    ).fetchone()[0]
    active = conn.execute("SELECT version FROM priority_rule_set WHERE active").fetchall()
    assert (unscored, unrecorded, wrong_office) == (0, 0, 0)
    assert assigned > 0 and len(active) == 1


def test_ensure_demo_data_leaves_a_database_with_persons_alone(server_url: str) -> None:
    url = create_database(server_url, prefix="qhub_demo_ensure")
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute(
                "INSERT INTO person (given_names, paternal_surname, sex, birth_date, nationality)"
                " VALUES ('Ana', 'Pérez', 'F', '1990-01-01', 'VE')"
            )
            conn.commit()
        console = Console(record=True, width=120)
        ensure_demo_data(url, load_settings(), console)
        with psycopg.connect(libpq_url(url)) as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM case_file),"
                " (SELECT count(*) FROM officer)"
            ).fetchone()
        assert counts == (1, 0, 0)
        assert "ya tiene datos" in console.export_text()
    finally:
        drop_database(server_url, url)


async def test_cases_waiting_for_a_decision_are_assessed_and_open_with_their_keys(
    demo: Any,
) -> None:
    # Given the demo data set (sealed claims under the case keys the hub's keyring wraps)
    conn, summary = demo
    assert len(summary.assessed_cases) >= 4
    rows = conn.execute(
        "SELECT c.id, c.number, c.status, c.assigned_officer_id IS NOT NULL FROM case_file c"
        " WHERE c.number = ANY(%s) ORDER BY c.number",
        (summary.assessed_cases,),
    ).fetchall()
    assert {(r[2], r[3]) for r in rows} == {("under_review", True)}
    # when their claims are read back as the hub reads them
    async with await psycopg.AsyncConnection.connect(conn.info.dsn) as reader:
        records = await read_claim_records_many(reader, [r[0] for r in rows])
    # then each has one interview and one assessment, recommendations in turn
    recommendations = [records[r[0]].assessments[0].recommendation for r in rows]
    assert all(len(records[r[0]].interviews) == 1 for r in rows)
    assert set(recommendations) == {"recognise", "reject"}
    assert "grupo social" in records[rows[0][0]].assessments[0].analysis
