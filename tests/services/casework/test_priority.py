"""Prioritisation: scores with reasons from versioned rules, recomputed when rules or
needs change, supervisor overrides shown, queues ordered by the effective score."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.casework import priority
from services.errors import Forbidden, ValidationFailed
from tests.factories import make_cases

SUPERVISOR = Principal(
    role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup", office_code="ICA"
)
REGISTRAR = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg", office_code="ICA"
)


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


def test_score_states_every_reason() -> None:
    rules = priority.file_rules()
    total, reasons = priority.score(
        rules, {"UASC", "SM", "XX"}, "VE", date(2026, 1, 1), date(2026, 1, 22)
    )
    assert [(r.rule, r.points) for r in reasons] == [
        ("necesidad:SM", Decimal(20)),
        ("necesidad:UASC", Decimal(40)),
        ("procedimiento-por-nacionalidad", Decimal(5)),
        ("tiempo-de-espera", Decimal(6)),
    ]
    assert total == Decimal(71)
    assert reasons[-1].explanation == "En espera desde hace 3 semanas"
    # waiting is capped but eventually outranks a fresh urgent case: nobody starves
    old, _ = priority.score(rules, set(), "CO", date(2020, 1, 1), date(2026, 1, 1))
    fresh, _ = priority.score(rules, {"UASC"}, "CO", date(2026, 1, 1), date(2026, 1, 1))
    assert old > fresh


async def test_rules_needs_override_and_queue(database_url: str, engine: AsyncEngine) -> None:
    today = date.today()
    urgent = (
        await make_cases(
            engine,
            1,
            office_code="ICA",
            family_size=1,
            needs=("UM",),
            nationality="CO",
            filing_date=today,
        )
    )[0]
    waiting = (
        await make_cases(
            engine,
            1,
            office_code="ICA",
            family_size=1,
            needs=(),
            nationality="CO",
            filing_date=today - timedelta(weeks=10),
        )
    )[0]
    async with await connect(database_url) as conn:
        # When the shipped rules are put in force
        recomputed = await priority.activate_rules(conn, SUPERVISOR)
        assert recomputed >= 2
        got = await priority.priorities(conn, [urgent.number, waiting.number])
        assert got[urgent.number].score == Decimal(40)
        assert got[waiting.number].score == Decimal(20)
        assert got[urgent.number].rule_version == priority.file_rules()["version"]
        queue = [e.case_number for e in await priority.officer_queue(conn, REGISTRAR)]
        assert queue.index(urgent.number) < queue.index(waiting.number)

        # When the waiting weight doubles (a new version), every open case is recomputed
        rules = priority.file_rules() | {"version": "test-2"}
        rules["waiting"] = rules["waiting"] | {"points_per_week": 5}
        await priority.activate_rules(conn, SUPERVISOR, rules)
        got = await priority.priorities(conn, [urgent.number, waiting.number])
        assert got[waiting.number].score == Decimal(50)
        assert got[waiting.number].rule_version == "test-2"
        queue = [e.case_number for e in await priority.officer_queue(conn, REGISTRAR)]
        assert queue.index(waiting.number) < queue.index(urgent.number)

        # When a need is recorded, the case is recomputed
        await conn.execute(
            "INSERT INTO case_need (case_id, person_id, code) VALUES (%s, %s, 'TR-HO')",
            (urgent.id, urgent.person_ids[0]),
        )
        await priority.recompute_case(conn, urgent.id)
        got = await priority.priorities(conn, [urgent.number])
        assert got[urgent.number].score == Decimal(70)

        # A supervisor's override wins and is shown with its reason
        over = await priority.override(
            conn, SUPERVISOR, waiting.number, Decimal(100), "Riesgo inminente de devolución"
        )
        assert (over.score, over.computed_score) == (Decimal(100), Decimal(50))
        assert over.override_reason == "Riesgo inminente de devolución"
        assert over.override_by == "cepr:cepr-supervisor:sup"
        queue = [e.case_number for e in await priority.officer_queue(conn, REGISTRAR)]
        assert queue[0] == waiting.number
        stored = await (
            await conn.execute("SELECT priority_score FROM case_file WHERE id = %s", (waiting.id,))
        ).fetchone()
        assert stored == (Decimal(100),)
        await priority.activate_rules(conn, SUPERVISOR)


async def test_refusals_change_nothing(database_url: str, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, office_code="ICA", family_size=1))[0]
    async with await connect(database_url) as conn:
        before = await (await conn.execute("SELECT count(*) FROM priority_rule_set")).fetchone()
        with pytest.raises(Forbidden):
            await priority.override(conn, REGISTRAR, case.number, Decimal(5), "x")
        with pytest.raises(ValidationFailed) as refused:
            await priority.override(conn, SUPERVISOR, case.number, Decimal(-1), " ")
        assert [(p.path, p.code) for p in refused.value.problems] == [
            (("reason",), "REQUIRED"),
            (("score",), "OUT_OF_RANGE"),
        ]
        with pytest.raises(ValidationFailed) as bad_rules:
            await priority.activate_rules(
                conn, SUPERVISOR, {"version": "", "needs": {"UASC": {}}, "waiting": {}}
            )
        assert [p.path for p in bad_rules.value.problems] == [
            ("version",),
            ("needs", "UASC", "points"),
            ("waiting", "points_per_week"),
            ("waiting", "max_points"),
        ]
        after = await (await conn.execute("SELECT count(*) FROM priority_rule_set")).fetchone()
        override = await (
            await conn.execute(
                "SELECT count(*) FROM case_priority"
                " WHERE case_id = %s AND override_score IS NOT NULL",
                (case.id,),
            )
        ).fetchone()
    assert before == after
    assert override == (0,)
