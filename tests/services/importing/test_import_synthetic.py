"""Generated legacy spreadsheets (known truth): rejects exactly the invalid rows, never merges
two people, re-import is a no-op, provenance is recorded. The truth is read by the test only."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.importing.adjudication import person_provenance
from services.importing.service import ImportOptions, ImportReport, run_import
from services.importing.synthetic import SyntheticSet

TABLES = (
    "person",
    "identity_document",
    "case_file",
    "case_member",
    "case_need",
    "health_profile",
    "consent",
    "import_batch",
    "import_row",
    "import_value",
    "import_field_choice",
    "import_pair",
)


async def counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


@pytest.fixture(scope="module")
async def first_import(import_engine: AsyncEngine, synthetic: SyntheticSet) -> ImportReport:
    return await run_import(import_engine, synthetic.files, ImportOptions())


async def test_every_invalid_row_is_rejected_with_a_reason_and_no_valid_row(
    first_import: ImportReport, synthetic: SyntheticSet
) -> None:
    t = synthetic.truth
    invalid = {k for k, v in t.items() if v.is_invalid}
    rejected = {(r.file, r.sheet, r.row) for r in first_import.rejected}
    assert invalid and rejected == invalid
    assert first_import.rows_read == len(t)
    assert first_import.rows_imported == len(t) - len(invalid)
    for r in first_import.rejected:
        assert r.file and r.row > 0 and r.field and r.message


async def test_rejected_rows_are_kept_with_their_problems(
    first_import: ImportReport, import_engine: AsyncEngine
) -> None:
    async with import_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT file_name, sheet_name, row_number, problems, person_id FROM import_row "
                    "WHERE status = 'rejected'"
                )
            )
        ).all()
    assert len(rows) == len(first_import.rejected)
    assert all(r.person_id is None and r.problems for r in rows)


async def test_no_person_holds_rows_of_two_people_and_families_are_not_merged(
    first_import: ImportReport, import_engine: AsyncEngine, synthetic: SyntheticSet
) -> None:
    t = synthetic.truth
    truth_of_person: dict[int, set[str]] = defaultdict(set)
    person_of_truth: dict[str, set[int]] = defaultdict(set)
    for k, pid in first_import.row_person.items():
        truth_of_person[pid].add(t[k].person_id)
        person_of_truth[t[k].person_id].add(pid)
    assert [p for p, ids in truth_of_person.items() if len(ids) > 1] == []
    # every pair left to an officer says why, in Spanish
    assert first_import.pairs_queued > 0
    assert sum(first_import.queue_reasons.values()) >= first_import.pairs_queued
    assert all(why for why in first_import.queue_reasons)
    # most true persons end as exactly one hub person (the rest: missed links, some queued)
    single = sum(1 for ids in person_of_truth.values() if len(ids) == 1)
    assert single / len(person_of_truth) > 0.95
    # family members share a case number and stay distinct persons in one case
    async with import_engine.connect() as conn:
        families = (
            await conn.execute(
                text(
                    "SELECT c.number, count(DISTINCT m.person_id) FROM case_file c "
                    "JOIN case_member m ON m.case_id = c.id GROUP BY c.number HAVING count(*) > 1"
                )
            )
        ).all()
        principals = (
            await conn.execute(
                text("SELECT count(*) FROM case_member WHERE relationship = 'principal'")
            )
        ).scalar_one()
        cases = (await conn.execute(text("SELECT count(*) FROM case_file"))).scalar_one()
    assert len(families) > 50
    assert principals == cases


async def test_legacy_case_numbers_and_sequence(
    first_import: ImportReport, import_engine: AsyncEngine, synthetic: SyntheticSet
) -> None:
    numbers = {p.case_number for p in synthetic.population.persons}
    async with import_engine.begin() as conn:
        stored = set((await conn.execute(text("SELECT number FROM case_file"))).scalars().all())
        nxt = (await conn.execute(text("SELECT nextval('case_number_seq')"))).scalar_one()
        await conn.rollback()
    # every case of a valid row is there under its legacy number, and nothing else
    assert stored and stored <= numbers
    assert nxt > max(stored)


async def test_importing_again_changes_nothing(
    first_import: ImportReport, import_engine: AsyncEngine, synthetic: SyntheticSet
) -> None:
    before = await counts(import_engine)
    again = await run_import(import_engine, synthetic.files, ImportOptions())
    after = await counts(import_engine)
    assert after == before
    assert again.rows_already_imported == again.rows_read
    assert (again.persons_created, again.rows_imported, again.pairs_queued) == (0, 0, 0)
    assert again.batch_id is None


async def test_provenance_of_a_person(
    first_import: ImportReport, import_engine: AsyncEngine, synthetic: SyntheticSet
) -> None:
    # a person whose rows (three files or more) all went to one hub person
    rows_of: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for k, v in synthetic.truth.items():
        if not v.is_invalid:
            rows_of[v.person_id].add(k)
    tid, keys = next(
        (tid, keys)
        for tid, keys in sorted(rows_of.items())
        if len({f for f, _, _ in keys}) >= 3
        and len({first_import.row_person.get(k) for k in keys}) == 1
    )
    pid = first_import.row_person[next(iter(keys))]
    async with import_engine.connect() as conn:
        values, choices = await person_provenance(conn, pid)
    files = {v.file for v in values}
    assert files == {f for f, _, _ in keys}
    cases = [v for v in values if v.field == "case_number"]
    truth_case = synthetic.population.by_id()[tid].case_number
    assert {v.normalised_value for v in cases} == {str(truth_case)}
    assert all(str(truth_case) in v.raw_value for v in cases)
    chosen = {c.field: c for c in choices}
    assert chosen["given_names"].rule == "most_frequent"
    assert "fila" in chosen["given_names"].reason
    assert any(v.chosen for v in values)
