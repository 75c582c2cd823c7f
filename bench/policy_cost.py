"""What the access policy costs: the same requests with enforcement on and off, in one run.

On: the role's contract, row checks on every field whose grant has a condition, and the
access log for reads that must be logged. Off: the whole schema, no checks, no log
(``bench/without_policy.py``). Requests/s on ÷ off; the aim is ≥ 0.8.

    .venv/bin/python bench/policy_cost.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.case_list import LIST, ONE, load_data
from bench.harness import analyze, fresh_database, graphql_body, http_load, hub_process, machine
from bench.tokens import bench_token

PROTECTION = """query Protection($n: Int!) {
  case(number: $n) { number filingDate protectedFromRemoval protectionBasis
    principal { givenNames paternalSurname birthDate nationality } }
}"""


async def runs(base: str, numbers: list[int], seconds: float, label: str) -> list:  # type: ignore[type-arg]
    registrar = {
        "Authorization": f"Bearer {bench_token('cepr-registrar', office='LIM')}",
        "X-Purpose": "case-management",
    }
    migraciones = {
        "Authorization": f"Bearer {bench_token('migraciones')}",
        "X-Purpose": "deportation-protection",
    }
    rnd = random.Random(3)
    lima = numbers[: len(numbers) // 7]
    ok = lambda b: b.startswith(b'{"data"') and b"errors" not in b  # noqa: E731
    return [
        await http_load(
            f"{label}: registrar case list (own office)",
            base,
            lambda i: graphql_body(LIST, {"office": ["LIM"]}),
            registrar,
            seconds=seconds,
            check=ok,
        ),
        await http_load(
            f"{label}: registrar one case",
            base,
            lambda i: graphql_body(ONE, {"n": rnd.choice(lima)}),
            registrar,
            seconds=seconds,
            check=ok,
        ),
        await http_load(
            f"{label}: migraciones protection lookup (logged)",
            base,
            lambda i: graphql_body(PROTECTION, {"n": rnd.choice(numbers)}),
            migraciones,
            seconds=seconds,
            check=ok,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    url = fresh_database()
    numbers = asyncio.run(load_data(url, 2100))
    analyze(url)
    with hub_process(url) as base:
        on = asyncio.run(runs(base, numbers, args.seconds, "policy on "))
    with hub_process(url, bootstrap="bench.without_policy") as base:
        off = asyncio.run(runs(base, numbers, args.seconds, "policy off"))
    print(f"# policy cost — {machine()}")
    for a, b in zip(on, off, strict=True):
        print(b.line())
        print(a.line(b))
    print(
        "on ÷ off: "
        + ", ".join(
            f"{a.name.split(': ', 1)[1]} {a.rate / b.rate:.2f}"
            for a, b in zip(on, off, strict=True)
        )
    )


if __name__ == "__main__":
    main()
