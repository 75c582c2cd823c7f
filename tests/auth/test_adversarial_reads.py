"""Denials hold under attack, over HTTP, on both executors.

For every role with a row condition (own office, assigned case, consent, self) a target
record the caller may not read is asked for among thousands of records the caller may
read (before and after it), through aliases, fragments, ``@include``, lists, batch
lookups and connections, repeatedly, against a hub running the compiled plan executor
and one running graphql-core only. The target's values carry unique markers: none may
appear anywhere in any answer, every attempt gets ``FORBIDDEN`` where the policy says
so, and nothing about the target reaches the access log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.policy import Scope
from hub.graphql import demand_control
from hub.settings import load_settings
from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import MadeCase, make_cases, make_officer

PADDING = 1500  # readable records before the target, and as many after
REPEAT = 3
SECRET = "zqxsecreto"


@pytest.fixture(scope="module", params=["plan", "graphql-core"])
def hub(request: pytest.FixtureRequest, database_url: str) -> Iterator[LiveHub]:
    """A hub on each executor, with demand control lifted: the row checks must hold by
    themselves, whatever size of request an attacker gets through."""
    settings = dataclasses.replace(load_settings(), executor=request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demand_control, "MAX_TOKENS", 10**7)
        patch.setattr(demand_control, "MAX_ALIASES", 10**5)
        patch.setattr(demand_control, "budget_for", lambda role: 10**12)
        live = LiveHub(database_url, settings).start()
        yield live
        live.stop()


@dataclasses.dataclass
class World:
    target: MadeCase  # Puno: nobody below may read it
    own_lima: list[MadeCase]
    officer_id: int
    assigned: list[MadeCase]
    applicant_case: MadeCase
    applicant_document: str


async def _mark_secret(engine: AsyncEngine, made: MadeCase) -> None:
    """Give every person of the target case values no other record has."""
    async with engine.begin() as conn:
        for k, pid in enumerate(made.person_ids):
            await conn.execute(
                text(
                    "UPDATE person SET given_names = :g, phone = :ph, email = :e,"
                    " languages = ARRAY[:lang], profession = :g WHERE id = :p"
                ),
                {
                    "g": f"{SECRET}nombre{k}",
                    "ph": "+51900000111",
                    "e": f"{SECRET}{k}@example.org",
                    "lang": f"{SECRET}-lengua",
                    "p": pid,
                },
            )
            await conn.execute(
                text("UPDATE identity_document SET number = :n WHERE person_id = :p"),
                {"n": f"{SECRET.upper()}{k}", "p": pid},
            )


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine) -> World:
    target = (await make_cases(engine, 1, office_code="PEM", family_size=3, needs=("SM-CI",)))[0]
    await _mark_secret(engine, target)
    own_lima = await make_cases(engine, PADDING // 5, office_code="LIM", family_size=1)
    officer_id = await make_officer(engine, "cepr-eligibility", "LIM")
    assigned = await make_cases(
        engine, 60, office_code="LIM", family_size=1, assigned_officer_id=officer_id
    )
    applicant_case = (await make_cases(engine, 1, office_code="LIM", family_size=2))[0]
    async with engine.begin() as conn:
        document = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": applicant_case.person_ids[0]},
            )
        ).scalar_one()
        await conn.execute(text("ANALYZE"))
    return World(target, own_lima, officer_id, assigned, applicant_case, document)


def _post(hub: LiveHub, token: str, query: str, purpose: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(f"{hub.url}/graphql", json={"query": query}, headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    return response


def _assert_nothing_leaks(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert SECRET not in response.text.lower(), "a denied value reached the caller"
    assert "+51900000111" not in response.text
    return body


def _forbidden_paths(body: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {
        tuple(e["path"])
        for e in body.get("errors", [])
        if e.get("extensions", {}).get("code") == "FORBIDDEN"
    }


PERSON = """givenNames paternalSurname birthDate sex nationality languages phone email
  profession educationLevel documents { type number } address { department street }"""
CASE_SELF = f"""number filingDate status
  principal {{ {PERSON} }} members {{ relationship person {{ {PERSON} }} }}"""
CASE = f"{CASE_SELF} needs {{ code detail }}"


def _padded_case_query(own: list[MadeCase], target: int, *, include: bool = False) -> str:
    """The target among aliased lookups of readable cases, before and after it, with a
    fragment, a connection of every readable case, and optionally ``@include``."""
    before = " ".join(f"b{i}: case(number: {c.number}) {{ ...C }}" for i, c in enumerate(own))
    after = " ".join(f"a{i}: case(number: {c.number}) {{ ...C }}" for i, c in enumerate(own))
    directive = " @include(if: true)" if include else ""
    return f"""query Padded {{
      list: cases(first: 1000) {{ edges {{ node {{ ...C }} }} }}
      {before}
      target: case(number: {target}){directive} {{ ...C }}
      {after}
      again: cases(first: 1000) {{ edges {{ node {{ number principal {{ languages }} }} }} }}
    }}
    fragment C on Case {{ {CASE} }}"""


@pytest.mark.parametrize("include", [False, True])
async def test_registrar_reads_nothing_of_another_office(
    hub: LiveHub, world: World, include: bool
) -> None:
    # Given a Lima registrar, and a Puno case among hundreds of Lima ones
    token = mint("cepr-registrar", office="LIM")
    query = _padded_case_query(world.own_lima, world.target.number, include=include)
    for _ in range(REPEAT):
        # When they ask for all of them in one request
        body = _assert_nothing_leaks(_post(hub, token, query))
        # Then the Puno case is null with FORBIDDEN at its path (as an unknown one is)
        assert body["data"]["target"] is None
        assert ("target",) in _forbidden_paths(body)
        # and the Lima cases are all served
        assert all(body["data"][f"b{i}"]["number"] for i in range(len(world.own_lima) // 2))
        assert len(body["data"]["list"]["edges"]) >= PADDING // 5


async def test_registrar_person_lookups_padded(hub: LiveHub, world: World) -> None:
    # Given a Lima registrar asking for persons by id: readable ones around the target
    token = mint("cepr-registrar", office="LIM")
    own = [c.person_ids[0] for c in world.own_lima]
    lookups = [f"p{i}: person(id: {pid}) {{ ...P }}" for i, pid in enumerate(own[:80])]
    targets = [
        f"t{k}: person(id: {pid}) {{ ...P }}" for k, pid in enumerate(world.target.person_ids)
    ]
    query = (
        "{ " + " ".join(lookups[:75] + targets + lookups[75:]) + " }"
        f" fragment P on Person {{ {PERSON} cases {{ relationship case {{ number }} }} }}"
    )
    for _ in range(REPEAT):
        body = _assert_nothing_leaks(_post(hub, token, query))
        for k in range(len(world.target.person_ids)):
            person = body["data"][f"t{k}"]
            assert person is None or all(v is None for v in person.values())
            assert person is None or (f"t{k}", "languages") in _forbidden_paths(body)


async def test_eligibility_officer_reads_only_assigned_cases(hub: LiveHub, world: World) -> None:
    # Given an eligibility officer with 60 assigned cases, asking for an unassigned one
    token = mint("cepr-eligibility", office="LIM", officer=world.officer_id)
    query = _padded_case_query(world.assigned, world.target.number)
    for _ in range(REPEAT):
        body = _assert_nothing_leaks(_post(hub, token, query))
        assert body["data"]["target"] is None
        assert ("target",) in _forbidden_paths(body)
        assert body["data"]["b0"]["number"] == world.assigned[0].number
        # an assigned case's person is readable: languages served as a list
        assert body["data"]["b0"]["principal"]["languages"] is not None


async def test_applicant_reads_only_their_own_records(hub: LiveHub, world: World) -> None:
    # Given an applicant padding a batch lookup with their own document 2,000 times
    own_pid = world.applicant_case.person_ids[0]
    token = mint("applicant", person=own_pid)
    own_doc = f'{{type: NATIONAL_ID, number: "{world.applicant_document}", issuingCountry: "VE"}}'
    target_doc = f'{{type: NATIONAL_ID, number: "{SECRET.upper()}0", issuingCountry: "VE"}}'
    docs = ", ".join([own_doc] * 1000 + [target_doc] + [own_doc] * 1000)
    query = f"""{{
      many: protectionStatuses(documents: [{docs}]) {{
        found protected basis person {{ {PERSON} }} }}
      mine: case(number: {world.applicant_case.number}) {{ ...C }}
      other: case(number: {world.target.number}) {{ ...C }}
      family: person(id: {world.applicant_case.person_ids[1]}) {{ givenNames }}
      stranger: person(id: {world.target.person_ids[0]}) {{ ...P }}
    }}
    fragment C on Case {{ {CASE_SELF} }}
    fragment P on Person {{ {PERSON} }}"""
    for _ in range(REPEAT):
        body = _assert_nothing_leaks(_post(hub, token, query))
        many = body["data"]["many"]
        assert len(many) == 2001
        assert many[0]["person"]["givenNames"] is not None  # their own record
        target = many[1000]
        assert target["person"] is None or target["person"]["givenNames"] is None
        assert body["data"]["other"] is None
        stranger = body["data"]["stranger"]
        assert stranger is None or stranger["languages"] is None


async def test_health_ministry_reads_nobody_without_consent(hub: LiveHub, world: World) -> None:
    # Given the Health Ministry asking for a person who never consented, by its pseudonym
    token = mint("minsa", purpose="health-workforce")
    target = agency_person_id("minsa", world.target.person_ids[0])
    padding = [agency_person_id("minsa", c.person_ids[0]) for c in world.own_lima]
    lookups = [f'p{i}: person(id: "{pid}") {{ ...P }}' for i, pid in enumerate(padding)]
    query = (
        "{ "
        + " ".join([*lookups, f't: person(id: "{target}") {{ ...P }}', *lookups[::-1]])
        + f" }} fragment P on Person {{ {PERSON} }}"
    )
    for _ in range(REPEAT):
        body = _assert_nothing_leaks(_post(hub, token, query, "health-workforce"))
        person = body["data"]["t"]
        assert person is None or all(v is None for v in person.values())
        if person is not None:
            assert ("t", "languages") in _forbidden_paths(body)


async def test_entity_fetches_tell_nothing_of_records_the_caller_may_not_read(
    hub: LiveHub, world: World
) -> None:
    # Given an applicant fetching persons by key through the cases subgraph: their own,
    # a stranger's and one that does not exist
    own, stranger = world.applicant_case.person_ids[0], world.target.person_ids[0]
    token = mint("applicant", person=own)
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        __typename ... on Person { givenNames languages } } }"""
    representations = [
        {"__typename": "Person", "id": str(pid)} for pid in (own, stranger, 99_999_999)
    ]
    response = httpx.post(
        f"{hub.url}/subgraphs/cases/graphql",
        json={"query": query, "variables": {"r": representations}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    body = _assert_nothing_leaks(response)
    # Then their own record is served; the stranger and the unknown get the same answer
    entities = body["data"]["_entities"]
    assert entities[0]["__typename"] == "Person" and entities[0]["givenNames"]
    assert entities[1] is None and entities[2] is None
    errors = {tuple(e["path"]): (e["message"], e["extensions"]) for e in body["errors"]}
    assert set(errors) == {("_entities", 1), ("_entities", 2)}
    assert errors[("_entities", 1)] == errors[("_entities", 2)]
    assert errors[("_entities", 1)][1]["code"] == "FORBIDDEN"


async def test_without_the_sql_scope_the_value_check_still_denies(
    hub: LiveHub, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the case list's SQL scope removed (every office's cases come back)
    from services import case_list

    monkeypatch.setattr(case_list, "read_scope", lambda role, category: Scope.ALL)
    token = mint("cepr-registrar", office="LIM")
    # (one list per office, so that the cases other tests add cannot push the target off
    # the page: the list is newest first, and the target is among the oldest)
    edges = f"edges {{ node {{ {CASE} }} }}"
    query = (
        f'{{ other: cases(first: 1000, filter: {{officeCodes: ["{world.target.office_code}"]}})'
        f' {{ {edges} }} own: cases(first: 5, filter: {{officeCodes: ["LIM"]}}) {{ {edges} }} }}'
    )
    # When a Lima registrar lists them
    body = _assert_nothing_leaks(_post(hub, token, query))
    # Then the other office's cases are in the list but every value of them is refused
    refused = [e["node"] for e in body["data"]["other"]["edges"]]
    assert refused, "the SQL scope was not removed: the test proves nothing"
    assert all(all(v is None for v in n.values()) for n in refused)
    # while the registrar's own office's cases in the same answer are served
    own = [e["node"] for e in body["data"]["own"]["edges"]]
    assert len(own) == 5 and all(n["number"] for n in own)
