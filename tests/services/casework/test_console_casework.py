"""The console's casework services (issue 14): manual assignment under the automatic
rule's office / profile / capacity conditions, why a case was not assigned, undoing a
"same person" decision, case notes (claim data: sealed, the assigned officer writes),
a case's issued documents and the enrolment photo."""

from __future__ import annotations

from itertools import count
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.casework import assignment, case_notes, manual_assignment, photos
from services.casework import duplicates as dup
from services.documents import case_documents
from services.errors import Conflict, DomainError, Forbidden, ValidationFailed
from tests.factories import make_cases

SUPERVISOR = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup")
REGISTRAR = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg", office_code="CUZ"
)
_n = count(1)


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


async def officer(conn: Any, office: str, profiles: list[str], capacity: int) -> tuple[int, str]:
    username = f"cons-{office}-{next(_n)}"
    row = await (
        await conn.execute(
            "INSERT INTO officer (username, full_name, role, office_id, profiles, capacity)"
            " SELECT %s, 'Oficial de prueba', 'cepr-eligibility', id, %s, %s"
            " FROM office WHERE code = %s RETURNING id",
            (username, profiles, capacity, office),
        )
    ).fetchone()
    return row[0], username


def eligibility(officer_id: int) -> Principal:
    return Principal(
        role=Role.CEPR_ELIGIBILITY, agency=Agency.CEPR, subject="el", officer_id=officer_id
    )


async def assignments(conn: Any, case_id: int) -> list[tuple[Any, ...]]:
    rows = await (
        await conn.execute(
            "SELECT officer_id, previous_officer_id, rule_version, reason FROM case_assignment"
            " WHERE case_id = %s ORDER BY id",
            (case_id,),
        )
    ).fetchall()
    return [tuple(r) for r in rows]


async def test_manual_assignment_follows_office_profile_and_capacity(
    database_url: str, engine: AsyncEngine
) -> None:
    # Given a CUS case, two CUS officers (one full) and an officer of another office
    (case,) = await make_cases(engine, 1, office_code="CUZ", family_size=1, needs=())
    async with await connect(database_url) as conn:
        free, free_name = await officer(conn, "CUZ", ["general"], 5)
        full, full_name = await officer(conn, "CUZ", ["general"], 0)
        children, children_name = await officer(conn, "CUZ", ["children"], 5)
        _, elsewhere = await officer(conn, "TBP", ["general"], 5)
        why = "Conoce el caso de un familiar ya asignado."

        # then an officer of another office, of another profile or full is refused
        with pytest.raises(ValidationFailed) as other_office:
            await manual_assignment.assign_case(conn, SUPERVISOR, case.number, elsewhere, why)
        assert other_office.value.problems[0].code == "OFFICER_NOT_ELIGIBLE"
        with pytest.raises(ValidationFailed) as profile:
            await manual_assignment.assign_case(conn, SUPERVISOR, case.number, children_name, why)
        assert profile.value.problems[0].code == "PROFILE_MISMATCH"
        with pytest.raises(Conflict) as capacity:
            await manual_assignment.assign_case(conn, SUPERVISOR, case.number, full_name, why)
        assert capacity.value.code == "OFFICER_AT_CAPACITY"
        with pytest.raises(ValidationFailed) as reason:
            await manual_assignment.assign_case(conn, SUPERVISOR, case.number, free_name, "x")
        assert reason.value.problems[0].code == "REASON_REQUIRED"
        # and a registrar may not assign at all
        with pytest.raises(Forbidden):
            await manual_assignment.assign_case(conn, REGISTRAR, case.number, free_name, why)
        assert await assignments(conn, case.id) == []

        # when the supervisor assigns it to the free officer, then reassigns it
        done = await manual_assignment.assign_case(conn, SUPERVISOR, case.number, free_name, why)
        assert (done.officer_id, done.previous_officer_id, done.rule_version) == (
            free,
            None,
            "manual",
        )
        with pytest.raises(Conflict) as again:
            await manual_assignment.assign_case(conn, SUPERVISOR, case.number, free_name, why)
        assert again.value.code == "ALREADY_ASSIGNED"
        await conn.execute("UPDATE officer SET capacity = 5 WHERE id = %s", (full,))
        await manual_assignment.assign_case(conn, SUPERVISOR, case.number, full_name, why)

        # then both assignments are recorded with the previous officer and the reason
        assert await assignments(conn, case.id) == [
            (free, None, "manual", f"Asignación manual: {why}"),
            (full, free, "manual", f"Asignación manual: {why}"),
        ]
        loads = await manual_assignment.eligibility_officers(conn, SUPERVISOR, "CUZ")
        assert {o.username: o.load for o in loads} == {
            free_name: 0,
            full_name: 1,
            children_name: 0,
        }
        assert children  # the children's officer exists but never took it


