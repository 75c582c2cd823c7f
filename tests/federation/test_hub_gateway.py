"""The hub's real subgraphs behind Hive Gateway: composition, routing, and the same answers.

A live hub (uvicorn, real PostgreSQL) serves its subgraphs at /subgraphs/<name>/graphql; they
are composed (with an agency's own subgraph joining ``Person`` by key) and served by a real
Hive Gateway. Token-based checks use real tokens from the hub (``qhub token``).
"""

from __future__ import annotations

import importlib.util
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

HAS_TOKENS = importlib.util.find_spec("auth.tokens") is not None
needs_tokens = pytest.mark.skipif(not HAS_TOKENS, reason="the hub cannot mint tokens yet")


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
        return [Visit(post="Tacna", date=f"2026-01-{int(self.id) % 28 + 1:02d}")]

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
