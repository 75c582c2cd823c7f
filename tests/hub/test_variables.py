"""Compiled variable coercion gives graphql-core's result for valid variables and steps
aside (None) for anything else, so graphql-core reports the error."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from graphql.execution.values import VariableValues, get_variable_values

from hub.graphql.variables import compile_variables
from schema.build import full_schema

SCHEMA = full_schema()._schema

LOOKUP = "query($doc: DocumentInput!) { protectionStatus(document: $doc) { protected } }"
BATCH = "query($docs: [DocumentInput!]!) { protectionStatuses(documents: $docs) { protected } }"
CASES = """query($f: CaseFilter, $first: Int = 20) {
  cases(first: $first, filter: $f) { edges { cursor } } }"""
DOC = {"type": "PASSPORT", "number": "123456", "issuingCountry": "VE"}

VALID = [
    (LOOKUP, {"doc": DOC}),
    (BATCH, {"docs": [DOC, {**DOC, "number": "99"}]}),
    (BATCH, {"docs": DOC}),  # a single value is a list of one
    (CASES, {}),  # $first from its default, $f omitted
    (CASES, {"f": None, "first": 5}),
    (CASES, {"f": {"officeCodes": "LIM", "statuses": ["REGISTERED"]}}),
    (CASES, {"f": {"filedFrom": "2025-01-31", "filedTo": "2025-12-31"}}),
    (CASES, {"f": {}}),  # every field from its default
]
INVALID = [
    (LOOKUP, {}),  # required variable missing
    (LOOKUP, {"doc": None}),
    (LOOKUP, {"doc": {**DOC, "type": "PASAPORTE"}}),  # not an enum value
    (LOOKUP, {"doc": {**DOC, "number": 123456}}),  # Int where a String is required
    (LOOKUP, {"doc": {**DOC, "extra": 1}}),  # unknown field
    (LOOKUP, {"doc": {"type": "PASSPORT", "number": "1"}}),  # required field missing
    (LOOKUP, {"doc": "PASSPORT 123456"}),
    (BATCH, {"docs": [DOC, None]}),
    (CASES, {"first": "veinte"}),
    (CASES, {"first": 2**40}),  # beyond GraphQL's Int
    (CASES, {"f": {"filedFrom": "31/01/2025"}}),
    (CASES, {"f": {"statuses": ["registered"]}}),  # enum values by name only
]


def _operation(query: str) -> OperationDefinitionNode:
    node = parse(query).definitions[0]
    assert isinstance(node, OperationDefinitionNode)
    return node


@pytest.mark.parametrize(("query", "variables"), VALID)
def test_valid_variables_are_coerced_as_graphql_core_does(
    query: str, variables: dict[str, Any]
) -> None:
    operation = _operation(query)
    coercer = compile_variables(SCHEMA, operation.variable_definitions)
    assert coercer is not None
    fast = coercer(variables)
    expected = get_variable_values(SCHEMA, operation.variable_definitions, variables)
    assert isinstance(expected, VariableValues)
    assert fast is not None
    assert fast.coerced == expected.coerced
    assert _sources(fast) == _sources(expected)


def _sources(values: VariableValues) -> dict[str, Any]:
    # graphql-core builds a new signature object per call: compare what it says
    return {
        name: (s.signature.name, str(s.signature.type), s.signature.default, s.value)
        for name, s in values.sources.items()
    }


@pytest.mark.parametrize(("query", "variables"), INVALID)
def test_invalid_variables_are_left_to_graphql_core(query: str, variables: dict[str, Any]) -> None:
    operation = _operation(query)
    coercer = compile_variables(SCHEMA, operation.variable_definitions)
    assert coercer is not None
    assert coercer(variables) is None
    # and graphql-core indeed refuses them (with its own message)
    assert isinstance(get_variable_values(SCHEMA, operation.variable_definitions, variables), list)


def test_values_nested_beyond_the_limit_are_left_to_graphql_core() -> None:
    operation = _operation(BATCH)
    coercer = compile_variables(SCHEMA, operation.variable_definitions)
    assert coercer is not None
    deep: Any = DOC
    for _ in range(40):
        deep = [deep]
    assert coercer({"docs": deep}) is None
