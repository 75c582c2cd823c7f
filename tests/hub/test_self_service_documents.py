"""Self-service: the applicant downloads their permit, asks for renewal, gets a new one;
the old one then verifies as replaced. Cards through GraphQL for the signing role."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases


def gql(hub: LiveHub, token: str | None, query: str, variables: Any = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    ).json()  # type: ignore[no-any-return]


VERIFY = "query($t: String!) { verifyDocument(token: $t) { status } }"


async def test_applicant_downloads_and_renews_their_permit(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, status="registered"))[0]
    secretary = mint("cepr-secretary", office="LIM")
    first = gql(
        live_hub,
        secretary,
        "mutation($n: Int!) { issueWorkPermit(caseNumber: $n) { id verificationUrl } }",
        {"n": case.number},
    )["data"]["issueWorkPermit"]
    me = mint("applicant", person=case.person_ids[0])
    held = gql(live_hub, me, "{ myWorkPermit { id status pdfBase64 } }")["data"]["myWorkPermit"]
    assert held["id"] == first["id"] and held["status"] == "active"
    assert base64.b64decode(held["pdfBase64"]).startswith(b"%PDF")
    renewed = gql(live_hub, me, "mutation { renewMyWorkPermit { id validTo } }")["data"][
        "renewMyWorkPermit"
    ]
    assert renewed["id"] != first["id"]
    old_token = first["verificationUrl"].rsplit("/", 1)[1]
    assert (
        gql(live_hub, None, VERIFY, {"t": old_token})["data"]["verifyDocument"]["status"]
        == "replaced"
    )
    # someone else (a dependant, another applicant) cannot renew it, an officer cannot see it
    other = mint("applicant", person=case.person_ids[1])
    refused = gql(live_hub, other, "mutation { renewMyWorkPermit { id } }")
    assert refused["errors"][0]["extensions"]["code"] == "NO_PENDING_CASE"
    officer = gql(live_hub, mint("cepr-supervisor", office="LIM"), "{ myWorkPermit { id } }")
    assert officer["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_cards_are_issued_and_revoked_by_the_signing_role(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, status="under_review"))[0]
    secretary = mint("cepr-secretary", office="LIM")
    card = gql(
        live_hub,
        secretary,
        "mutation($n: Int!) { issueAsylumCard(caseNumber: $n) { id number verificationUrl } }",
        {"n": case.number},
    )["data"]["issueAsylumCard"]
    token = card["verificationUrl"].rsplit("/", 1)[1]
    assert gql(live_hub, None, VERIFY, {"t": token})["data"]["verifyDocument"]["status"] == "valid"
    revoked = gql(
        live_hub,
        secretary,
        'mutation($id: ID!) { revokeAsylumCard(id: $id, reason: "pérdida") }',
        {"id": card["id"]},
    )
    assert revoked["data"] == {"revokeAsylumCard": True}
    assert (
        gql(live_hub, None, VERIFY, {"t": token})["data"]["verifyDocument"]["status"] == "revoked"
    )
