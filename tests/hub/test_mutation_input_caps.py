"""Every text a mutation takes is capped: for each string argument and input field of
the whole schema (walked from the schema itself, so a new mutation is covered the day it
is added), an over-long value and a NUL byte are refused with ``VALIDATION_FAILED``,
the field's path, a stable code and a Spanish message — never a 500, nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.errors import VALIDATION_MESSAGE
from hub.graphql import input_caps
from hub.routes_graphql import contract_for
from models.vocab import Role
from schema.build import full_schema
from services.input_limits import DEFAULT_TEXT, FIELD_CAPS
from tests.auth.tokens import mint
from tests.conftest import LiveHub

Path = tuple[str | int, ...]
# A value of each scalar that coercion accepts (the other arguments of each call).
SAMPLES: dict[str, Any] = {
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "String": "a",
    "ID": "1",
    "Date": "2020-01-02",
    "DateTime": "2030-01-02T10:00:00Z",
}
# Roles tried in order for each mutation: the first whose contract has it sends it.
CALLERS: list[tuple[Role, dict[str, str]]] = [
    (Role.PUBLIC, {}),
    *(
        (role, {"Authorization": f"Bearer {mint(role.value, office='LIM')}"})
        for role in (
            Role.CEPR_REGISTRAR,
            Role.CEPR_SUPERVISOR,
            Role.CEPR_ELIGIBILITY,
            Role.CEPR_SECRETARY,
        )
    ),
    (Role.APPLICANT, {"Authorization": f"Bearer {mint('applicant', person=1)}"}),
]
# Tables the refused attempts may write to: the log of the attempts itself.
LOG_TABLES = ("access_log", "write_change", "rate_window", "persisted_query")


def text_paths(kind: GraphQLInputType, path: Path) -> Iterator[Path]:
    """Every path to a text value under an input of type ``kind`` (lists: item 0)."""
    named = get_named_type(kind)
    if isinstance(named, GraphQLInputObjectType):
        for name, field in named.fields.items():
            inner = (*path, name, 0) if _is_list(field.type) else (*path, name)
            yield from text_paths(field.type, inner)
    elif isinstance(named, GraphQLScalarType) and named.name not in ("Int", "Float", "Boolean"):
        yield path


def _is_list(kind: GraphQLInputType) -> bool:
    return isinstance(kind.of_type if isinstance(kind, GraphQLNonNull) else kind, GraphQLList)


def sample(kind: GraphQLInputType) -> Any:
    """A value of ``kind`` with every required field filled."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        return [sample(kind.of_type)]
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: sample(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    assert isinstance(kind, GraphQLScalarType)
    return SAMPLES[kind.name]


def with_value(container: Any, kind: GraphQLInputType, path: Path, value: str) -> Any:
    """``container`` (a value of ``kind``) with ``value`` at ``path``."""
    if not path:
        return value
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    head, rest = path[0], path[1:]
    if isinstance(kind, GraphQLList):
        items = list(container or [sample(kind.of_type)])
        items[0] = with_value(items[0], kind.of_type, rest, value)
        return items
    assert isinstance(kind, GraphQLInputObjectType) and isinstance(head, str)
    field = kind.fields[head]
    current = (container or {}).get(head, sample(field.type))
    return {**(container or {}), head: with_value(current, field.type, rest, value)}


def request(name: str, field: GraphQLField, path: Path, value: str) -> dict[str, Any]:
    """A mutation calling ``name`` with ``value`` at ``path`` and samples elsewhere."""
    variables: dict[str, Any] = {}
    for arg_name, arg in field.args.items():
        if arg_name == path[0]:
            variables[arg_name] = with_value(sample(arg.type), arg.type, path[1:], value)
        elif isinstance(arg.type, GraphQLNonNull):
            variables[arg_name] = sample(arg.type)
    definitions = ", ".join(f"${a}: {field.args[a].type}" for a in variables)
    arguments = ", ".join(f"{a}: ${a}" for a in variables)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return {
        "query": f"mutation Tope({definitions}) {{ {name}({arguments}){selection} }}",
        "variables": variables,
    }


def caller(name: str) -> dict[str, str]:
    for role, headers in CALLERS:
        mutation = contract_for(role).schema.mutation_type
        if mutation is not None and name in mutation.fields:
            return headers
    raise AssertionError(f"no role can call {name}")


async def table_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        tables = (
            await conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> ALL(:log) ORDER BY tablename"
                ),
                {"log": list(LOG_TABLES)},
            )
        ).scalars()
        return {
            t: (await conn.execute(text(f'SELECT count(*) FROM "{t}"'))).scalar_one()
            for t in list(tables)
        }


