"""Contention on the case-work write paths (issue 4), service level (no HTTP):

1. booking burst: N simultaneous bookings of one slot with capacity C (conditional UPDATE)
   next to N bookings spread over N/C slots (no contention), same run, same pool;
2. assignment: K concurrent assigners over M cases and a few officers (officer locks +
   SKIP LOCKED) next to one assigner doing the same work.

Prints throughput, p99 and the ratios; checks no slot over capacity, no case twice.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg_pool import AsyncConnectionPool

from auth.principal import Principal
from bench.harness import fresh_database, machine
from hub.readpool import libpq_url
from models.vocab import Agency, AppointmentMode, AppointmentPurpose, Role
from services.casework import appointments, assignment
from services.errors import DomainError

SUP = Principal(role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="bench", office_code="LIM")


async def seed_cases(pool: AsyncConnectionPool[Any], n: int, status: str, office: str) -> list[int]:
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "WITH p AS (INSERT INTO person (given_names, paternal_surname, sex, birth_date,"
                " nationality) SELECT 'Bench', 'Caso' || g, 'F', '1990-01-01', 'VE'"
                " FROM generate_series(1, %s) g RETURNING id),"
                " c AS (INSERT INTO case_file (office_id, status, filing_date)"
                " SELECT (SELECT id FROM office WHERE code = %s), %s, current_date"
                " FROM generate_series(1, %s) RETURNING id, number),"
                " pc AS (SELECT p.id pid, row_number() OVER () r FROM p),"
                " cc AS (SELECT c.id cid, c.number, row_number() OVER () r FROM c),"
                " m AS (INSERT INTO case_member (case_id, person_id, relationship)"
                " SELECT cid, pid, 'principal' FROM pc JOIN cc USING (r))"
                " SELECT number FROM cc",
                (n, office, status, n),
            )
        ).fetchall()
    return [r[0] for r in rows]


async def slot(pool: AsyncConnectionPool[Any], capacity: int, hour: int) -> int:
    async with pool.connection() as conn:
        s = await appointments.create_slot(
            conn,
            SUP,
            office_code="LIM",
            starts_at=datetime(2031, 1, 1, tzinfo=UTC) + timedelta(minutes=hour),
            mode=AppointmentMode.IN_PERSON,
            purpose=AppointmentPurpose.REGISTRATION_INTERVIEW,
            capacity=capacity,
        )
    return s.id


async def burst(
    pool: AsyncConnectionPool[Any], pairs: list[tuple[int, int]]
) -> tuple[float, float, int]:
    latencies: list[float] = []
    ok = 0

    async def one(case: int, slot_id: int) -> None:
        nonlocal ok
        t = time.perf_counter()
        async with pool.connection() as conn:
            try:
                await appointments.book(conn, SUP, case, slot_id)
                ok += 1
            except DomainError:
                pass
        latencies.append(time.perf_counter() - t)

    start = time.perf_counter()
    await asyncio.gather(*(one(c, s) for c, s in pairs))
    wall = time.perf_counter() - start
    latencies.sort()
    return len(pairs) / wall, latencies[int(0.99 * (len(latencies) - 1))] * 1000, ok


async def main(n: int, capacity: int, cases: int, assigners: int) -> None:
    url = libpq_url(fresh_database("qhub_bench_casework"))
    pool = AsyncConnectionPool(
        url, min_size=20, max_size=20, open=False, kwargs={"autocommit": True}
    )
    await pool.open()
    print(machine())
    hot_cases = await seed_cases(pool, n, "pre_registered", "LIM")
    cold_cases = await seed_cases(pool, n, "pre_registered", "LIM")
    hot = await slot(pool, capacity, 0)
    cold = [await slot(pool, capacity, 1 + i) for i in range(n // capacity)]
    rate_hot, p99_hot, ok_hot = await burst(pool, [(c, hot) for c in hot_cases])
    rate_cold, p99_cold, ok_cold = await burst(
        pool, [(c, cold[i % len(cold)]) for i, c in enumerate(cold_cases)]
    )
    async with pool.connection() as conn:
        over = await (
            await conn.execute("SELECT count(*) FROM appointment_slot WHERE booked > capacity")
        ).fetchone()
    print(
        f"booking, {n} at once on one slot of {capacity}: {rate_hot:.0f}/s,"
        f" p99 {p99_hot:.0f} ms, booked {ok_hot}; spread over {len(cold)} slots:"
        f" {rate_cold:.0f}/s, p99 {p99_cold:.0f} ms, booked {ok_cold};"
        f" hot/spread throughput {rate_hot / rate_cold:.2f}; over capacity: {over[0]}"
    )

    async with pool.connection() as conn:
        for office in ("AQP", "TRU"):
            await conn.execute(
                "INSERT INTO officer (username, full_name, role, office_id, capacity)"
                " SELECT 'bench-' || %s || '-' || g, 'Bench', 'cepr-eligibility',"
                " (SELECT id FROM office WHERE code = %s), %s FROM generate_series(1, 10) g",
                (office, office, cases // 10 + 1),
            )
    await seed_cases(pool, cases, "under_review", "AQP")
    await seed_cases(pool, cases, "under_review", "TRU")

    async def assign(office: str, limit: int) -> int:
        async with pool.connection() as conn:
            run = await assignment.assign_cases(conn, SUP, office, limit)
        return len(run.assigned)

    t = time.perf_counter()
    total = sum(
        await asyncio.gather(*(assign("AQP", cases // assigners) for _ in range(assigners)))
    )
    concurrent = time.perf_counter() - t
    t = time.perf_counter()
    single = await assign("TRU", cases)
    alone = time.perf_counter() - t
    async with pool.connection() as conn:
        twice = await (
            await conn.execute(
                "SELECT count(*) FROM (SELECT case_id FROM case_assignment GROUP BY case_id"
                " HAVING count(*) > 1) x"
            )
        ).fetchone()
    print(
        f"assignment of {cases} cases to 10 officers: {assigners} concurrent assigners"
        f" {total / concurrent:.0f} cases/s ({total} assigned), one assigner"
        f" {single / alone:.0f} cases/s; concurrent/single {alone / concurrent:.2f};"
        f" cases assigned twice: {twice[0]}"
    )
    await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--assigners", type=int, default=8)
    a = parser.parse_args()
    asyncio.run(main(a.bookings, a.capacity, a.cases, a.assigners))