async def test_automatic_assignment_says_why_a_case_was_not_assigned(
    database_url: str, engine: AsyncEngine
) -> None:
    # Given an office with no eligibility officer, and one whose only officer is full
    await make_cases(engine, 1, office_code="TCQ", family_size=1, needs=())
    await make_cases(engine, 2, office_code="PUN", family_size=1, needs=())
    async with await connect(database_url) as conn:
        _, name = await officer(conn, "PUN", ["general"], 1)
        none = await assignment.assign_cases(conn, SUPERVISOR, "TCQ", limit=10)
        full = await assignment.assign_cases(conn, SUPERVISOR, "PUN", limit=10)
    # then each unassigned case comes with its reason
    assert [(n.code, n.reason) for n in none.not_assigned] == [
        ("NO_OFFICERS", "La oficina no tiene oficiales de elegibilidad disponibles.")
    ]
    assert len(full.assigned) == 1
    assert [(n.code, n.reason) for n in full.not_assigned] == [
        (
            "NO_CAPACITY",
            f"Los oficiales con el perfil «general» tienen la carga completa ({name} 1 de 1).",
        )
    ]
    assert [n.case_number for n in full.not_assigned] == full.unassigned


async def test_a_same_person_decision_is_undone_with_a_reason(
    database_url: str, engine: AsyncEngine
) -> None:
    a, b = await make_cases(engine, 2, office_code="LIM", family_size=1, needs=())
    async with await connect(database_url) as conn:
        row = await (
            await conn.execute(
                "INSERT INTO possible_duplicate (person_id, matched_person_id, source, score,"
                " raised_by) VALUES (%s, %s, 'biometric', 0.97, 'reg') RETURNING id",
                (a.person_ids[0], b.person_ids[0]),
            )
        ).fetchone()
        review = row[0]
        # an open review is not a "same person" decision: nothing to undo
        with pytest.raises(Conflict) as open_one:
            await dup.undo_duplicate_decision(
                conn, SUPERVISOR, review, "Fotos distintas al revisar."
            )
        assert open_one.value.code == "NOT_A_DUPLICATE_DECISION"
        await dup.resolve_possible_duplicate(
            conn, SUPERVISOR, review, dup.DuplicateStatus.DUPLICATE, "Mismas huellas y fecha."
        )
        with pytest.raises(Forbidden):
            await dup.undo_duplicate_decision(
                conn, REGISTRAR, review, "Fotos distintas al revisar."
            )
        with pytest.raises(ValidationFailed):
            await dup.undo_duplicate_decision(conn, SUPERVISOR, review, "corto")
        # when the supervisor undoes it
        undone = await dup.undo_duplicate_decision(
            conn, SUPERVISOR, review, "Las fotos muestran dos personas distintas."
        )
    # then the review is open again, with who undid it and why
    assert undone.status is dup.DuplicateStatus.OPEN
    assert (undone.resolved_by, undone.resolution_note) == (None, None)
    assert undone.undone_by == SUPERVISOR.actor_label
    assert undone.undo_note == "Las fotos muestran dos personas distintas."


