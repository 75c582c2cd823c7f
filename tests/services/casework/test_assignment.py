"""Automatic assignment: concurrent assigners never take the same case nor exceed an
officer's capacity; profiles are respected; an unavailable officer's cases are handed on."""

from __future__ import annotations

import asyncio
from itertools import count
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.casework import assignment
from services.errors import Forbidden, ValidationFailed
from tests.factories import make_cases

SUPERVISOR = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup")
_n = count(1)


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


async def add_officers(
    database_url: str, office: str, profiles: list[list[str]], capacity: int
) -> list[int]:
    async with await connect(database_url) as conn:
        ids = []
        for p in profiles:
            row = await (
                await conn.execute(
                    "INSERT INTO officer (username, full_name, role, office_id, profiles, capacity)"
                    " SELECT %s, 'Oficial de prueba', 'cepr-eligibility', id, %s, %s"
                    " FROM office WHERE code = %s RETURNING id",
                    (f"elig-{office}-{next(_n)}", p, capacity, office),
                )
            ).fetchone()
            assert row is not None
            ids.append(row[0])
        return ids


async def loads(database_url: str, officer_ids: list[int]) -> dict[int, int]:
    async with await connect(database_url) as conn:
        rows = await (
            await conn.execute(
                "SELECT o.id, count(c.id) FROM officer o LEFT JOIN case_file c"
                " ON c.assigned_officer_id = o.id AND c.status IN ('under_review', 'appeal')"
                " WHERE o.id = ANY(%s) GROUP BY o.id",
                (officer_ids,),
            )
        ).fetchall()
    return {r[0]: r[1] for r in rows}


async def test_concurrent_assigners_never_share_a_case(
    database_url: str, engine: AsyncEngine
) -> None:
    # Given 60 unassigned cases under review and 3 officers with 15 places each
    officers = await add_officers(database_url, "PIU", [["general"]] * 3, capacity=15)
    cases = await make_cases(
        engine, 60, office_code="PIU", family_size=1, status="under_review", needs=()
    )

    # When 6 supervisors run the assignment at the same time, 20 cases each
    async def run() -> assignment.AssignmentRun:
        async with await connect(database_url) as conn:
            return await assignment.assign_cases(conn, SUPERVISOR, "PIU", limit=20)

    runs = await asyncio.gather(*(run() for _ in range(6)))

    # Then 45 cases are assigned exactly once, each officer is full, none beyond capacity
    assigned = [a.case_number for r in runs for a in r.assigned]
    assert len(assigned) == 45
    assert len(set(assigned)) == 45
    assert await loads(database_url, officers) == {o: 15 for o in officers}
    async with await connect(database_url) as conn:
        per_case = await (
            await conn.execute(
                "SELECT c.number, count(a.id), min(a.rule_version) FROM case_file c"
                " LEFT JOIN case_assignment a ON a.case_id = c.id"
                " WHERE c.number = ANY(%s) GROUP BY c.number",
                ([c.number for c in cases],),
            )
        ).fetchall()
    assert sorted(n for _, n, _ in per_case) == [0] * 15 + [1] * 45
    assert {v for _, n, v in per_case if n} == {assignment.RULE_VERSION}
    left = {n for r in runs for n in r.unassigned}
    assert left == {c.number for c in cases} - set(assigned)


async def test_profiles_and_reassignment(database_url: str, engine: AsyncEngine) -> None:
    general, child_specialist, spare = await add_officers(
        database_url, "TCQ", [["general"], ["general", "children"], ["general"]], capacity=10
    )
    child_case = (
        await make_cases(
            engine, 1, office_code="TCQ", family_size=1, status="under_review", needs=("UM",)
        )
    )[0]
    adults = await make_cases(
        engine, 4, office_code="TCQ", family_size=1, status="under_review", needs=()
    )
    async with await connect(database_url) as conn:
        run = await assignment.assign_cases(conn, SUPERVISOR, "TCQ")
        by_case = {a.case_number: a.officer_id for a in run.assigned}
        assert by_case[child_case.number] == child_specialist
        assert run.unassigned == []
        assert sorted((await loads(database_url, [general, child_specialist, spare])).values()) == [
            1,
            2,
            2,
        ]

        # When the child specialist becomes unavailable, nobody else may take the child case
        moved = await assignment.reassign_unavailable(conn, SUPERVISOR, child_specialist)
        assert child_case.number in moved.unassigned
        assert all(a.officer_id in (general, spare) for a in moved.assigned)
        assert all(a.previous_officer_id == child_specialist for a in moved.assigned)
        assert (await loads(database_url, [child_specialist]))[child_specialist] == 0
        row = await (
            await conn.execute(
                "SELECT assigned_officer_id FROM case_file WHERE id = %s", (child_case.id,)
            )
        ).fetchone()
        assert row == (None,)
    assert {c.number for c in adults} <= set(by_case)


async def test_refusals_change_nothing(database_url: str) -> None:
    registrar = Principal(
        role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="LIM"
    )
    async with await connect(database_url) as conn:
        before = await (await conn.execute("SELECT count(*) FROM case_assignment")).fetchone()
        with pytest.raises(Forbidden):
            await assignment.assign_cases(conn, registrar, "LIM")
        with pytest.raises(ValidationFailed) as refused:
            await assignment.assign_cases(conn, SUPERVISOR, "XXX", limit=0)
        assert [(p.path, p.code) for p in refused.value.problems] == [(("limit",), "OUT_OF_RANGE")]
        after = await (await conn.execute("SELECT count(*) FROM case_assignment")).fetchone()
    assert before == after
