"""Reading the claim of a list of cases (``Case.claim``) costs the same number of SQL
statements for 1 case as for 100 (issue 12: claim reads served in bulk)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import count_statements
from hub.state import HubState
from tests.factories import make_cases
from tests.resolvers.test_statement_count import SUPERVISOR, run_as

LIST = """
query Claims($first: Int!) {
  cases(first: $first, filter: {officeCodes: ["PIU"]}) {
    edges { node { number claim { interviews { summary } decisions { outcome reasons } } } }
  }
}
"""


@pytest.fixture(scope="module")
async def piu_cases(engine: AsyncEngine) -> list[Any]:
    async with engine.begin() as conn:
        await conn.execute(
            text("DELETE FROM case_file WHERE office_id = (SELECT id FROM office WHERE code='PIU')")
        )
    cases = await make_cases(engine, 100, office_code="PIU", family_size=1)
    async with engine.begin() as conn:
        # claim records written before sealing (the legacy form: a 0x00 byte, then text)
        await conn.execute(
            text(
                "INSERT INTO interview_record (case_id, mode, held_at, summary, language,"
                " interpreter, interviewer) SELECT id, 'in_person', now(),"
                " '\\x00'::bytea || convert_to('Relato', 'UTF8'), 'spa', false, 'test'"
                " FROM case_file WHERE id = ANY(:ids)"
            ),
            {"ids": [c.id for c in cases]},
        )
    return cases


@pytest.mark.parametrize("size", [1, 10, 100])
async def test_claim_reads_do_not_grow_with_the_list(
    engine: AsyncEngine, hub_state: HubState, piu_cases: list[Any], size: int
) -> None:
    # Given 100 cases with an interview each
    # When a supervisor lists `size` of them with their claim
    with count_statements(engine) as counter:
        result = await run_as(hub_state, SUPERVISOR, LIST, {"first": size})
    # Then every claim came back, with the same statements for any size
    assert result.errors is None, result.errors
    edges = result.data["cases"]["edges"]  # type: ignore[index]
    assert len(edges) == size
    assert all(e["node"]["claim"]["interviews"] == [{"summary": "Relato"}] for e in edges)
    # cases page, then the claim: data keys and the four record tables (one round trip)
    assert counter.count == 6, counter.statements
