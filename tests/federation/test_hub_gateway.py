"""The hub's real subgraphs behind Hive Gateway: composition, routing, and the same answers.

A live hub (uvicorn, real PostgreSQL) serves its subgraphs at /subgraphs/<name>/graphql; they
are composed (with an agency's own subgraph joining ``Person`` by key) and served by a real
Hive Gateway. Tokens are the hub's own (``qhub token``), verified by the gateway against the
hub's ``/.well-known/jwks.json`` and again by the hub's subgraphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from federation.compose import Subgraph, compose, hub_subgraphs
from federation.gateway import Gateway
from hub.settings import load_settings
from schema.build import SUBGRAPHS
from tests.conftest import LiveHub, free_port
from tests.factories import MadeCase, make_cases
from tests.federation.conftest import ServerThread

# --- an agency's own subgraph joining the hub's Person by its key -------------------------------


@strawberry.type
class Visit:
    post: str
    date: str


@strawberry.federation.type(keys=["id"], name="Person")
class AgencyPerson:
    id: strawberry.ID

    @strawberry.field
    def border_visits(self) -> list[Visit]:
        return [Visit(post="Tacna", date=f"2026-01-{len(str(self.id)) % 28 + 1:02d}")]

    @classmethod
    def resolve_reference(cls, **rep: Any) -> AgencyPerson:
        return AgencyPerson(id=strawberry.ID(str(rep["id"])))


@strawberry.type
class AgencyQuery:
    @strawberry.field
    def posts(self) -> list[str]:
        return ["Tacna", "Tumbes", "Callao"]


def agency_app() -> Starlette:
    schema = strawberry.federation.Schema(
        query=AgencyQuery, types=[AgencyPerson], federation_version="2.9"
    )
    return Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["GET", "POST"])])


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def hub_cases(engine: AsyncEngine) -> list[MadeCase]:
    return await make_cases(engine, 2)


@pytest.fixture(scope="module")
async def hub_document(engine: AsyncEngine, hub_cases: list[MadeCase]) -> dict[str, str]:
    """The identity document of the first case's principal, as a DocumentInput."""
    from sqlalchemy import text

    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT doc_type, number, issuing_country FROM identity_document"
                    " WHERE person_id = :p ORDER BY id LIMIT 1"
                ),
                {"p": hub_cases[0].person_ids[0]},
            )
        ).one()
    return {"type": row[0].upper(), "number": row[1], "issuingCountry": row[2]}