async def test_every_mutation_text_is_capped(live_hub: LiveHub, engine: AsyncEngine) -> None:
    mutation = full_schema()._schema.mutation_type
    assert mutation is not None
    before = await table_counts(engine)
    checked: list[tuple[str, Path]] = []
    with httpx.Client(timeout=60) as client:
        for name, field in mutation.fields.items():
            headers = caller(name)
            for arg_name, arg in field.args.items():
                start = (arg_name, 0) if _is_list(arg.type) else (arg_name,)
                for path in text_paths(arg.type, start):
                    leaf = next(p for p in reversed(path) if isinstance(p, str))
                    cap = FIELD_CAPS.get(leaf, DEFAULT_TEXT)
                    for value, code in (
                        ("x" * (cap + 1), "TOO_LONG"),
                        ("a\x00b", "INVALID_CHARACTERS"),
                    ):
                        # When the mutation is sent with that one value wrong
                        response = client.post(
                            f"{live_hub.url}/graphql",
                            json=request(name, field, path, value),
                            headers=headers,
                        )
                        # Then it is refused, naming the field, before anything runs
                        where = f"{name} {path} {code}"
                        assert response.status_code == 200, (where, response.text)
                        body = response.json()
                        assert body["data"] is None, where
                        (error,) = body["errors"]
                        assert error["extensions"]["code"] == "VALIDATION_FAILED", where
                        assert error["message"] == VALIDATION_MESSAGE, where
                        (problem,) = error["extensions"]["problems"]
                        assert (problem["path"], problem["code"]) == (list(path), code), where
                        assert problem["message"].startswith("El texto "), where
                    checked.append((name, path))
    # the walk reached the free texts the issue names, among all the others
    for expected in [
        ("changeCaseStatus", ("reason",)),
        ("registerCase", ("input", "needs", 0, "detail")),
        ("registerCase", ("input", "profiles", 0, "languages", 0)),
        ("registerCase", ("input", "profiles", 0, "profession")),
        ("recordInterview", ("summary",)),
        ("preRegister", ("input", "dependants", 0, "givenNames")),
    ]:
        assert expected in checked, expected
    assert len(checked) >= 60
    # and nothing was stored by any of them
    assert await table_counts(engine) == before


def test_literal_texts_inside_fragments_are_capped_too(live_hub: LiveHub) -> None:
    # Given a reason written into the document (no variable), behind a fragment spread
    query = (
        "mutation { ...Mover } fragment Mover on Mutation { changeCaseStatus(caseNumber: 1,"
        ' to: UNDER_REVIEW, reason: "motivo\\u0000oculto") { toStatus } }'
    )
    headers = {"Authorization": f"Bearer {mint('cepr-supervisor', office='LIM')}"}
    # When it is sent
    body = httpx.post(
        f"{live_hub.url}/graphql", json={"query": query}, headers=headers, timeout=60
    ).json()
    # Then it is refused like a variable would be, naming the argument
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [(p["path"], p["code"]) for p in error["extensions"]["problems"]] == [
        (["reason"], "INVALID_CHARACTERS")
    ]
    assert body["data"] is None


def test_no_query_argument_may_hold_a_control_character(live_hub: LiveHub) -> None:
    # Given lookups whose text arguments once took a NUL to PostgreSQL (INTERNAL_SERVER_ERROR)
    migraciones = {
        "Authorization": f"Bearer {mint('migraciones', purpose='deportation-protection')}",
        "X-Purpose": "deportation-protection",
    }
    supervisor = {"Authorization": f"Bearer {mint('cepr-supervisor', office='LIM')}"}
    lookups = [
        (
            migraciones,
            "query($n: String!) { protectionStatus(document: {type: NATIONAL_ID,"
            ' number: $n, issuingCountry: "VE"}) { found } }',
            ["document", "number"],
        ),
        (
            supervisor,
            "query($n: String!) { cases(first: 1, filter: {officeCodes: [$n]})"
            " { edges { node { number } } } }",
            ["filter", "officeCodes", 0],
        ),
        (supervisor, "query($n: String!) { accessLog(agency: $n) { id } }", ["agency"]),
        (
            supervisor,
            "query($n: String!) { appointmentSlots(officeCode: $n) { id } }",
            ["officeCode"],
        ),
    ]
    for headers, query, path in lookups:
        # When one is sent with a NUL in that argument
        response = httpx.post(
            f"{live_hub.url}/graphql",
            json={"query": query, "variables": {"n": "LIM\x00"}},
            headers=headers,
            timeout=60,
        )
        # Then it is refused with the argument's path, never a 500 or an internal error
        assert response.status_code == 200, response.text
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "VALIDATION_FAILED", (query, error)
        assert [(p["path"], p["code"]) for p in error["extensions"]["problems"]] == [
            (path, "INVALID_CHARACTERS")
        ]
    # and a long text in a query is not a mutation's input: lengths are not capped there
    long_number = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": lookups[0][1], "variables": {"n": "9" * 5000}},
        headers=migraciones,
        timeout=60,
    ).json()
    assert long_number["data"]["protectionStatus"]["found"] is False


def test_the_scan_for_control_characters_sees_every_encoding() -> None:
    assert input_caps.may_hold_controls(b'{"v": "a\\u0000b"}')  # JSON escape
    assert input_caps.may_hold_controls(b'{"v": "a\\u001Fb"}')
    assert input_caps.may_hold_controls(unquote("variables=%7B%22v%22%3A%22a%00%22%7D"))  # GET
    assert input_caps.may_hold_controls(unquote("variables=%7B%22v%22%3A%22a%5Cu0000%22%7D"))
    assert input_caps.may_hold_controls('{ f(a: "x\\u0000") }')  # in the document itself
    # tab, line feed and carriage return are text
    assert not input_caps.may_hold_controls(b'{"v": "a\\tb\\nc\\r\\u0009\\u000a\\u000d"}')
    assert not input_caps.may_hold_controls(unquote("query=%7B%20f%20%7D%0A%09"))
