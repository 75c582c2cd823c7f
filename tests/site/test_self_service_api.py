"""The applicant's own card and contact data over GraphQL: a person downloads their card,
corrects their phone, e-mail and address (Spanish problems with paths when wrong, nothing
changed), and nobody else can do either for them."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

CARD = "{ myAsylumCard { number issuedOn status pdfBase64 } }"
UPDATE = """mutation($i: MyContactInput!) { updateMyContact(input: $i) {
  phone email department province district street } }"""


async def contact_of(engine: AsyncEngine, person: int) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT phone, email, department, province, district, street FROM person"
                    " WHERE id = :p"
                ),
                {"p": person},
            )
        ).one()
    return tuple(row)


async def test_an_applicant_downloads_their_own_card(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, status="registered"))[0]
    me = mint("applicant", person=case.person_ids[0])
    assert gql(live_hub, me, CARD) == {"data": {"myAsylumCard": None}}
    secretary = mint("cepr-secretary", office="LIM")
    gql(
        live_hub,
        secretary,
        "mutation($n: Int!) { issueAsylumCard(caseNumber: $n) { number } }",
        n=case.number,
    )
    card = gql(live_hub, me, CARD)["data"]["myAsylumCard"]
    assert (card["number"], card["status"]) == (f"{case.number}-1", "active")
    assert base64.b64decode(card["pdfBase64"]).startswith(b"%PDF")
    # a family member of the case has no card of their own here
    other = mint("applicant", person=case.person_ids[1])
    assert gql(live_hub, other, CARD) == {"data": {"myAsylumCard": None}}


async def test_an_applicant_corrects_their_contact_data(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, status="under_review"))[0]
    me = mint("applicant", person=case.person_ids[0])
    before = await contact_of(engine, case.person_ids[0])
    # wrong values: every problem with its path, nothing changed
    bad = gql(live_hub, me, UPDATE, i={"phone": "12", "email": "sin-arroba"})
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert [(tuple(p["path"]), p["code"]) for p in bad["errors"][0]["extensions"]["problems"]] == [
        (("input", "phone"), "INVALID_PHONE"),
        (("input", "email"), "INVALID_EMAIL"),
    ]
    assert await contact_of(engine, case.person_ids[0]) == before
    # good values: stored normalised
    new = {
        "phone": "912 345 678",
        "email": "Nueva.Direccion@Correo.PE",
        "department": "AREQUIPA",
        "province": "AREQUIPA",
        "district": "YANAHUARA",
        "street": "Calle Misti 120",
    }
    done = gql(live_hub, me, UPDATE, i=new)["data"]["updateMyContact"]
    expected = (
        "+51912345678",
        "nueva.direccion@correo.pe",
        "AREQUIPA",
        "AREQUIPA",
        "YANAHUARA",
        "Calle Misti 120",
    )
    assert tuple(done.values()) == expected
    assert await contact_of(engine, case.person_ids[0]) == expected


def post(hub: LiveHub, headers: dict[str, str], variables: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{hub.url}/graphql", json={"query": UPDATE, "variables": variables}, headers=headers
    ).json()
    return body


async def test_nobody_else_corrects_an_applicants_contact(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, status="under_review"))[0]
    before = await contact_of(engine, case.person_ids[0])
    change = {"i": {"phone": "912 345 678"}}
    migraciones = {
        "Authorization": f"Bearer {mint('migraciones', purpose='deportation-protection')}",
        "X-Purpose": "deportation-protection",
    }
    secretary = {"Authorization": f"Bearer {mint('cepr-secretary', office='LIM')}"}
    supervisor = {"Authorization": f"Bearer {mint('cepr-supervisor', office='LIM')}"}
    codes = [
        post(live_hub, headers, change)["errors"][0]["extensions"]["code"]
        for headers in (migraciones, secretary, supervisor, {})
    ]
    # not in their contracts (agency, secretary, anonymous); a supervisor has no own contact
    assert codes == [
        "GRAPHQL_VALIDATION_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "FORBIDDEN",
        "UNAUTHENTICATED",
    ]
    assert await contact_of(engine, case.person_ids[0]) == before
