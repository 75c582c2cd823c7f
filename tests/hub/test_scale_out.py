"""Issue 18: several hub instances on one database behave as one deployment — a
protection change made through one instance reaches subscribers on every instance,
exactly once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.test_agency_read_logging import ask, logged, subscribe


@pytest.fixture(scope="module")
def two_hubs(database_url: str) -> Iterator[tuple[LiveHub, LiveHub]]:
    a, b = LiveHub(database_url).start(), LiveHub(database_url).start()
    yield a, b
    a.stop()
    b.stop()


def ws(hub: LiveHub) -> str:
    return hub.url.replace("http://", "ws://") + "/graphql"


async def test_a_change_through_one_instance_reaches_subscribers_of_both_once(
    two_hubs: tuple[LiveHub, LiveHub], engine: AsyncEngine
) -> None:
    a, b = two_hubs
    # Given a pending case, and the Migration Office subscribed on instance B and on A
    case = (await make_cases(engine, 1, office_code="LIM", family_size=2))[0]
    before = len(await logged(engine, "CambiosEnVivo"))
    on_b = await subscribe(ws(b), mint("migraciones"))
    on_a = await subscribe(ws(a), mint("migraciones"))
    try:
        # When a supervisor withdraws the claim through instance A
        moved = await asyncio.to_thread(
            ask,
            a,
            mint("cepr-supervisor", office="LIM"),
            """mutation($n: Int!) { changeCaseStatus(caseNumber: $n, to: WITHDRAWN,
               reason: "Desiste") { toStatus } }""",
            {},
            n=case.number,
        )
        assert moved["data"]["changeCaseStatus"]["toStatus"] == "WITHDRAWN"
        # Then the subscriber on B is told, and so is the one on A
        expected = {"caseNumber": case.number, "protected": False}
        for sub in (on_b, on_a):
            message = json.loads(await asyncio.wait_for(sub.recv(), 10))
            assert message["type"] == "next"
            assert message["payload"]["data"]["protectionStatusChanged"] == expected
        # and neither gets it twice: the next thing each receives answers its own ping
        for sub in (on_b, on_a):
            await sub.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(sub.recv(), 10)) == {"type": "pong"}
    finally:
        await on_b.close()
        await on_a.close()
    # and each delivery is logged once, against the case's persons
    assert (await logged(engine, "CambiosEnVivo"))[before:] == [
        ("migraciones", ["status"], sorted(case.person_ids))
    ] * 2
