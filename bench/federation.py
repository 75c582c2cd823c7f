"""Gateway ÷ direct: the same query sent straight to a subgraph and through Hive Gateway.

    .venv/bin/python bench/federation.py [--seconds 5] [--mode auto|hub|standin] [--record]

``hub`` mode: the hub (one uvicorn worker, its own process, a fresh database with cases),
its subgraphs composed into a supergraph, Hive Gateway (``federation/gateway.config.mjs``,
tokens verified against the hub's JWKS) in front; a Migration Office token. ``standin``
mode: the stand-in subgraphs of ``tests/federation`` (same conventions) in their own process.
``auto`` uses the hub when its subgraphs compose, else the stand-ins. Without the hub's
tokens (issue 3) the hub mode measures an anonymous public query.

Printed: requests/s and latency at 1 client (latency ratio) and at 16 clients (throughput
ratio), direct and through the gateway; variables vary per request (the gateway de-duplicates
identical in-flight subgraph requests). ``--record`` appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, Stats, free_port, graphql_body, http_load, machine
from federation.compose import CompositionError, Subgraph, compose
from federation.gateway import Gateway


@dataclass
class Target:
    """What to measure: a direct subgraph URL, a gateway, the query and the caller."""

    label: str
    direct: str  # base URL
    direct_path: str
    gateway: Gateway
    make_body: Callable[[int], bytes]
    headers: dict[str, str]
    check: Callable[[bytes], bool]
    join_body: Callable[[int], bytes] | None = None


def _ok(data: bytes) -> bool:
    body = json.loads(data)
    return "errors" not in body and body.get("data") is not None


@contextmanager
def standin_target(log_dir: Path) -> Iterator[Target]:
    from tests.federation.standins import AUDIENCE, ISSUER, STANDIN_SUBGRAPHS, Keys

    keys = Keys()
    jwks_file = log_dir / "keys.json"
    jwks_file.write_text(json.dumps(keys.private_jwks()))
    port = free_port()
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from tests.federation.standins import serve_standin_hub; "
        f"serve_standin_hub({str(jwks_file)!r}, {port})"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/.well-known/jwks.json", proc)
        subgraphs = [
            Subgraph(name, f"{base}/subgraphs/{name}/graphql") for name in STANDIN_SUBGRAPHS
        ]
        supergraph = log_dir / "supergraph.graphql"
        compose(subgraphs, supergraph)
        gateway = Gateway(
            base,
            free_port(),
            supergraph,
            log=log_dir / "gateway.log",
            issuer=ISSUER,
            audience=AUDIENCE,
        )
        token = keys.token("migraciones", "bench", purposes=["deportation-protection"], ttl=3600)
        one = "query P($id: ID!) { person(id: $id) { id documentNumber names } }"
        join = "query P($id: ID!) { person(id: $id) { id names protected protectionBasis } }"
        with gateway:
            yield Target(
                label="stand-in subgraphs (tests/federation/standins.py)",
                direct=base,
                direct_path="/subgraphs/people/graphql",
                gateway=gateway,
                make_body=lambda i: graphql_body(one, {"id": str(i % 100_000 + 1)}),
                join_body=lambda i: graphql_body(join, {"id": str(i % 100_000 + 1)}),
                headers={
                    "Authorization": f"Bearer {token}",
                    "X-Purpose": "deportation-protection",
                },
                check=_ok,
            )
    finally:
        proc.terminate()
        proc.wait(10)


def _wait(url: str, proc: subprocess.Popen[Any]) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: the server did not start")


def hub_available() -> str | None:
    """Why the hub mode cannot run now (None: it can)."""
    from federation.compose import hub_subgraphs

    with tempfile.TemporaryDirectory() as tmp:
        try:
            compose(hub_subgraphs("http://127.0.0.1:1"), Path(tmp) / "s.graphql")
        except CompositionError as exc:
            return "the hub's subgraphs do not compose: " + "; ".join(exc.errors[:2])
    return None


def hub_token() -> str | None:
    """A Migration Office token from the hub's own ``qhub token``, or None before issue 3."""
    import importlib.util

    if importlib.util.find_spec("auth.tokens") is None:
        return None
    from typer.testing import CliRunner

    from hub.cli import app

    args = ["token", "--role", "migraciones", "--purpose", "deportation-protection"]
    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        return None
    return result.output.strip().splitlines()[-1]


