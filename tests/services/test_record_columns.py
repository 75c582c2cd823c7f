"""Read records describe their own SELECT lists (services.record_columns)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.policy import RowScope
from hub.state import HubState
from models.core import Person
from services import case_queries as q
from services.record_columns import select_list
from services.records import PersonRecord
from tests.factories import make_cases


def test_the_select_list_is_the_record_s_fields_in_order() -> None:
    # Given the person record, When its SELECT list is made
    sql = select_list(PersonRecord, Person, "p")
    # Then each field but the row scope is a column of the model, in the record's order
    names = [part.split(".")[1] for part in sql.split(", ")]
    assert names == [f for f in PersonRecord.__dataclass_fields__ if f != "row_scope"]


def test_a_field_that_is_no_column_nor_expression_fails_at_once() -> None:
    # Given a record with a field the model lacks
    @dataclass
    class Wrong:
        id: int
        nickname: str

    # When / Then making its SELECT list fails, naming the field
    with pytest.raises(LookupError, match=r"Wrong\.nickname: not a column of Person"):
        select_list(Wrong, Person, "p")
    # and an expression for a field the record lacks fails too
    with pytest.raises(LookupError, match="has no field"):
        select_list(PersonRecord, Person, "p", expressions={"nickname": "'x'"})


@dataclass
class _BirthAsText:
    id: int
    birth_date: str


@dataclass
class _SurnameAlwaysThere:
    id: int
    maternal_surname: str


def test_a_field_whose_type_is_not_its_column_s_fails_at_once() -> None:
    # Given records that disagree with the model on a type, or on whether it can be null
    # When / Then making their SELECT lists fails, naming the field and the column's type
    with pytest.raises(TypeError, match=r"_BirthAsText\.birth_date: the column \w+ is date$"):
        select_list(_BirthAsText, Person, "p")
    with pytest.raises(
        TypeError, match=r"_SurnameAlwaysThere\.maternal_surname: .* is str \| None$"
    ):
        select_list(_SurnameAlwaysThere, Person, "p")


async def test_records_are_built_by_column_name(engine: AsyncEngine, hub_state: HubState) -> None:
    # Given a case of two members
    made = (await make_cases(engine, 1, office_code="TBP", family_size=2))[0]
    async with hub_state.pool.connection() as conn:
        # When the case and its principal are read
        case = await q.case_by_number(conn, made.number)
        (person,) = await q.persons_by_ids(conn, [made.person_ids[0]])
    # Then every field holds its own column's value
    assert (case.number, case.office_code, case.member_ids) == (
        made.number,
        "TBP",
        made.person_ids,
    )
    assert case.principal_id == made.person_ids[0]
    assert case.row_scope == RowScope(tuple(made.person_ids), frozenset({"TBP"}), frozenset())
    assert person is not None and person.id == made.person_ids[0]
    assert person.row_scope.person_ids == (person.id,)
    assert person.row_scope.office_codes == frozenset({"TBP"})
