"""Bad input gets a stable code and a Spanish message, never an internal error."""

from __future__ import annotations

from typing import Any

import pytest

from hub.errors import format_error
from hub.state import HubState
from tests.resolvers.test_statement_count import SUPERVISOR, run_as


async def errors_of(
    state: HubState, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    result = await run_as(state, SUPERVISOR, query, variables)
    return [format_error(e) for e in result.errors or []]


async def test_unknown_case_number_is_case_not_found(hub_state: HubState) -> None:
    errors = await errors_of(hub_state, "{ case(number: 1) { number } }")
    assert [(e["extensions"]["code"], e["path"]) for e in errors] == [("CASE_NOT_FOUND", ["case"])]
    assert errors[0]["message"] == "No existe el expediente 1."


async def test_cursor_from_nowhere_is_invalid_cursor(hub_state: HubState) -> None:
    errors = await errors_of(hub_state, '{ cases(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }')
    assert errors[0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert errors[0]["extensions"]["problems"] == [
        {
            "path": ["after"],
            "code": "INVALID_CURSOR",
            "message": "El cursor no es válido para esta lista.",
        }
    ]


@pytest.mark.parametrize("first", [-1, 1001])
async def test_page_size_out_of_range_is_refused(hub_state: HubState, first: int) -> None:
    errors = await errors_of(
        hub_state, "query($f: Int!) { cases(first: $f) { edges { cursor } } }", {"f": first}
    )
    assert errors[0]["extensions"]["problems"][0]["code"] == "INVALID_PAGE_SIZE"


async def test_person_id_that_is_not_a_number_is_invalid_id(hub_state: HubState) -> None:
    errors = await errors_of(hub_state, '{ person(id: "abc") { fullName } }')
    assert errors[0]["extensions"]["problems"][0]["code"] == "INVALID_ID"


async def test_filter_of_the_wrong_type_is_a_variable_error(hub_state: HubState) -> None:
    errors = await errors_of(
        hub_state,
        "query($f: CaseFilter) { cases(filter: $f) { edges { cursor } } }",
        {"f": {"statuses": ["NOT_A_STATUS"]}},
    )
    # a badly typed value is a Spanish field problem with its path (hub.graphql.coercion_errors)
    assert errors[0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert errors[0]["message"] == "Los datos enviados no son válidos; revise los campos señalados."
    assert errors[0]["extensions"]["problems"] == [
        {
            "path": ["f", "statuses", 0],
            "code": "INVALID_OPTION",
            "message": "Elija una de las opciones de la lista.",
        }
    ]
