"""Issue 12, over HTTP and WebSocket: every agency read is logged, exactly — the change
feed's documents, a principal's fields (that person, not the family), each event a
subscription delivers; a stream ends when its token expires; the commission's reads of
claim data are shown to the person in whoReadMyData."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from hub.cli import app
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.access_reads import reads_logged

MIGRATION = {"X-Purpose": "deportation-protection"}
UNHCR = {"X-Purpose": "protection-assistance"}


def ask(hub: LiveHub, token: str, query: str, headers: dict[str, str], **variables: Any) -> Any:
    return httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", **headers},
        timeout=30,
    ).json()


async def logged(engine: AsyncEngine, operation: str) -> list[tuple[str, list[str], list[int]]]:
    return await reads_logged(engine, operation, who="agency")


async def last_change(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(
            (
                await conn.execute(text("SELECT coalesce(max(id), 0) FROM status_change"))
            ).scalar_one()
        )


async def test_the_change_feed_logs_the_persons_whose_documents_it_returns(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a case of two persons whose status changed after a cursor
    start = await last_change(engine)
    case = (await make_cases(engine, 1, office_code="LIM", family_size=2))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
                " VALUES (:c, 'under_review', 'withdrawn', 'cepr:prueba', 'x')"
            ),
            {"c": case.id},
        )
    # When the Migration Office reads the feed's document numbers only
    query = """query FeedDocumentos($a: String) { protectionChanges(after: $a, first: 10) {
      changes { documents { number } } } }"""
    body = ask(live_hub, mint("migraciones"), query, MIGRATION, a=f"sc{start}")
    numbers = sorted(
        d["number"] for c in body["data"]["protectionChanges"]["changes"] for d in c["documents"]
    )
    # Then it got the two persons' documents, and exactly those persons are logged
    assert len(numbers) == 2
    assert await logged(engine, "FeedDocumentos") == [
        ("migraciones", ["status"], sorted(case.person_ids))
    ]


async def test_a_principal_read_is_logged_against_the_principal_only(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, office_code="CUZ", family_size=4))[0]
    token = mint("acnur")
    # When UNHCR reads only the principal applicant's name
    principal = """query SoloTitular($n: Int!) { case(number: $n) { principal { fullName } } }"""
    body = ask(live_hub, token, principal, UNHCR, n=case.number)
    assert body["data"]["case"]["principal"]["fullName"]
    # Then the log names the principal alone (the three dependants were not read)
    assert await logged(engine, "SoloTitular") == [("acnur", ["identity"], [case.person_ids[0]])]
    # When it reads the case's own data (its number: every member's case) and the members
    family = """query Hogar($n: Int!) { case(number: $n) { number members { relationship } } }"""
    ask(live_hub, token, family, UNHCR, n=case.number)
    # Then the case's fields are logged against every member of the case
    assert await logged(engine, "Hogar") == [
        ("acnur", ["family", "status"], sorted(case.person_ids))
    ]


def short_token(role: str, seconds: int) -> str:
    result = CliRunner().invoke(app, ["token", "--role", role, "--ttl", str(seconds)])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


async def subscribe(url: str, token: str) -> Any:
    from websockets.asyncio.client import connect

    ws = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(
        json.dumps(
            {
                "type": "connection_init",
                "payload": {"Authorization": f"Bearer {token}", **MIGRATION},
            }
        )
    )
    assert json.loads(await ws.recv()) == {"type": "connection_ack"}
    await ws.send(
        json.dumps(
            {
                "type": "subscribe",
                "id": "s1",
                "payload": {
                    "query": "subscription CambiosEnVivo { protectionStatusChanged"
                    " { caseNumber protected } }",
                    "operationName": "CambiosEnVivo",
                },
            }
        )
    )
    await asyncio.sleep(0.3)
    return ws


async def test_each_event_delivered_to_an_agency_is_logged(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, office_code="LIM", family_size=3))[0]
    before = await logged(engine, "CambiosEnVivo")
    ws = await subscribe(live_hub.url.replace("http://", "ws://") + "/graphql", mint("migraciones"))
    try:
        # When a supervisor records the withdrawal of the claim
        moved = await asyncio.to_thread(
            ask,
            live_hub,
            mint("cepr-supervisor", office="LIM"),
            """mutation($n: Int!) { changeCaseStatus(caseNumber: $n, to: WITHDRAWN,
               reason: "Desiste") { toStatus } }""",
            {},
            n=case.number,
        )
        assert moved["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["payload"]["data"]["protectionStatusChanged"] == {
            "caseNumber": case.number,
            "protected": False,
        }
    finally:
        await ws.close()
    # Then the delivery is in the access log, against the case's persons
    assert (await logged(engine, "CambiosEnVivo"))[len(before) :] == [
        ("migraciones", ["status"], sorted(case.person_ids))
    ]


async def test_a_stream_is_closed_when_its_token_expires(live_hub: LiveHub) -> None:
    from websockets.exceptions import ConnectionClosed

    ws = await subscribe(
        live_hub.url.replace("http://", "ws://") + "/graphql", short_token("migraciones", 2)
    )
    try:
        # When the token expires, the hub closes the connection with 4401
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 30)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4401
    finally:
        await ws.close()


async def test_the_person_sees_the_commissions_reads_of_their_claim(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, office_code="LIM", family_size=1, status="rejected"))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
                " VALUES (:c, 'under_review', 'rejected', 'cepr:cepr-secretary', 'Fundamentos')"
            ),
            {"c": case.id},
        )
    applicant = mint("applicant", person=case.person_ids[0])
    mine = "{ whoReadMyData { agency purpose categories } }"
    assert ask(live_hub, applicant, mine, {})["data"]["whoReadMyData"] == []
    # When a supervisor reads the reasons of the decision (claim data)
    read = ask(
        live_hub,
        mint("cepr-supervisor", office="LIM"),
        "query($n: Int!) { case(number: $n) { history { reason } } }",
        {},
        n=case.number,
    )
    assert read["data"]["case"]["history"] == [{"reason": "Fundamentos"}]
    # Then the person sees that read (and nothing of the commission's other work)
    assert ask(live_hub, applicant, mine, {})["data"]["whoReadMyData"] == [
        {"agency": "cepr", "purpose": "case-management", "categories": ["claim"]}
    ]


async def test_a_need_read_is_logged_against_its_person_not_the_household(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a family of three where only the principal has specific needs
    case = (await make_cases(engine, 1, office_code="LIM", family_size=3, needs=("SM-CI",)))[0]
    # When UNHCR reads only the case's needs
    body = ask(
        live_hub,
        mint("acnur", purpose="protection-assistance"),
        "query NecesidadesSolas($n: Int!) { case(number: $n) { needs { code } } }",
        UNHCR,
        n=case.number,
    )
    assert body["data"]["case"]["needs"] == [{"code": "SM-CI"}]
    # Then the access log names the principal alone for the needs read
    entries = await logged(engine, "NecesidadesSolas")
    assert entries == [("acnur", ["needs"], [case.person_ids[0]])]
