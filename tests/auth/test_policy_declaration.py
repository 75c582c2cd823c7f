"""The policy declaration covers every field served, and nothing else; contracts are current."""

from __future__ import annotations

import pytest
from graphql import GraphQLSchema

from auth.contracts import stale_contracts
from auth.enforce import allowed_scope
from auth.policy import AGENCY_ROLES, FIELDS, MATRIX, field_category
from hub.routes_graphql import contract_for
from models.vocab import Role
from schema.build import SUBGRAPHS, full_schema, subgraph_schema

# Federation plumbing types that graphql-core / Strawberry add, not data.
INTERNAL_TYPES = {"_Service"}


def _served_schemas() -> dict[str, GraphQLSchema]:
    schemas = {"full": full_schema()._schema}
    schemas.update({name: subgraph_schema(name)._schema for name in SUBGRAPHS})
    return schemas


def _fields(schema: GraphQLSchema) -> set[tuple[str, str]]:
    found = set()
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or not hasattr(graphql_type, "fields"):
            continue
        if getattr(graphql_type, "is_input_type", False) or type(graphql_type).__name__ == (
            "GraphQLInputObjectType"
        ):
            continue
        found |= {(name, f) for f in graphql_type.fields}
    return found


@pytest.mark.parametrize("schema_name", ["full", *SUBGRAPHS])
def test_every_served_field_has_a_declared_category(schema_name: str) -> None:
    schema = _served_schemas()[schema_name]
    undeclared = sorted(f"{t}.{f}" for t, f in _fields(schema) if field_category(t, f) is None)
    assert undeclared == [], f"fields without a policy declaration: {undeclared}"


def test_every_declaration_names_a_served_field() -> None:
    served: set[tuple[str, str]] = set()
    for schema in _served_schemas().values():
        served |= _fields(schema)
    stale = sorted(
        f"{t}.{f}" for t, fields in FIELDS.items() for f in fields if (t, f) not in served
    )
    assert stale == [], f"declarations for fields that no longer exist: {stale}"


def test_claim_data_never_reaches_another_agency_or_the_public() -> None:
    claim_fields = [
        (t, f) for t, fields in FIELDS.items() for f, c in fields.items() if c.startswith("claim")
    ]
    for role in (*AGENCY_ROLES, Role.PUBLIC):
        readable = [(t, f) for t, f in claim_fields if allowed_scope(role, t, f) is not None]
        assert readable == [], f"{role} can read claim fields {readable}"
        assert all(not c.startswith("claim") for c in MATRIX[role])


@pytest.mark.parametrize("role", list(Role))
def test_contract_shows_only_what_the_role_may_ever_read(role: Role) -> None:
    # Given the contract served to a role
    schema = contract_for(role).schema
    # Then every field in it is allowed for the role by the declaration, and no other
    for type_name, field_name in _fields(schema):
        if type_name in INTERNAL_TYPES:
            continue
        assert allowed_scope(role, type_name, field_name) is not None, (type_name, field_name)
    assert "_service" not in schema.query_type.fields  # type: ignore[union-attr]


def test_committed_contracts_match_the_code() -> None:
    assert stale_contracts() == [], "run `qhub policy contracts` and commit schema/contracts/"
