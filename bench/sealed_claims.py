"""The cost of data at rest (issue 17), service level (no HTTP), one run:

1. reading a case with its claim data (the case row, its members, 2 interviews, an
   assessment, a decision, an appeal): sealed (services.casework.claim_records: the
   case's wrapped key + AES-256-GCM per value) ÷ the same rows unsealed (plain-text copies
   of the claim tables, same statements without the key). Warm: data keys cached (as in a
   running hub); cold: every read unwraps its case's key again (file KEK).
2. checkpoint: signing one (with the check that the log extends the last checkpoint),
   without and with an RFC 3161 timestamp (a local TSA: pyHanko's stamper over HTTP),
   over a log of --log-entries entries.

Prints reads/s, the ratios and milliseconds per checkpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from auth.access_log import entry_for
from auth.access_log_append import append
from auth.checkpoint_files import publish
from auth.keys import KeyStore
from auth.principal import Principal
from bench.casework_contention import seed_cases
from bench.harness import analyze, fresh_database, machine, median
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services import sealing
from services.casework import claim_records as claim
from services.sealing_keys import FileKeyring

Conn = psycopg.AsyncConnection[Any]
TEXT = "Relato de la persona solicitante: " + "amenazas, desplazamiento, temor fundado. " * 12


async def seed(url: str, conn: Conn, cases: int) -> list[int]:
    async with AsyncConnectionPool(libpq_url(url), min_size=1, max_size=1) as pool:
        numbers = await seed_cases(pool, cases, "rejected", "LIM")
    rows = await (
        await conn.execute("SELECT id FROM case_file WHERE number = ANY(%s)", (numbers,))
    ).fetchall()
    ids = [r[0] for r in rows]
    for case_id in ids:
        key = await sealing.case_key_for_writing(conn, case_id)
        for _ in range(2):
            await conn.execute(
                "INSERT INTO interview_record (case_id, mode, held_at, language, summary,"
                " interviewer) VALUES (%s, 'in_person', now(), 'spa', %s, 'bench')",
                (case_id, key.seal(TEXT, claim.INTERVIEW_SUMMARY)),
            )
        await conn.execute(
            "INSERT INTO eligibility_assessment (case_id, grounds, credibility, analysis,"
            " recommendation, assessor) VALUES (%s, %s, %s, %s, %s, 'bench')",
            (
                case_id,
                key.seal(json.dumps(["political_opinion"]), claim.ASSESSMENT_GROUNDS),
                key.seal(TEXT, claim.ASSESSMENT_CREDIBILITY),
                key.seal(TEXT, claim.ASSESSMENT_ANALYSIS),
                key.seal("reject", claim.ASSESSMENT_RECOMMENDATION),
            ),
        )
        await conn.execute(
            "INSERT INTO case_decision (case_id, instance, outcome, reasons, decided_by)"
            " VALUES (%s, 'first', 'rejected', %s, 'bench')",
            (case_id, key.seal(TEXT, claim.DECISION_REASONS)),
        )
        await conn.execute(
            "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES (%s, %s, 'bench')",
            (case_id, key.seal(TEXT, claim.APPEAL_GROUNDS)),
        )
    # the unsealed baseline: the same rows with the claim columns as text
    records = await claim.read_claim_records_many(conn, ids)
    await conn.execute(
        "CREATE TABLE plain_interview (LIKE interview_record);"
        " ALTER TABLE plain_interview ALTER summary TYPE text;"
        " CREATE TABLE plain_assessment (LIKE eligibility_assessment);"
        " ALTER TABLE plain_assessment ALTER grounds TYPE text,"
        " ALTER credibility TYPE text, ALTER analysis TYPE text, ALTER recommendation TYPE text;"
        " CREATE TABLE plain_decision (LIKE case_decision);"
        " ALTER TABLE plain_decision ALTER reasons TYPE text;"
        " CREATE TABLE plain_appeal (LIKE claim_appeal);"
        " ALTER TABLE plain_appeal ALTER grounds TYPE text"
    )
    for r in records.values():
        for i in r.interviews:
            await conn.execute(
                "INSERT INTO plain_interview VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    i.id,
                    r.case_id,
                    i.mode,
                    i.held_at,
                    i.language,
                    i.interpreter,
                    i.summary,
                    i.interviewer,
                    i.created_at,
                ),
            )
        for a in r.assessments:
            await conn.execute(
                "INSERT INTO plain_assessment VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    a.id,
                    r.case_id,
                    json.dumps(a.grounds),
                    a.credibility,
                    a.analysis,
                    a.recommendation,
                    a.assessor,
                    a.created_at,
                ),
            )
        for d in r.decisions:
            await conn.execute(
                "INSERT INTO plain_decision VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (d.id, r.case_id, d.instance, d.outcome, d.reasons, d.decided_by, d.decided_at),
            )
        for p in r.appeals:
            await conn.execute(
                "INSERT INTO plain_appeal VALUES (%s, %s, %s, %s, %s)",
                (p.id, r.case_id, p.grounds, p.filed_by, p.filed_at),
            )
    for table in ("plain_interview", "plain_assessment", "plain_decision", "plain_appeal"):
        await conn.execute(f"CREATE INDEX ON {table} (case_id)")
    return ids


async def case_row(conn: Conn, case_id: int) -> Any:
    return await (
        await conn.execute(
            "SELECT c.number, c.status, o.code, array_agg(m.person_id) FROM case_file c"
            " JOIN office o ON o.id = c.office_id JOIN case_member m ON m.case_id = c.id"
            " WHERE c.id = %s GROUP BY c.number, c.status, o.code",
            (case_id,),
        )
    ).fetchone()


async def read_sealed(conn: Conn, case_id: int) -> Any:
    return await case_row(conn, case_id), await claim.read_claim_records(conn, case_id)


async def read_plain(conn: Conn, case_id: int) -> Any:
    """The same statements as claim_records (one pipeline), on plain tables, no key."""
    plain = [
        sql.replace("FROM interview_record", "FROM plain_interview")
        .replace("FROM eligibility_assessment", "FROM plain_assessment")
        .replace("FROM case_decision", "FROM plain_decision")
        .replace("FROM claim_appeal", "FROM plain_appeal")
        for sql in claim.RECORDS_SQL
    ]
    return await case_row(conn, case_id), await claim.fetch_pipelined(conn, plain, [case_id])


async def timed(conn: Conn, read: Callable[[Conn, int], Awaitable[Any]], case_id: int) -> float:
    start = time.perf_counter()
    await read(conn, case_id)
    return time.perf_counter() - start


async def interleaved(conn: Conn, ids: list[int], n: int) -> dict[str, list[float]]:
    """Per-read times of the three ways, interleaved read by read in a random order, so a
    busy machine slows all three alike."""
    times: dict[str, list[float]] = {"plain": [], "warm": [], "cold": []}
    for _ in range(n):
        case_id = random.choice(ids)
        ways = list(times)
        random.shuffle(ways)
        for way in ways:
            if way == "cold":
                sealing.forget_data_keys()
            read = read_plain if way == "plain" else read_sealed
            times[way].append(await timed(conn, read, case_id))
    return times


def tsa_server() -> tuple[str, ThreadingHTTPServer]:
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from tests.services.documents.test_timestamp import tsa_identity

    _, cert, key = tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/tsa", server


async def checkpoints(conn: Conn, entries: int, rounds: int, work: Path) -> None:
    reader = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="bench")
    for start in range(0, entries, 500):
        async with conn.transaction():
            batch = min(500, entries - start)
            await append(conn, [entry_for(reader, "read", [1], ["identity"])] * batch)
    store = KeyStore.open(work / "keys")
    url, server = tsa_server()
    for label, tsa in (("without timestamp", None), ("with RFC 3161 timestamp", url)):
        folder = work / label.replace(" ", "-")
        times = []
        for _ in range(rounds):
            async with conn.transaction():
                await append(conn, [entry_for(reader, "read", [1], ["identity"])])
            t = time.perf_counter()
            await publish(conn, store, folder, tsa)
            times.append(time.perf_counter() - t)
        print(
            f"checkpoint {label} over {entries} entries: median {median(times) * 1000:.1f} ms"
            f" (first, full chain check: {times[0] * 1000:.1f} ms)"
        )
    server.shutdown()


async def main(cases: int, reads: int, entries: int, rounds: int) -> None:
    print(machine())
    work = Path(tempfile.mkdtemp(prefix="qhub-bench-sealed-"))
    sealing.configure(FileKeyring(work / "claim-keys"))
    url = fresh_database("qhub_bench_sealed")
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        ids = await seed(url, conn, cases)
        analyze(url)
        await interleaved(conn, ids, min(reads, 300))  # warm up
        times = await interleaved(conn, ids, reads)
        plain, warm, cold = (median(times[k]) for k in ("plain", "warm", "cold"))
        print(
            f"case with claim data ({cases} cases, {reads} interleaved reads, median per read):"
            f" unsealed {plain * 1e6:.0f} us, sealed {warm * 1e6:.0f} us (data keys cached)"
            f" -> sealed/unsealed throughput {plain / warm:.2f}; sealed {cold * 1e6:.0f} us"
            f" (key unwrapped every read) -> {plain / cold:.2f}"
        )
        await checkpoints(conn, entries, rounds, work)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--log-entries", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    a = parser.parse_args()
    asyncio.run(main(a.cases, a.reads, a.log_entries, a.rounds))
