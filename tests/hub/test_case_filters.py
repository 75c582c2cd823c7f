"""Every filter of the case list over HTTP, alone and combined (the resolver reads
graphql-core's coerced arguments directly)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql

LIST = """query($f: CaseFilter) { cases(first: 200, filter: $f) {
  edges { node { number status filingDate office { code } } } } }"""


def numbers(hub: LiveHub, **case_filter: object) -> set[int]:
    body = gql(hub, mint("cepr-supervisor", office="LIM"), LIST, f=case_filter)
    assert "errors" not in body, body
    return {e["node"]["number"] for e in body["data"]["cases"]["edges"]}


async def test_each_filter_and_their_combination(live_hub: LiveHub, engine: AsyncEngine) -> None:
    # Given cases of Ica that differ in one attribute each
    day = date(2017, 5, 9)  # a filing day no other test uses
    base = dict(office_code="ICA", family_size=1, filing_date=day)
    plain = await make_cases(engine, 1, **base, status="registered", needs=("WR-WR",))
    recognised = await make_cases(engine, 1, **base, status="recognised", needs=("WR-WR",))
    colombian = await make_cases(
        engine, 1, **base, status="registered", needs=("WR-WR",), nationality="CO"
    )
    needing = await make_cases(engine, 1, **base, status="registered", needs=("DS-PM",))
    later = await make_cases(
        engine, 1, office_code="ICA", family_size=1, filing_date=date(2017, 5, 10), needs=()
    )
    ours = {c.number for c in plain + recognised + colombian + needing}
    on_day = {"filedFrom": "2017-05-09", "filedTo": "2017-05-09"}
    # Then each filter keeps exactly the matching cases
    assert numbers(live_hub, officeCodes=["ICA"], **on_day) == ours
    assert numbers(live_hub, statuses=["RECOGNISED"], **on_day) == {recognised[0].number}
    assert numbers(live_hub, nationalities=["CO"], **on_day) == {colombian[0].number}
    assert numbers(live_hub, needCodes=["DS-PM"], **on_day) == {needing[0].number}
    # (bounded above too: other tests file Ica cases after 2017, more than a page of them)
    next_day = {"filedFrom": "2017-05-10", "filedTo": "2017-05-10"}
    assert later[0].number in numbers(live_hub, officeCodes=["ICA"], **next_day)
    assert later[0].number not in numbers(live_hub, officeCodes=["ICA"], **on_day)
    # and combined filters intersect
    assert numbers(
        live_hub, statuses=["REGISTERED"], nationalities=["VE"], needCodes=["WR-WR"], **on_day
    ) == {plain[0].number}
    assert numbers(live_hub, officeCodes=["LIM"], **on_day) == set()
