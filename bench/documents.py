"""Documents (issue 5): permits issued per second (render + sign + store) next to raw pyHanko
signing of the same page, measured in one run, and verifications per second (offline JWS
check + online status lookup).

    .venv/bin/python bench/documents.py [--permits 40] [--verifications 3000] [--record]

Prints the ratio issued/raw (aim >= 0.6) and verifications/s (aim >= 1,000).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from sqlalchemy.ext.asyncio import create_async_engine

from auth.keys import KeyStore
from bench.harness import fresh_database, machine
from hub.readpool import libpq_url
from services.documents.identity import load_identity
from services.documents.permit import PermitData, render_permit, sign_pdf
from services.documents.service import issue_permit, verify_permit_token
from tests.factories import make_cases


async def run(permits: int, verifications: int) -> dict[str, float]:
    url = fresh_database("qhub_bench_docs")
    engine = create_async_engine(url)
    cases = await make_cases(engine, permits, status="under_review")
    await engine.dispose()
    work = Path(tempfile.mkdtemp(prefix="qhub-docs-bench-"))
    identity = load_identity(work / "signing")
    keys = KeyStore.open(work / "keys")

    def sign_token(claims: dict[str, Any]) -> str:
        return keys.sign_jws(claims, typ="qr+jwt")

    page = render_permit(
        PermitData(
            "0" * 32,
            date.today(),
            106420,
            "María José",
            "Pérez Gómez",
            date(1990, 5, 1),
            "VE",
            "VE",
            "passport",
            "X1234567",
            date(2019, 3, 2),
            "Av. Arequipa 123",
            "Lima",
            "Lima",
            "Miraflores",
            "+51 999 999 999",
            "mj@example.org",
            date(2019, 3, 10),
            date(2027, 3, 10),
            identity.signer_name,
            "https://hub.example/v/" + "x" * 180,
        )
    )
    await sign_pdf(page, identity)  # warm-up
    tokens: list[str] = []
    raw_time = issue_time = 0.0
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        # Interleaved, so that load from other processes on the machine hits both alike.
        for case in cases:
            start = time.perf_counter()
            await sign_pdf(page, identity)
            raw_time += time.perf_counter() - start
            start = time.perf_counter()
            issued = await issue_permit(
                conn, case.number, identity, sign_token, "https://hub.example", "bench"
            )
            issue_time += time.perf_counter() - start
            tokens.append(issued.token)
        raw, issued_rate = permits / raw_time, permits / issue_time

        start = time.perf_counter()
        for i in range(verifications):
            result = await verify_permit_token(conn, tokens[i % len(tokens)], keys.verify_jws)
            assert result.status == "valid", result
        verify_rate = verifications / (time.perf_counter() - start)
    return {"raw": raw, "issued": issued_rate, "verify": verify_rate}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--permits", type=int, default=40)
    parser.add_argument("--verifications", type=int, default=3000)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    r = asyncio.run(run(args.permits, args.verifications))
    ratio = r["issued"] / r["raw"]
    lines = [
        f"- {time.strftime('%Y-%m-%d %H:%M')}, {machine()}",
        f"- raw pyHanko signing of the same page: {r['raw']:.1f}/s",
        f"- permits issued (render + QR + JWS + sign + store): {r['issued']:.1f}/s"
        f" — ratio {ratio:.2f} (aim >= 0.6)",
        f"- verifications (offline JWS + online status, one connection): {r['verify']:.0f}/s"
        " (aim >= 1,000)",
    ]
    print("\n".join(lines))
    if args.record:
        results = Path(__file__).with_name("RESULTS.md")
        text = results.read_text(encoding="utf-8")
        heading = "## Documents (issue 5)"
        if heading not in text:
            text = text.rstrip("\n") + f"\n\n{heading}\n\n`.venv/bin/python bench/documents.py`\n"
        results.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
