"""The Health Ministry's and UNHCR's views over HTTP, with their own tokens."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.settings import load_settings
from services.pseudonyms import Pseudonymizer
from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases


def ask(
    hub: LiveHub, agency: str, purpose: str, query: str, variables: Any = None
) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {mint(agency)}", "X-Purpose": purpose},
    )
    assert response.status_code in (200, 400), response.text
    return response.json()  # type: ignore[no-any-return]


HEALTH = """query($r: [String!]) {
  healthProfessionals(professions: [NURSE], regions: $r, first: 100) {
  items { profession specialty recognitionStatus region person { id givenNames phone } } } }"""


@pytest.fixture(scope="module")
async def nurse(engine: AsyncEngine) -> int:
    case = (await make_cases(engine, 1, office_code="TRU"))[0]
    person = case.person_ids[0]
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE person SET department = 'LA LIBERTAD' WHERE id = :p"), {"p": person}
        )
        await conn.execute(
            text(
                "INSERT INTO health_profile (person_id, profession, specialty, recognition_status)"
                " VALUES (:p, 'nurse', 'Emergencias', 'in_progress')"
            ),
            {"p": person},
        )
        await conn.execute(
            text("INSERT INTO consent (person_id, purpose) VALUES (:p, 'health-workforce')"),
            {"p": person},
        )
    return person


async def test_consenting_professionals_are_listed_until_consent_is_withdrawn(
    live_hub: LiveHub, engine: AsyncEngine, nurse: int
) -> None:
    # Given a nurse who consented
    body = ask(live_hub, "minsa", "health-workforce", HEALTH, {"r": ["la libertad"]})
    items = body["data"]["healthProfessionals"]["items"]
    mine = [i for i in items if i["person"]["id"] == agency_person_id("minsa", nurse)]
    assert mine and mine[0]["profession"] == "NURSE" and mine[0]["region"] == "LA LIBERTAD"
    assert mine[0]["person"]["givenNames"] and mine[0]["person"]["phone"]
    # When she withdraws her consent
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE consent SET withdrawn_at = now() WHERE person_id = :p"), {"p": nurse}
        )
    # Then the very next request does not include her
    again = ask(live_hub, "minsa", "health-workforce", HEALTH, {"r": ["LA LIBERTAD"]})
    ids = [i["person"]["id"] for i in again["data"]["healthProfessionals"]["items"]]
    assert agency_person_id("minsa", nurse) not in ids
    # and reading her directly by the ministry's own id gives FORBIDDEN, not her data
    direct = ask(
        live_hub,
        "minsa",
        "health-workforce",
        "query($p: ID!) { person(id: $p) { givenNames } }",
        {"p": agency_person_id("minsa", nurse)},
    )
    assert direct["data"]["person"] is None
    assert direct["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert direct["errors"][0]["path"] == ["person"]


def test_each_agency_sees_its_own_unlinkable_identifier(nurse: int) -> None:
    agencies = ("migraciones", "minsa", "acnur")
    ids = {agency: agency_person_id(agency, nurse) for agency in agencies}
    assert len(set(ids.values())) == 3
    # only the hub (which holds every agency's key) turns an identifier back into the
    # person, and one agency's identifier means nothing under another agency's key
    hub = Pseudonymizer.from_file(load_settings().keys_dir / "pseudonym.key")
    for agency, value in ids.items():
        assert value != str(nurse)
        assert hub.person_id(agency, value) == nurse
        assert all(hub.person_id(other, value) is None for other in agencies if other != agency)


async def test_unhcr_sees_needs_family_and_office_but_no_case_administration(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    await make_cases(engine, 2, office_code="PEM", needs=("SP-PT",))
    query = """{ unhcrCases(first: 10, filter: {officeCodes: ["PEM"], needCodes: ["SP-PT"]}) {
      edges { node { number protectionBasis office { code } needs { code label personId }
                     members { relationship person { id } } } } } }"""
    body = ask(live_hub, "acnur", "protection-assistance", query)
    edges = body["data"]["unhcrCases"]["edges"]
    assert len(edges) >= 2
    node = edges[0]["node"]
    assert node["office"]["code"] == "PEM" and node["needs"][0]["code"] == "SP-PT"
    assert node["needs"][0]["personId"].startswith("p_")  # pseudonymous for UNHCR
    hidden = ask(
        live_hub,
        "acnur",
        "protection-assistance",
        "{ unhcrCases(first: 1) { edges { node { assignedOfficer { username } } } } }",
    )
    assert hidden["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