@pytest.fixture(scope="module")
def agency_border() -> Iterator[ServerThread]:
    server = ServerThread(agency_app()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def hub_supergraph(
    federation_tools: Path,
    live_hub: LiveHub,
    agency_border: ServerThread,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    out = tmp_path_factory.mktemp("hub-supergraph") / "supergraph.graphql"
    external = Subgraph("border", f"{agency_border.url}/graphql")
    compose([*hub_subgraphs(live_hub.url), external], out)
    return out


def _gateway(live_hub: LiveHub, supergraph: Path, log: Path, anonymous: bool) -> Gateway:
    settings = load_settings()
    return Gateway(
        live_hub.url,
        free_port(),
        supergraph,
        log=log,
        issuer=settings.issuer,
        audience=settings.audience,
        anonymous=anonymous,
    )


@pytest.fixture(scope="module")
def hub_gateway(
    hub_supergraph: Path, live_hub: LiveHub, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    log = tmp_path_factory.mktemp("hub-gateway") / "gateway.log"
    with _gateway(live_hub, hub_supergraph, log, anonymous=False) as gw:
        yield gw


@pytest.fixture(scope="module")
def anonymous_gateway(
    hub_supergraph: Path, live_hub: LiveHub, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    log = tmp_path_factory.mktemp("hub-gateway-anon") / "gateway.log"
    with _gateway(live_hub, hub_supergraph, log, anonymous=True) as gw:
        yield gw


def gql(url: str, query: str, token: str | None = None, purpose: str | None = None) -> Any:
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(url, json={"query": query}, headers=headers, timeout=30)
    return response.status_code, response.json()


# --- tests --------------------------------------------------------------------------------------


def test_the_hubs_subgraphs_and_an_agencys_compose(hub_supergraph: Path, live_hub: LiveHub) -> None:
    sdl = hub_supergraph.read_text()
    for name in SUBGRAPHS:
        assert f'"{name}", url: "{live_hub.url}/subgraphs/{name}/graphql"' in sdl
    assert '@join__type(graph: BORDER, key: "id")' in sdl
    assert "https://specs.apollo.dev/requiresScopes/v0.1" in sdl


def test_public_fields_answer_the_same_through_the_gateway(
    anonymous_gateway: Gateway, live_hub: LiveHub
) -> None:
    # Given no token (the gateway lets anonymous callers reach public fields only)
    query = "{ offices { code name } specificNeedCodes { code } }"
    # When the same query goes to the hub directly and through the gateway
    direct = gql(f"{live_hub.url}/graphql", query)
    through = gql(anonymous_gateway.url, query)
    # Then both answer the same
    assert direct[0] == 200 and direct[1]["data"]["offices"], direct
    assert through == direct


def test_guarded_fields_need_a_token_at_the_gateway(
    anonymous_gateway: Gateway, hub_gateway: Gateway, hub_cases: list[MadeCase]
) -> None:
    person = hub_cases[0].person_ids[0]
    query = f'{{ person(id: "{person}") {{ givenNames }} }}'
    # Anonymous callers reach no guarded field, even where anonymous requests are let in
    status, body = gql(anonymous_gateway.url, query)
    assert status == 401
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert body.get("data") is None
    # and by default the gateway refuses any request without a token
    status, body = gql(hub_gateway.url, "{ offices { code } }")
    assert status == 401


# --- with the hub's own tokens ------------------------------------------------------------------

AGENCY_CALLERS = [
    ("migraciones", "deportation-protection"),
    ("minsa", "health-workforce"),
    ("acnur", "protection-assistance"),
    ("cepr-supervisor", None),
    ("cepr-registrar", None),
]


def mint(role: str, purpose: str | None = None) -> str:
    """A real token from the administrator's command ``qhub token``."""
    from tests.auth.tokens import mint as qhub_token

    return qhub_token(role, purpose=purpose, office="LIM" if role == "cepr-registrar" else None)


def seen_id(role: str, person_id: int) -> str:
    """The id the role addresses a person by: its agency's pseudonym, or the hub's own."""
    from tests.auth.tokens import agency_person_id

    return agency_person_id(
        role if role in ("migraciones", "minsa", "acnur") else "cepr", person_id
    )


def _probes(person_id: str, case_number: int) -> dict[str, str]:
    """One query per readable field: root fields, and every field of Person and Case."""
    from graphql import Undefined, get_named_type, is_leaf_type

    from schema.build import full_schema

    schema = full_schema()._schema

    def selection(field: Any) -> str:
        return "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"

    def callable_(field: Any) -> bool:
        """No required argument without a default."""
        return all(
            not str(a.type).endswith("!") or a.default_value is not Undefined
            for a in field.args.values()
        )

    probes: dict[str, str] = {}
    for name, field in schema.query_type.fields.items():
        if not name.startswith("_") and callable_(field):
            probes[f"Query.{name}"] = f"{{ {name}{selection(field)} }}"
    roots = {"Person": f'person(id: "{person_id}")', "Case": f"case(number: {case_number})"}
    for type_name, root in roots.items():
        for name, field in schema.type_map[type_name].fields.items():
            if callable_(field):
                probes[f"{type_name}.{name}"] = f"{{ {root} {{ {name}{selection(field)} }} }}"
    return probes


def _allowed(status: int, body: Any) -> bool:
    return status == 200 and not body.get("errors") and body.get("data") is not None


def test_same_allowed_and_denied_fields_through_the_gateway_as_directly(
    hub_gateway: Gateway, live_hub: LiveHub, hub_cases: list[MadeCase]
) -> None:
    differences = []
    for role, purpose in AGENCY_CALLERS:
        probes = _probes(seen_id(role, hub_cases[0].person_ids[0]), hub_cases[0].number)
        token = mint(role, purpose)
        seen = {True: 0, False: 0}
        for name, query in probes.items():
            # When the same token asks the same field of the hub and of the gateway
            direct = _allowed(*gql(f"{live_hub.url}/graphql", query, token, purpose))
            through = _allowed(*gql(hub_gateway.url, query, token, purpose))
            seen[direct] += 1
            if direct != through:
                differences.append((role, name, "direct" if direct else "gateway"))
        # (each role is allowed some fields and denied others: the comparison means something)
        assert seen[True] and (seen[False] or role.startswith("cepr")), (role, seen)
    # Then every field is allowed (or denied) alike
    assert differences == []


def test_hub_callers_stay_isolated_through_the_gateway(
    hub_gateway: Gateway, hub_cases: list[MadeCase]
) -> None:
    import asyncio

    people = [pid for case in hub_cases for pid in case.person_ids]
    callers = [(role, purpose, mint(role, purpose)) for role, purpose in AGENCY_CALLERS[:3]]

    async def one(client: httpx.AsyncClient, k: int, i: int) -> tuple[int, str, Any]:
        role, purpose, token = callers[k]
        alias = role.replace("-", "_")
        pid = seen_id(role, people[i % len(people)])
        query = f'{{ {alias}: whoami {{ role purpose }} person(id: "{pid}") {{ id }} }}'
        response = await client.post(
            hub_gateway.url,
            json={"query": query},
            headers={"Authorization": f"Bearer {token}", "X-Purpose": str(purpose)},
        )
        return k, pid, response.json()

    async def run() -> list[tuple[int, str, Any]]:
        async with httpx.AsyncClient(timeout=60) as client:
            jobs = [one(client, k, i) for i in range(20) for k in range(len(callers))]
            return await asyncio.gather(*jobs)

    for k, pid, body in asyncio.run(run()):
        role, purpose, _ = callers[k]
        assert body["data"][role.replace("-", "_")] == {"role": role, "purpose": purpose}, body
        assert set(body["data"]) == {role.replace("-", "_"), "person"}, body
        if role == "minsa":  # no consent recorded: the row condition denies (the person is
            # null, as an unknown one would be), the rest is served
            assert body["data"]["person"] is None, body
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
            assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
        else:
            assert body["data"]["person"] == {"id": pid}, body
            assert "errors" not in body, body


def test_agency_subgraph_joins_the_hubs_person(
    hub_gateway: Gateway, hub_cases: list[MadeCase]
) -> None:
    pid = seen_id("migraciones", hub_cases[0].person_ids[0])
    token = mint("migraciones", "deportation-protection")
    query = f'{{ person(id: "{pid}") {{ id givenNames borderVisits {{ post }} }} }}'
    status, body = gql(hub_gateway.url, query, token, "deportation-protection")
    assert status == 200, body
    person = body["data"]["person"]
    assert person["id"] == pid and person["givenNames"]
    assert person["borderVisits"] == [{"post": "Tacna"}]


def test_protection_status_joins_the_person_and_the_agencys_subgraph(
    hub_gateway: Gateway, live_hub: LiveHub, hub_cases: list[MadeCase], hub_document: dict[str, str]
) -> None:
    token = mint("migraciones", "deportation-protection")
    purpose = "deportation-protection"
    fields = "found protected basis person { id givenNames"
    query = "query P($doc: DocumentInput!) { protectionStatus(document: $doc) { %s%s } } }"

    def ask(url: str, extra: str) -> Any:
        headers = {"Authorization": f"Bearer {token}", "X-Purpose": purpose}
        body = {"query": query % (fields, extra), "variables": {"doc": hub_document}}
        return httpx.post(url, json=body, headers=headers, timeout=30).json()

    # When the Migration Office asks the hub directly, and the gateway with the agency's field
    direct = ask(f"{live_hub.url}/graphql", "")
    through = ask(hub_gateway.url, " borderVisits { post }")
    # Then the gateway answers what the hub answers, joined with the agency's own data
    answer = direct["data"]["protectionStatus"]
    assert answer["found"] is True and answer["protected"] is True, direct
    assert answer["person"]["id"] == seen_id("migraciones", hub_cases[0].person_ids[0])
    answer["person"]["borderVisits"] = [{"post": "Tacna"}]
    assert through == {"data": {"protectionStatus": answer}}


def test_a_token_from_another_key_is_refused_by_the_gateway(hub_gateway: Gateway) -> None:
    import base64
    import json

    from joserfc import jwt
    from joserfc.jwk import ECKey

    # Given the claims and key id of a genuine token, signed by a key that is not the hub's
    genuine = mint("migraciones", "deportation-protection")
    head, body = (json.loads(base64.urlsafe_b64decode(p + "==")) for p in genuine.split(".")[:2])
    forged = jwt.encode(head, body, ECKey.generate_key("P-256"))
    status, answer = gql(hub_gateway.url, "{ offices { code } }", forged, "deportation-protection")
    assert status == 401, answer
