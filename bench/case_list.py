"""Officers' case list (50 cases with person, family, needs) and one case by number.

Prints requests/s over HTTP (one uvicorn worker, 16 keep-alive clients) for the hub with
its plan executor, the same hub on stock graphql-core execution, Strawberry +
strawberry-sqlalchemy-mapper answering the same case-list query over the same tables
(bench/mapper_baseline.py), and psycopg running the same SQL into the same records with
no GraphQL and no HTTP — all in one run.

    .venv/bin/python bench/case_list.py [--seconds 5] [--cases 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    Stats,
    analyze,
    call_load,
    fresh_database,
    graphql_body,
    http_load,
    hub_process,
    machine,
)

LIST = """query CaseList($after: String, $office: [String!]) {
  cases(first: 50, after: $after, filter: {officeCodes: $office}) {
    edges { node {
      number status filingDate priorityScore
      principal { fullName birthDate nationality sex }
      members { relationship person { fullName birthDate sex } }
      needs { code label }
    } }
    pageInfo { endCursor hasNextPage }
  }
}"""

ONE = """query OneCase($n: Int!) {
  case(number: $n) {
    number status filingDate
    principal { fullName birthDate nationality documents { type number issuingCountry } }
    members { relationship person { fullName birthDate } }
    needs { code label }
  }
}"""

OFFICES = ["LIM", "AQP", "CIX", "CUZ", "PIU", "TCQ", "TRU"]


async def load_data(url: str, cases: int) -> list[int]:
    from hub.db import create_engine
    from hub.settings import load_settings
    from tests.factories import make_cases

    engine = create_engine(url, load_settings())
    numbers: list[int] = []
    per_office = cases // len(OFFICES)
    for office in OFFICES:
        made = await make_cases(engine, per_office, office_code=office, family_size=3)
        numbers += [m.number for m in made]
    await engine.dispose()
    return numbers


async def raw_baselines(url: str, numbers: list[int], seconds: float) -> tuple[Stats, Stats]:
    from psycopg_pool import AsyncConnectionPool

    from auth.principal import Principal
    from hub.readpool import libpq_url
    from models.vocab import Agency, Role
    from services import case_list
    from services import case_queries as q

    who = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="bench")
    pool = AsyncConnectionPool(libpq_url(url), min_size=16, max_size=16, open=False)
    await pool.open()

    async def one_list(i: int) -> None:
        async with pool.connection() as conn:
            office = OFFICES[i % len(OFFICES)]
            page = await case_list.list_cases(
                conn, who, case_list.CaseFilter(office_codes=(office,)), 50, None
            )
            principals = [c.principal_id for c in page.cases if c.principal_id]
            await q.persons_by_ids(conn, principals)
            await q.needs_by_case(conn, [c.id for c in page.cases])
            others = [p for c in page.cases for p in c.member_ids if p not in principals]
            await q.persons_by_ids(conn, others)

    async def one_case(i: int) -> None:
        async with pool.connection() as conn:
            case = await q.case_by_number(conn, numbers[i % len(numbers)])
            await q.persons_by_ids(conn, [case.principal_id or 0])
            await q.documents_by_person(conn, [case.principal_id or 0])
            await q.needs_by_case(conn, [case.id])
            await q.persons_by_ids(conn, case.member_ids[1:])

    a = await call_load("psycopg, same SQL (case list)", one_list, seconds=seconds)
    b = await call_load("psycopg, same SQL (one case)", one_case, seconds=seconds)
    await pool.close()
    return a, b


async def hub_runs(
    base: str, label: str, numbers: list[int], seconds: float
) -> tuple[Stats, Stats]:
    headers = BENCH_HEADERS
    rnd = random.Random(7)
    listing = await http_load(
        f"hub {label} (case list)",
        base,
        lambda i: graphql_body(LIST, {"office": [OFFICES[i % len(OFFICES)]]}),
        headers,
        seconds=seconds,
        check=lambda b: b.startswith(b'{"data"'),
    )
    single = await http_load(
        f"hub {label} (one case)",
        base,
        lambda i: graphql_body(ONE, {"n": rnd.choice(numbers)}),
        headers,
        seconds=seconds,
        check=lambda b: b.startswith(b'{"data"'),
    )
    return listing, single


BENCH_HEADERS: dict[str, str] = {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--cases", type=int, default=2100)
    args = parser.parse_args()

    url = fresh_database()
    numbers = asyncio.run(load_data(url, args.cases))
    analyze(url)
    from bench.tokens import bench_token

    BENCH_HEADERS.update(
        {
            "Authorization": f"Bearer {bench_token('cepr-supervisor')}",
            "X-Purpose": "case-management",
        }
    )
    with hub_process(url) as base:
        fast_list, fast_one = asyncio.run(hub_runs(base, "plan executor", numbers, args.seconds))
    with hub_process(url, {"QHUB_EXECUTOR": "graphql-core"}) as base:
        slow_list, slow_one = asyncio.run(hub_runs(base, "graphql-core", numbers, args.seconds))
    with hub_process(url, app_module="bench.mapper_baseline") as base:
        mapper_list = asyncio.run(
            http_load(
                "Strawberry + sqlalchemy-mapper (case list)",
                base,
                lambda i: graphql_body(LIST, {"office": [OFFICES[i % len(OFFICES)]]}),
                {},
                seconds=args.seconds,
                check=lambda b: b.startswith(b'{"data"'),
            )
        )
    raw_list, raw_one = asyncio.run(raw_baselines(url, numbers, args.seconds))

    print(f"# case list benchmark — {machine()}")
    print("ratios: against psycopg running the same SQL into the same records")
    for stat in (fast_list, slow_list, mapper_list, raw_list):
        print(stat.line(raw_list))
    for stat in (fast_one, slow_one, raw_one):
        print(stat.line(raw_one))
    print(
        f"plan executor / graphql-core: case list {fast_list.rate / slow_list.rate:.2f}x, "
        f"one case {fast_one.rate / slow_one.rate:.2f}x"
    )
    print(
        f"case list, plan executor / Strawberry + sqlalchemy-mapper (same run): "
        f"{fast_list.rate / mapper_list.rate:.1f}x (aim 6x); "
        f"graphql-core / mapper {slow_list.rate / mapper_list.rate:.1f}x"
    )


if __name__ == "__main__":
    main()
