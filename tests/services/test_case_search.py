"""The officers' search: case number, identity document, or a name typed as people type it
(no accents, a typo, surnames first), only among the cases the caller may list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.case_search import fold, name_score, search_cases
from services.errors import ValidationFailed
from tests.factories import MadeCase, make_cases

REGISTRAR_LIM = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="LIM"
)
REGISTRAR_TCQ = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="t", office_code="TCQ"
)
SUPERVISOR = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="s")
ELIGIBILITY = Principal(
    role=Role.CEPR_ELIGIBILITY, agency=Agency.CEPR, subject="e", office_code="LIM", officer_id=-7
)


@pytest.fixture(scope="module")
async def named_case(engine: AsyncEngine) -> MadeCase:
    """A Lima case whose principal is María José Quilcahuamán Ñaupari, passport AB-123 456."""
    (case,) = await make_cases(engine, 1, office_code="LIM", family_size=2, needs=())
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE person SET given_names = 'María José', paternal_surname = 'Quilcahuamán',"
                " maternal_surname = 'Ñaupari' WHERE id = :p"
            ),
            {"p": case.person_ids[0]},
        )
        await conn.execute(
            text(
                "INSERT INTO identity_document (person_id, doc_type, number, issuing_country)"
                " VALUES (:p, 'passport', 'AB-123 456', 'VE')"
            ),
            {"p": case.person_ids[0]},
        )
    return case


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[Any]:
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as c:
        yield c


async def numbers(conn: Any, who: Principal, query: str) -> list[int]:
    return [c.number for c in await search_cases(conn, who, query)]


def test_names_are_folded_and_scored_word_by_word() -> None:
    assert fold("  María-José  QUILCAHUAMÁN ñaupari ") == "maria jose quilcahuaman naupari"
    name = "maria jose quilcahuaman naupari"
    assert name_score(["quilcahuaman"], name) == 100.0
    assert 85 < name_score(["quilcawaman", "naupari"], name) < 100
    assert name_score(["quilcahuaman", "rodriguez"], name) == 0.0  # every word must match


@pytest.mark.parametrize(
    "query",
    [
        "Maria Jose Quilcahuaman Naupari",  # no accents
        "ñaupari quilcahuamán maría",  # surnames first, in the other order
        "Quilcawaman Ñaupari",  # a typo, no given names
        "AB123456",  # the passport, written without its dash and space
        "ab-123 456",
    ],
)
async def test_the_case_is_found_first(conn: Any, named_case: MadeCase, query: str) -> None:
    found = await numbers(conn, REGISTRAR_LIM, query)
    assert found[0] == named_case.number


async def test_a_case_number_finds_that_case_alone(conn: Any, named_case: MadeCase) -> None:
    assert await numbers(conn, SUPERVISOR, str(named_case.number)) == [named_case.number]


async def test_only_the_callers_cases_are_searched(conn: Any, named_case: MadeCase) -> None:
    # a registrar of another office and an eligibility officer not assigned find nothing
    assert await numbers(conn, REGISTRAR_TCQ, "Quilcahuaman Naupari") == []
    assert await numbers(conn, ELIGIBILITY, "AB123456") == []
    # a supervisor (all offices) finds it
    assert named_case.number in await numbers(conn, SUPERVISOR, "Quilcahuaman Naupari")


async def test_a_search_too_short_is_refused_with_its_field(conn: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await search_cases(conn, SUPERVISOR, " é ")
    assert refused.value.code == "VALIDATION_FAILED"
    assert [(p.path, p.code) for p in refused.value.problems] == [(("text",), "INVALID_SEARCH")]
