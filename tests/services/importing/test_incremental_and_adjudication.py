"""One more sheet later links to persons already in the hub (imported or registered online);
the adjudication queue: confirm merges, undo restores, reject closes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.errors import Conflict, NotFound
from services.importing.adjudication import (
    confirm_pair,
    detach_row,
    list_pairs,
    person_provenance,
    reject_pair,
)
from services.importing.merging import undo_merge
from services.importing.service import ImportOptions, run_import
from services.importing.synthetic import SyntheticSet
from services.importing.synthetic_people import PersonTruth


def online_candidate(synthetic: SyntheticSet) -> PersonTruth:
    """A person with a document, a birth date and rows in the first files only."""
    later = synthetic.files[-1].name
    files_of: dict[str, set[str]] = defaultdict(set)
    for (f, _, _), t in synthetic.truth.items():
        files_of[t.person_id].add(f)
    return next(
        p
        for p in synthetic.population.persons
        if p.doc_type == "national_id" and later not in files_of[p.id] and files_of[p.id]
    )


@pytest.fixture(scope="module")
async def online_person(import_engine: AsyncEngine, synthetic: SyntheticSet) -> int:
    """A person who pre-registered online (no import row), with the document of the sheets."""
    p = online_candidate(synthetic)
    async with import_engine.begin() as conn:
        pid = (
            await conn.execute(
                text(
                    "INSERT INTO person (given_names, paternal_surname, maternal_surname, "
                    "sex, birth_date, nationality) VALUES (:g, :p, :m, :s, :b, :n) RETURNING id"
                ),
                {
                    "g": p.given,
                    "p": p.paternal,
                    "m": p.maternal,
                    "s": p.sex,
                    "b": p.birth_date,
                    "n": p.nationality,
                },
            )
        ).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO identity_document (person_id, doc_type, number, issuing_country) "
                "VALUES (:p, 'national_id', :d, :n)"
            ),
            {"p": pid, "d": p.doc_number, "n": p.nationality},
        )
    return int(pid)


async def test_one_more_sheet_later_links_to_existing_persons_and_ids_stay(
    import_engine: AsyncEngine, online_person: int, synthetic: SyntheticSet
) -> None:
    tp = {k: t.person_id for k, t in synthetic.truth.items()}
    first = await run_import(import_engine, synthetic.files[:-1], ImportOptions())
    # the online registration took the rows of that person instead of a new person
    online = online_candidate(synthetic)
    online_rows = [k for k in first.row_person if tp[k] == online.id]
    assert online_rows and {first.row_person[k] for k in online_rows} == {online_person}
    async with import_engine.connect() as conn:
        persons_before = (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one()
    later = await run_import(import_engine, synthetic.files[-1:], ImportOptions())
    assert later.rows_linked_to_existing > 0.3 * later.rows_imported
    async with import_engine.connect() as conn:
        persons_after = (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one()
        keyed = {
            (f, s, r): pid
            for f, s, r, pid in (
                await conn.execute(
                    text(
                        "SELECT file_name, sheet_name, row_number, person_id FROM import_row "
                        "WHERE status = 'imported'"
                    )
                )
            ).all()
        }
    # ids are stable: no row of the first import changed person, no person was renumbered
    assert {k: keyed[k] for k in first.row_person} == first.row_person
    assert persons_after - persons_before == later.persons_created
    # every row of the later sheet whose person was already imported is linked to that person
    hub_of_truth: dict[str, set[int]] = defaultdict(set)
    for k, pid in first.row_person.items():
        hub_of_truth[tp[k]].add(pid)
    linked = wrong = 0
    for k, pid in later.row_person.items():
        known = hub_of_truth.get(tp[k])
        if known:
            linked += pid in known
            wrong += pid not in known and any(
                tp[x] != tp[k] for x, p in first.row_person.items() if p == pid
            )
    assert wrong == 0
    assert linked > 0.9 * sum(1 for k in later.row_person if tp[k] in hub_of_truth)


async def test_adjudication_confirm_undo_reject(import_engine: AsyncEngine) -> None:
    async with import_engine.connect() as conn:
        pairs = await list_pairs(conn)
    assert len(pairs) >= 2
    pair = pairs[0]
    assert pair.status == "open" and pair.person_a and pair.person_b
    a, b = pair.person_a.id, pair.person_b.id

    async def snapshot(pid: int) -> tuple[object, ...]:
        async with import_engine.connect() as conn:
            return tuple(
                [
                    (
                        await conn.execute(
                            text(f"SELECT count(*) FROM {t} WHERE person_id = :p"), {"p": pid}
                        )
                    ).scalar_one()
                    for t in (
                        "import_row",
                        "import_value",
                        "identity_document",
                        "case_member",
                        "case_need",
                    )
                ]
                + [
                    (
                        await conn.execute(
                            text("SELECT given_names, birth_date FROM person WHERE id = :p"),
                            {"p": pid},
                        )
                    ).first()
                ]
            )

    before_a, before_b = await snapshot(a), await snapshot(b)
    async with import_engine.begin() as conn:
        merged = await confirm_pair(conn, pair.id, "supervisor1")
    assert (merged.kept_person_id, merged.merged_person_id) == (a, b)
    async with import_engine.connect() as conn:
        assert (
            await conn.execute(text("SELECT count(*) FROM person WHERE id = :p"), {"p": b})
        ).scalar_one() == 0
        values, _ = await person_provenance(conn, a)
        assert values
        rows_a = (
            await conn.execute(
                text("SELECT count(*) FROM import_row WHERE person_id = :p"), {"p": a}
            )
        ).scalar_one()
        status = (
            await conn.execute(
                text("SELECT status, decided_by FROM import_pair WHERE id = :i"), {"i": pair.id}
            )
        ).first()
    assert rows_a == before_a[0] + before_b[0]
    assert tuple(status) == ("confirmed", "supervisor1")
    with pytest.raises(Conflict) as err:
        async with import_engine.begin() as conn:
            await confirm_pair(conn, pair.id, "supervisor1")
    assert err.value.code == "PAIR_ALREADY_DECIDED"

    async with import_engine.begin() as conn:
        assert await undo_merge(conn, merged.merge_id, "supervisor2") == b
    assert await snapshot(a) == before_a
    assert await snapshot(b) == before_b
    async with import_engine.connect() as conn:
        st = (
            await conn.execute(
                text("SELECT status FROM import_merge WHERE id = :i"), {"i": merged.merge_id}
            )
        ).scalar_one()
        pst = (
            await conn.execute(text("SELECT status FROM import_pair WHERE id = :i"), {"i": pair.id})
        ).scalar_one()
    assert (st, pst) == ("undone", "rejected")
    with pytest.raises(Conflict):
        async with import_engine.begin() as conn:
            await undo_merge(conn, merged.merge_id, "supervisor2")

    other = pairs[1]
    async with import_engine.begin() as conn:
        await reject_pair(conn, other.id, "supervisor1")
    async with import_engine.connect() as conn:
        open_ids = {p.id for p in await list_pairs(conn)}
        rejected_ids = {p.id for p in await list_pairs(conn, status="rejected")}
    assert other.id not in open_ids and {other.id, pair.id} <= rejected_ids
    with pytest.raises(NotFound):
        async with import_engine.begin() as conn:
            await reject_pair(conn, 10**12, "supervisor1")


async def test_dry_run_writes_nothing(import_engine: AsyncEngine, tmp_path: object) -> None:
    async with import_engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM import_row"))).scalar_one()
    # a new sheet, never imported: a dry run reports it but leaves the database as it was
    from pathlib import Path

    sheet = Path(str(tmp_path)) / "nuevos.csv"
    sheet.write_text(
        "Nombres;Apellido paterno;Apellido materno;F. Nacimiento;Nacionalidad\n"
        "Zoraida;Quispe;Mamani;03/04/1990;venezolana\n;;;01/01/1980;VEN\n",
        encoding="utf-8",
    )
    report = await run_import(
        import_engine, [sheet], ImportOptions(dry_run=True, today=date(2026, 1, 1))
    )
    assert (report.rows_read, report.persons_created, len(report.rejected)) == (2, 1, 1)
    async with import_engine.connect() as conn:
        after = (await conn.execute(text("SELECT count(*) FROM import_row"))).scalar_one()
    assert after == before


async def test_an_automatic_merge_can_be_undone_row_by_row(import_engine: AsyncEngine) -> None:
    async with import_engine.connect() as conn:
        row_id, person_id = (
            await conn.execute(
                text(
                    "SELECT r.id, r.person_id FROM import_row r WHERE r.status = 'imported' "
                    "AND r.\"values\" ? 'case_number' AND (SELECT count(*) FROM import_row x "
                    "WHERE x.person_id = r.person_id) >= 3 ORDER BY r.id LIMIT 1"
                )
            )
        ).one()
        before = (
            await conn.execute(
                text("SELECT count(*) FROM import_row WHERE person_id = :p"), {"p": person_id}
            )
        ).scalar_one()
    async with import_engine.begin() as conn:
        new = await detach_row(conn, row_id, "supervisor1")
    async with import_engine.connect() as conn:
        moved = (
            await conn.execute(
                text("SELECT person_id FROM import_row WHERE id = :r"), {"r": row_id}
            )
        ).scalar_one()
        left = (
            await conn.execute(
                text("SELECT count(*) FROM import_row WHERE person_id = :p"), {"p": person_id}
            )
        ).scalar_one()
        members = (
            await conn.execute(
                text("SELECT count(*) FROM case_member WHERE person_id = :p"), {"p": new}
            )
        ).scalar_one()
        audit = (
            await conn.execute(
                text(
                    "SELECT automatic, status, undone_by FROM import_merge "
                    "WHERE merged_person_id = :p"
                ),
                {"p": new},
            )
        ).one()
    assert (moved, left, members) == (new, before - 1, 1)
    assert tuple(audit) == (True, "undone", "supervisor1")
    with pytest.raises(Conflict) as err:
        async with import_engine.begin() as conn:
            await detach_row(conn, row_id, "supervisor1")
    assert err.value.code == "ROW_IS_ONLY_SOURCE"