@contextmanager
def hub_target(log_dir: Path) -> Iterator[Target]:
    """The hub in its own process over a fresh database, and the gateway on its subgraphs.

    With a token (issue 3 in place): a person lookup by id, Migration Office token and purpose.
    Before that: anonymous ``explainAccess(field: …)`` (public, varied per request).
    """
    from auth.policy import FIELDS
    from bench.harness import fresh_database, hub_process
    from federation.compose import hub_subgraphs
    from hub.settings import load_settings

    url = fresh_database("qhub_bench_fed")
    person_ids = asyncio.run(_make_people(url))
    token = hub_token()
    settings = load_settings()
    with hub_process(url) as base:
        supergraph = log_dir / "supergraph.graphql"
        compose(hub_subgraphs(base), supergraph)
        gateway = Gateway(
            base,
            free_port(),
            supergraph,
            log=log_dir / "gateway.log",
            issuer=settings.issuer,
            audience=settings.audience,
            anonymous=token is None,
        )
        if token is not None:
            from tests.auth.tokens import agency_person_id

            # the Migration Office addresses persons by its own pseudonyms
            seen = [agency_person_id("migraciones", pid) for pid in person_ids]
            query = "query P($id: ID!) { person(id: $id) { id givenNames nationality } }"
            headers = {
                "Authorization": f"Bearer {token}",
                "X-Purpose": "deportation-protection",
            }
            label = "hub subgraphs, person(id) with a Migration Office token"

            def body(i: int) -> bytes:
                return graphql_body(query, {"id": seen[i % len(seen)]})

        else:
            names = [f"{t}.{f}" for t, fields in FIELDS.items() for f in fields]
            query = "query E($f: String) { explainAccess(field: $f) { allowed reason } }"
            headers = {}
            label = "hub subgraphs, anonymous explainAccess(field) (no tokens in the hub yet)"

            def body(i: int) -> bytes:
                return graphql_body(query, {"f": names[i % len(names)]})

        with gateway:
            yield Target(
                label=label,
                direct=base,
                direct_path="/subgraphs/cases/graphql",
                gateway=gateway,
                make_body=body,
                headers=headers,
                check=_ok,
            )


async def _make_people(url: str) -> list[int]:
    from hub.db import create_engine
    from hub.settings import load_settings
    from tests.factories import make_cases

    engine = create_engine(url, load_settings())
    try:
        made = await make_cases(engine, 200, family_size=1)
    finally:
        await engine.dispose()
    return [pid for case in made for pid in case.person_ids]


async def measure(target: Target, seconds: float) -> list[tuple[str, Stats, Stats]]:
    gateway_base = f"http://{target.gateway.host}:{target.gateway.port}"
    rows = []
    for clients in (1, 16):
        direct = await http_load(
            f"direct, {clients} client(s)",
            target.direct,
            target.make_body,
            target.headers,
            concurrency=clients,
            seconds=seconds,
            path=target.direct_path,
            check=target.check,
        )
        through = await http_load(
            f"gateway, {clients} client(s)",
            gateway_base,
            target.make_body,
            target.headers,
            concurrency=clients,
            seconds=seconds,
            path="/graphql",
            check=target.check,
        )
        rows.append((f"{clients}", direct, through))
    if target.join_body is not None:
        join = await http_load(
            "gateway, join of 2 subgraphs, 1 client",
            gateway_base,
            target.join_body,
            target.headers,
            concurrency=1,
            seconds=seconds,
            path="/graphql",
            check=target.check,
        )
        rows.append(("join", join, join))
    return rows


def report(target: Target, rows: list[tuple[str, Stats, Stats]]) -> str:
    lines = [f"target: {target.label}", f"machine: {machine()}"]
    for clients, direct, through in rows:
        if clients == "join":
            lines.append(through.line())
            continue
        lines.append(direct.line())
        lines.append(through.line(direct))
        lines.append(
            f"  -> {clients} client(s): gateway ÷ direct latency p50 "
            f"{through.pct(50) / direct.pct(50):.2f}x, throughput "
            f"{through.rate / direct.rate:.2f}x"
        )
    return "\n".join(lines)


def append_section(path: Path, heading: str, block: str) -> str:
    """The text of ``path`` with ``block`` added at the end of the ``heading`` section."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if heading not in text:
        return text.rstrip("\n") + f"\n\n{heading}\n" + block
    start = text.index(heading) + len(heading)
    nxt = text.find("\n## ", start)
    end = len(text) if nxt < 0 else nxt
    return text[:end].rstrip("\n") + "\n" + block + text[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--mode", choices=["auto", "hub", "standin"], default="auto")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    mode = args.mode
    if mode == "auto":
        why = hub_available()
        mode = "hub" if why is None else "standin"
        if why:
            print(f"hub mode unavailable: {why}; measuring the stand-ins")
    os.environ.pop("JIT", None)
    with tempfile.TemporaryDirectory(prefix="qhub-bench-fed-") as tmp:
        make = hub_target if mode == "hub" else standin_target
        with make(Path(tmp)) as target:
            rows = asyncio.run(measure(target, args.seconds))
    text = report(target, rows)
    print(text)
    if args.record:
        results = ROOT / "bench" / "RESULTS.md"
        stamp = time.strftime("%Y-%m-%d %H:%M")
        block = f"\n### bench/federation.py ({mode}, {stamp})\n\n```\n{text}\n```\n"
        results.write_text(append_section(results, "## Federation (issue 6)", block))


if __name__ == "__main__":
    main()
