"""Issue 12, over HTTP: existence is personal data. A search by name answers only the
role that reads its results nationwide, and logs what it returned; anybody else gets the
same answer whether or not the person exists. Anonymous callers learn nothing of the
subgraphs' SDL, nor which fields exist for some role."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.hub.access_reads import reads_logged

SEARCH = """query BuscarCandidatos($g: String!, $s: String!, $b: Date!) {
  protectionCandidates(givenNames: $g, surnames: $s, birthDate: $b) {
    givenNames surnames protection { protected person { id } } } }"""


def post(hub: LiveHub, path: str, query: str, token: str | None, **extra: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    headers.update(extra.pop("headers", {}))
    return httpx.post(
        f"{hub.url}{path}",
        json={"query": query, "variables": extra},
        headers=headers,
        timeout=30,
    )


async def insert_person(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        return (
            await conn.execute(
                text(
                    "INSERT INTO person (given_names, paternal_surname, maternal_surname, sex,"
                    " birth_date, country_of_birth, nationality) VALUES ('Eulalia Rosaura',"
                    " 'Quispequicaño', 'Wamán', 'F', '1977-02-23', 'VE', 'VE') RETURNING id"
                )
            )
        ).scalar_one()


async def logged(engine: AsyncEngine) -> list[tuple[str, list[str], list[int]]]:
    return await reads_logged(engine, "BuscarCandidatos")


async def test_only_the_migration_office_searches_and_the_answer_is_logged(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a person with a record (no case), and a name nobody has
    person = await insert_person(engine)
    exists = {"g": "Eulalia Rosaura", "s": "Quispequicaño Wamán", "b": "1977-02-23"}
    absent = {"g": "Eulalia Rosaura", "s": "Inexistente Nadie", "b": "1977-02-23"}
    # When an applicant and the Health Ministry (without consent) search for both
    for token, headers in (
        (mint("applicant", person=person), {}),
        (mint("minsa"), {"X-Purpose": "health-workforce"}),
    ):
        answers = [
            post(live_hub, "/graphql", SEARCH, token, headers=headers, **v)
            for v in (exists, absent)
        ]
        # Then both answers are the same: the field is not in their contract at all
        assert answers[0].status_code == answers[1].status_code
        assert answers[0].json() == answers[1].json()
        assert answers[0].json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await logged(engine) == []
    # When the Migration Office searches
    migration = {"X-Purpose": "deportation-protection"}
    found = post(live_hub, "/graphql", SEARCH, mint("migraciones"), headers=migration, **exists)
    none = post(live_hub, "/graphql", SEARCH, mint("migraciones"), headers=migration, **absent)
    # Then it gets the person (under its own identifier), and nothing for the absent name
    assert found.json()["data"]["protectionCandidates"] == [
        {
            "givenNames": "Eulalia Rosaura",
            "surnames": "Quispequicaño Wamán",
            "protection": {
                "protected": False,
                "person": {"id": agency_person_id("migraciones", person)},
            },
        }
    ]
    assert none.json() == {"data": {"protectionCandidates": []}}
    # and exactly the returned person is in the access log, with what was read of them
    assert await logged(engine) == [("migraciones", ["identity", "status"], [person])]


SDL = "{ _service { sdl } }"


def test_anonymous_callers_get_no_subgraph_sdl(live_hub: LiveHub) -> None:
    for name in ("cases", "migration"):
        anonymous = post(live_hub, f"/subgraphs/{name}/graphql", SDL, None)
        assert anonymous.status_code == 401
        assert "sdl" not in anonymous.text and "data" not in anonymous.json()
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # an authenticated caller (or the gateway, forwarding its token) gets its contract's SDL
    token = mint("migraciones")
    served = post(
        live_hub,
        "/subgraphs/migration/graphql",
        SDL,
        token,
        headers={"X-Purpose": "deportation-protection"},
    )
    assert "protectionStatus" in served.json()["data"]["_service"]["sdl"]


def test_anonymous_callers_cannot_tell_a_forbidden_field_from_an_unknown_one(
    live_hub: LiveHub,
) -> None:
    existing = post(live_hub, "/graphql", "{ cases(first: 1) { edges { cursor } } }", None)
    unknown = post(live_hub, "/graphql", "{ casos(first: 1) { edges { cursor } } }", None)
    assert existing.status_code == unknown.status_code == 401
    assert existing.json() == unknown.json()
    assert existing.headers.get("www-authenticate") == unknown.headers.get("www-authenticate")
    # what the public may read is still served
    public = post(live_hub, "/graphql", "{ offices { code } }", None)
    assert public.status_code == 200 and public.json()["data"]["offices"]
