"""The case status machine over HTTP: allowed moves recorded, illegal ones change nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases

MOVE = """mutation($n: Int!, $to: CaseStatus!, $r: String!) {
  changeCaseStatus(caseNumber: $n, to: $to, reason: $r) { caseNumber fromStatus toStatus } }"""


def move(
    hub: LiveHub, token: str, number: int, to: str, reason: str = "Motivo de prueba"
) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": MOVE, "variables": {"n": number, "to": to, "r": reason}},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()  # type: ignore[no-any-return]


async def state(engine: AsyncEngine, number: int) -> tuple[str, int]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT c.status, (SELECT count(*) FROM status_change h WHERE h.case_id = c.id)"
                    " FROM case_file c WHERE c.number = :n"
                ),
                {"n": number},
            )
        ).one()
    return row[0], int(row[1])


async def test_the_workflow_moves_are_recorded(live_hub: LiveHub, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, office_code="AQP", status="registered"))[0]
    registrar = mint("cepr-registrar", office="AQP")
    ok = move(live_hub, registrar, case.number, "UNDER_REVIEW")
    assert ok["data"]["changeCaseStatus"] == {
        "caseNumber": case.number,
        "fromStatus": "REGISTERED",
        "toStatus": "UNDER_REVIEW",
    }
    withdrawn = move(
        live_hub, mint("cepr-supervisor", office="LIM"), case.number, "WITHDRAWN", "Desiste"
    )
    assert withdrawn["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
    async with engine.connect() as conn:
        history = (
            await conn.execute(
                text(
                    "SELECT from_status, to_status, actor, reason FROM status_change h"
                    " JOIN case_file c ON c.id = h.case_id WHERE c.number = :n ORDER BY h.id"
                ),
                {"n": case.number},
            )
        ).all()
    assert [tuple(h) for h in history] == [
        (
            "registered",
            "under_review",
            "cepr:cepr-registrar:cepr-registrar:AQP",
            "Motivo de prueba",
        ),
        ("under_review", "withdrawn", "cepr:cepr-supervisor:cepr-supervisor:LIM", "Desiste"),
    ]


async def test_illegal_moves_are_refused_and_change_nothing(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, office_code="AQP", status="under_review"))[0]
    before = await state(engine, case.number)
    # a registrar cannot decide a claim
    refused = move(live_hub, mint("cepr-registrar", office="AQP"), case.number, "RECOGNISED")
    assert refused["errors"][0]["extensions"]["code"] == "ILLEGAL_TRANSITION"
    assert "desistido" in refused["errors"][0]["message"]  # it says what the role may do
    # nobody skips from under review straight to closed
    skipped = move(live_hub, mint("cepr-supervisor", office="LIM"), case.number, "CLOSED")
    assert skipped["errors"][0]["extensions"]["code"] == "ILLEGAL_TRANSITION"
    # another office's registrar may not touch it
    other = move(live_hub, mint("cepr-registrar", office="TCQ"), case.number, "WITHDRAWN")
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a reason is required
    empty = move(live_hub, mint("cepr-registrar", office="AQP"), case.number, "WITHDRAWN", " ")
    assert empty["errors"][0]["extensions"]["problems"][0]["code"] == "REQUIRED"
    # agencies cannot even name the mutation
    agency = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": MOVE, "variables": {"n": case.number, "to": "WITHDRAWN", "r": "x"}},
        headers={"Authorization": f"Bearer {mint('acnur')}", "X-Purpose": "protection-assistance"},
    ).json()
    assert agency["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await state(engine, case.number) == before


async def test_agencies_subscribed_learn_of_protection_changes(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    import asyncio
    import json

    from websockets.asyncio.client import connect

    case = (await make_cases(engine, 1, office_code="LIM", status="under_review"))[0]
    url = live_hub.url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps(
                {
                    "type": "connection_init",
                    "payload": {
                        "Authorization": f"Bearer {mint('migraciones')}",
                        "X-Purpose": "deportation-protection",
                    },
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
                        "query": "subscription { protectionStatusChanged "
                        "{ caseNumber protected basis } }"
                    },
                }
            )
        )
        await asyncio.sleep(0.3)
        # When a supervisor records the withdrawal of the claim (no longer protected)
        moved = await asyncio.to_thread(
            move, live_hub, mint("cepr-supervisor", office="LIM"), case.number, "WITHDRAWN"
        )
        assert "errors" not in moved, moved
        # Then the Migration Office is told at once
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert message["type"] == "next" and message["id"] == "s1"
        assert message["payload"]["data"]["protectionStatusChanged"] == {
            "caseNumber": case.number,
            "protected": False,
            "basis": None,
        }
