"""Eligibility: interview, assessment, decision with reasons, appeal, final decision;
refusals name every field and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, AppointmentMode, Role
from services.casework import eligibility as el
from services.errors import Conflict, Forbidden, ValidationFailed
from tests.factories import make_cases

SECRETARY = Principal(role=Role.CEPR_SECRETARY, agency=Agency.CEPR, subject="se", office_code="LIM")
REGISTRAR = Principal(role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="re", office_code="HYO")


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


async def officer(conn: psycopg.AsyncConnection[Any]) -> Principal:
    row = await (
        await conn.execute(
            "INSERT INTO officer (username, full_name, role, office_id) SELECT"
            " 'elig-hyo-' || gen_random_uuid(), 'Oficial', 'cepr-eligibility', id FROM office"
            " WHERE code = 'HYO' RETURNING id"
        )
    ).fetchone()
    assert row is not None
    return Principal(
        role=Role.CEPR_ELIGIBILITY, agency=Agency.CEPR, subject="el", officer_id=row[0]
    )


async def counts(conn: psycopg.AsyncConnection[Any], case_id: int) -> tuple[Any, ...]:
    row = await (
        await conn.execute(
            "SELECT c.status, (SELECT count(*) FROM interview_record WHERE case_id = c.id),"
            " (SELECT count(*) FROM eligibility_assessment WHERE case_id = c.id),"
            " (SELECT count(*) FROM case_decision WHERE case_id = c.id),"
            " (SELECT count(*) FROM claim_appeal WHERE case_id = c.id),"
            " (SELECT count(*) FROM status_change WHERE case_id = c.id)"
            " FROM case_file c WHERE c.id = %s",
            (case_id,),
        )
    ).fetchone()
    assert row is not None
    return tuple(row)


async def test_claim_from_interview_to_final_decision(
    database_url: str, engine: AsyncEngine
) -> None:
    async with await connect(database_url) as conn:
        me = await officer(conn)
        case = (
            await make_cases(
                engine, 1, office_code="HYO", family_size=1, assigned_officer_id=me.officer_id
            )
        )[0]
        yesterday = datetime.now(UTC) - timedelta(days=1)
        await el.record_interview(
            conn,
            me,
            case.number,
            mode=AppointmentMode.REMOTE,
            held_at=yesterday,
            summary="Relata amenazas de un grupo armado.",
        )
        await el.record_assessment(
            conn,
            me,
            case.number,
            grounds=[],
            credibility="Relato inconsistente en fechas.",
            analysis="No se acredita temor fundado.",
            recommendation=el.Recommendation.REJECT,
        )
        await el.decide(conn, SECRETARY, case.number, el.Outcome.REJECTED, "No cumple art. 3.")
        assert (await counts(conn, case.id))[0] == "rejected"

        # the appeal (a claim write: the assigned officer's, not the registry's) needs a new
        # assessment before the second decision
        with pytest.raises(Forbidden):
            await el.file_appeal(conn, REGISTRAR, case.number, "Nuevas pruebas documentales.")
        assert (await counts(conn, case.id))[0] == "rejected"
        await el.file_appeal(conn, me, case.number, "Nuevas pruebas documentales.")
        with pytest.raises(Conflict) as missing:
            await el.decide(conn, SECRETARY, case.number, el.Outcome.RECOGNISED, "Revisado.")
        assert missing.value.code == "NO_ASSESSMENT"
        await el.record_assessment(
            conn,
            me,
            case.number,
            grounds=[el.Ground.POLITICAL_OPINION],
            credibility="Las pruebas nuevas son consistentes.",
            analysis="Temor fundado.",
            recommendation=el.Recommendation.RECOGNISE,
        )
        await el.decide(conn, SECRETARY, case.number, el.Outcome.RECOGNISED, "Cumple art. 3 a.")
        assert await counts(conn, case.id) == ("recognised", 1, 2, 2, 1, 3)
        decisions = await (
            await conn.execute(
                "SELECT instance, outcome FROM case_decision WHERE case_id = %s ORDER BY id",
                (case.id,),
            )
        ).fetchall()
        assert decisions == [("first", "rejected"), ("appeal", "recognised")]


async def test_refusals_change_nothing(database_url: str, engine: AsyncEngine) -> None:
    async with await connect(database_url) as conn:
        me = await officer(conn)
        other = await officer(conn)
        case = (
            await make_cases(
                engine, 1, office_code="HYO", family_size=1, assigned_officer_id=me.officer_id
            )
        )[0]
        before = await counts(conn, case.id)
        with pytest.raises(ValidationFailed) as bad:
            await el.record_interview(
                conn,
                me,
                case.number,
                mode=AppointmentMode.IN_PERSON,
                held_at=datetime.now(UTC) + timedelta(days=2),
                summary=" ",
                language="lengua-inexistente",
            )
        assert [(p.path, p.code) for p in bad.value.problems] == [
            (("summary",), "REQUIRED"),
            (("language",), "UNKNOWN_LANGUAGE"),
            (("heldAt",), "INVALID"),
        ]
        with pytest.raises(ValidationFailed) as bad_assessment:
            await el.record_assessment(
                conn,
                me,
                case.number,
                grounds=[],
                credibility="",
                analysis="",
                recommendation=el.Recommendation.RECOGNISE,
            )
        assert [p.path for p in bad_assessment.value.problems] == [
            ("credibility",),
            ("analysis",),
            ("grounds",),
        ]
        with pytest.raises(Forbidden):
            await el.record_interview(
                conn,
                other,
                case.number,
                mode=AppointmentMode.IN_PERSON,
                held_at=datetime.now(UTC),
                summary="x",
            )
        with pytest.raises(Conflict) as no_interview:
            await el.record_assessment(
                conn,
                me,
                case.number,
                grounds=[],
                credibility="c",
                analysis="a",
                recommendation=el.Recommendation.REJECT,
            )
        assert no_interview.value.code == "NO_INTERVIEW"
        with pytest.raises(Forbidden):
            await el.decide(conn, REGISTRAR, case.number, el.Outcome.REJECTED, "x")
        with pytest.raises(Conflict) as no_assessment:
            await el.decide(conn, SECRETARY, case.number, el.Outcome.REJECTED, "x")
        assert no_assessment.value.code == "NO_ASSESSMENT"
        with pytest.raises(Forbidden):
            await el.file_appeal(conn, REGISTRAR, case.number, "Apelo")
        with pytest.raises(Conflict) as illegal:
            await el.file_appeal(conn, me, case.number, "Apelo")
        assert illegal.value.code == "ILLEGAL_TRANSITION"
        assert await counts(conn, case.id) == before
