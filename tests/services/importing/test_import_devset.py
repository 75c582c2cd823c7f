"""The development set: rejects exactly the invalid rows, never merges two people, re-import is
a no-op, provenance is recorded. truth.csv is read by the test only."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.importing.adjudication import person_provenance
from services.importing.service import ImportOptions, ImportReport, run_import
from tests.services.importing.conftest import DEV_SET, dev_files

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


def truth() -> dict[tuple[str, str, int], dict[str, str]]:
    with (DEV_SET / "truth.csv").open(encoding="utf-8") as fh:
        return {(t["file"], t["sheet"], int(t["row_number"])): t for t in csv.DictReader(fh)}


async def counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


@pytest.fixture(scope="module")
async def first_import(import_engine: AsyncEngine) -> ImportReport:
    return await run_import(import_engine, dev_files(), ImportOptions())


async def test_every_invalid_row_is_rejected_with_a_reason_and_no_valid_row(
    first_import: ImportReport,
) -> None:
    t = truth()
    invalid = {k for k, v in t.items() if v["is_invalid"] == "1"}
    rejected = {(r.file, r.sheet, r.row) for r in first_import.rejected}
    assert rejected == invalid
    assert first_import.rows_read == len(t)
    assert first_import.rows_imported == len(t) - len(invalid)
    for r in first_import.rejected:
        assert r.file and r.row > 0 and r.field and r.message
    messages = {r.message for r in first_import.rejected}
    assert "La fila no tiene nombre de la persona." in messages
    assert any("está en el futuro" in m for m in messages)


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
    first_import: ImportReport, import_engine: AsyncEngine
) -> None:
    t = truth()
    async with import_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT file_name, sheet_name, row_number, person_id FROM import_row "
                    "WHERE status = 'imported'"
                )
            )
        ).all()
    truth_of_person: dict[int, set[str]] = defaultdict(set)
    person_of_truth: dict[str, set[int]] = defaultdict(set)
    for f, s, r, pid in rows:
        truth_of_person[pid].add(t[(f, s, r)]["person_id"])
        person_of_truth[t[(f, s, r)]["person_id"]].add(pid)
    assert [p for p, ids in truth_of_person.items() if len(ids) > 1] == []
    # most true persons end as exactly one hub person (the rest: missed links, some queued)
    single = sum(1 for ids in person_of_truth.values() if len(ids) == 1)
    assert single / len(person_of_truth) > 0.97
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
    assert len(families) > 100
    async with import_engine.connect() as conn:
        principals = (
            await conn.execute(
                text("SELECT count(*) FROM case_member WHERE relationship = 'principal'")
            )
        ).scalar_one()
        cases = (await conn.execute(text("SELECT count(*) FROM case_file"))).scalar_one()
    assert principals == cases


async def test_legacy_case_numbers_and_sequence(
    first_import: ImportReport, import_engine: AsyncEngine
) -> None:
    async with import_engine.begin() as conn:
        assert (
            await conn.execute(text("SELECT count(*) FROM case_file WHERE number = 151357"))
        ).scalar_one() == 1
        top = (await conn.execute(text("SELECT max(number) FROM case_file"))).scalar_one()
        nxt = (await conn.execute(text("SELECT nextval('case_number_seq')"))).scalar_one()
        assert nxt > top
        await conn.rollback()


async def test_importing_again_changes_nothing(
    first_import: ImportReport, import_engine: AsyncEngine
) -> None:
    before = await counts(import_engine)
    again = await run_import(import_engine, dev_files(), ImportOptions())
    after = await counts(import_engine)
    assert after == before
    assert again.rows_already_imported == again.rows_read
    assert (again.persons_created, again.rows_imported, again.pairs_queued) == (0, 0, 0)
    assert again.batch_id is None


async def test_provenance_of_a_person(
    first_import: ImportReport, import_engine: AsyncEngine
) -> None:
    # a person of ode_tacna.xlsx who also appears in other files
    rows_of: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for k, v in truth().items():
        rows_of[v["person_id"]].add(k)
    tacna_key = next(
        k
        for k in sorted(first_import.row_person)
        if k[0] == "ode_tacna.xlsx"
        and len({f for f, _, _ in rows_of[truth()[k]["person_id"]]}) >= 3
        and all(
            first_import.row_person.get(x) == first_import.row_person[k]
            for x in rows_of[truth()[k]["person_id"]]
        )
    )
    pid = first_import.row_person[tacna_key]
    async with import_engine.connect() as conn:
        values, choices = await person_provenance(conn, pid)
    files = {v.file for v in values}
    assert "ode_tacna.xlsx" in files and len(files) >= 3
    tacna = [v for v in values if v.file == "ode_tacna.xlsx" and v.row == tacna_key[2]]
    assert {v.field for v in tacna} >= {"given_names", "birth_date", "nationality", "case_number"}
    case = next(v for v in tacna if v.field == "case_number")
    assert case.column == "N° EXPEDIENTE"
    assert case.raw_value == f"N° {case.normalised_value}"
    chosen = {c.field: c for c in choices}
    assert chosen["given_names"].rule == "most_frequent"
    assert "fila" in chosen["given_names"].reason
    assert any(v.chosen for v in values)