async def test_case_notes_are_sealed_claim_data_the_assigned_officer_writes(
    database_url: str, engine: AsyncEngine
) -> None:
    async with await connect(database_url) as conn:
        mine, _ = await officer(conn, "LIM", ["general"], 5)
        other, _ = await officer(conn, "LIM", ["general"], 5)
    (case,) = await make_cases(
        engine, 1, office_code="LIM", family_size=2, needs=(), assigned_officer_id=mine
    )
    async with await connect(database_url) as conn:
        # another officer, a supervisor (claim: read only) and an unknown case: refused alike
        for who, number in ((eligibility(other), case.number), (SUPERVISOR, case.number)):
            with pytest.raises(Forbidden) as refused:
                await case_notes.add_case_note(conn, who, number, "Llamó para preguntar.")
            assert refused.value.message == case_notes._REFUSED
        with pytest.raises(Forbidden):
            await case_notes.add_case_note(conn, eligibility(mine), 9_999_999, "Nota de prueba.")
        assert (await (await conn.execute("SELECT count(*) FROM case_note")).fetchone())[0] == 0

        # when the assigned officer writes a note
        added = await case_notes.add_case_note(
            conn, eligibility(mine), case.number, "  Pidió intérprete de quechua.  "
        )
        # then it is stored sealed and read back opened, with the case's row scope
        stored = await (await conn.execute("SELECT body FROM case_note")).fetchone()
        assert stored[0][:1] == b"\x01" and b"quechua" not in bytes(stored[0])
        notes = await case_notes.notes_by_case(conn, [case.id])
        assert [n.text for n in notes[case.id]] == ["Pidió intérprete de quechua."]
        assert added.row_scope.assigned_officer_ids == frozenset({mine})
        assert set(added.row_scope.person_ids) == set(case.person_ids)


async def test_issued_documents_and_photos_are_listed_per_case_and_person(
    database_url: str, engine: AsyncEngine
) -> None:
    (case,) = await make_cases(engine, 1, office_code="LIM", family_size=1, needs=())
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    async with await connect(database_url) as conn:
        await conn.execute(
            "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to, status,"
            " issued_by, sha256, pdf) VALUES ('P-T1', %s, %s, '2026-01-01', '2027-01-01',"
            " 'revoked', 'sec', 'x', '%%PDF-1')",
            (case.id, case.person_ids[0]),
        )
        await conn.execute(
            "INSERT INTO biometric_enrolment (person_id, matcher, template_ref, enrolled_by,"
            " photo) VALUES (%s, 'local', %s, 'reg', %s)",
            (case.person_ids[0], f"ref-{case.id}", png),
        )
        docs = await case_documents.documents_by_case(conn, [case.id])
        pdfs = await case_documents.pdfs_by_key(
            conn, [("WORK_PERMIT", "P-T1"), ("ASYLUM_CARD", "x")]
        )
        shown = await photos.photos_by_person(conn, [case.person_ids[0], 0])
    assert [(d.kind, d.id, d.status) for d in docs[case.id]] == [("WORK_PERMIT", "P-T1", "revoked")]
    assert pdfs == [b"%PDF-1", None]
    # and the PDFs of one query level are bounded together
    case_documents.MAX_BATCH_BYTES, saved = 5, case_documents.MAX_BATCH_BYTES
    try:
        async with await connect(database_url) as conn:
            with pytest.raises(DomainError) as refused:
                await case_documents.pdfs_by_key(conn, [("WORK_PERMIT", "P-T1")])
    finally:
        case_documents.MAX_BATCH_BYTES = saved
    assert refused.value.code == "TOO_MANY_DOCUMENTS"
    assert shown == [photos.data_url(png), None]
    assert shown[0].startswith("data:image/png;base64,")


async def test_the_photos_of_one_query_level_are_bounded_together(
    database_url: str, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two enrolled persons with a 1,000-byte photo each
    cases = await make_cases(engine, 2, office_code="LIM", family_size=1, needs=())
    photo = b"\xff\xd8\xff" + b"1" * 997
    people = [c.person_ids[0] for c in cases]
    async with await connect(database_url) as conn:
        for pid in people:
            await conn.execute(
                "INSERT INTO biometric_enrolment (person_id, matcher, template_ref, enrolled_by,"
                " photo) VALUES (%s, 'local', %s, 'reg', %s)",
                (pid, f"ref-b-{pid}", photo),
            )
        # when the bound allows both, both come; when it does not, none does
        monkeypatch.setattr(photos, "MAX_BATCH_BYTES", 2000)
        assert await photos.photos_by_person(conn, people) == [photos.data_url(photo)] * 2
        monkeypatch.setattr(photos, "MAX_BATCH_BYTES", 1999)
        with pytest.raises(DomainError) as refused:
            await photos.photos_by_person(conn, people)
        assert refused.value.code == "TOO_MANY_PHOTOS"
        assert await photos.photos_by_person(conn, people[:1]) == [photos.data_url(photo)]
