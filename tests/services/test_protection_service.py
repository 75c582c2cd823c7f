"""Protection lookups at the service level: minimal answers with the held document and
its status, and a 10,000-document batch in one SQL statement."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.protection import DocumentKey, protection_by_documents
from services.protection_candidates import protection_candidates
from tests.factories import make_cases


class Counting:
    """A psycopg connection that counts the statements sent through it."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.conn, self.statements = conn, 0

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return await self.conn.execute(*args, **kwargs)


async def test_answer_carries_the_work_permit_and_its_status(
    engine: AsyncEngine, database_url: str
) -> None:
    # Given a family with a pending claim whose principal holds a revoked then an active permit
    case = (await make_cases(engine, 1, status="under_review", filing_date=date(2023, 4, 5)))[0]
    async with engine.begin() as conn:
        permits = (("WP-OLD", "revoked", "2023-05-01"), ("WP-NEW", "active", "2024-05-01"))
        for ident, status, issued in permits:
            await conn.execute(
                text(
                    "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to,"
                    " status, issued_at, issued_by, sha256, pdf) VALUES (:i, :c, :p,"
                    " '2023-04-05', '2025-04-05', :s, :t, 'test', repeat('0', 64), '')"
                ),
                {"i": f"{ident}-{case.id}", "c": case.id, "p": case.person_ids[0], "s": status,
                 "t": issued},
            )  # fmt: skip
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": case.person_ids[0]},
            )
        ).scalar_one()
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as raw:
        counting = Counting(raw)
        # When the Migration Office asks (dashes and lower case as typed at the border)
        records = await protection_by_documents(
            counting,  # type: ignore[arg-type]
            [
                DocumentKey("national_id", f" {number[:3]}-{number[3:]} ".lower(), "ve"),
                DocumentKey("national_id", "NOPE0001", "VE"),
            ],
        )
    # Then: protected on a pending claim since the filing date, with the latest permit
    mine, unknown = records
    assert (mine.found, mine.protected, mine.basis, mine.since) == (
        True, True, "pending_claim", date(2023, 4, 5),
    )  # fmt: skip
    assert mine.document_held is not None
    assert (mine.document_held.number, mine.document_held.status) == (
        f"WP-NEW-{case.id}", "active",
    )  # fmt: skip
    assert (unknown.found, unknown.protected, unknown.document_held) == (False, False, None)
    assert counting.statements == 1


async def test_ten_thousand_documents_take_one_statement(
    engine: AsyncEngine, database_url: str
) -> None:
    made = await make_cases(engine, 5, family_size=2)
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as raw:
        numbers = [
            row[0]
            for row in await (
                await raw.execute(
                    "SELECT number FROM identity_document WHERE person_id = ANY(%s)",
                    [[p for c in made for p in c.person_ids]],
                )
            ).fetchall()
        ]
        docs = [
            DocumentKey("national_id", numbers[i % len(numbers)] if i % 2 else f"X{i}", "VE")
            for i in range(10_000)
        ]
        counting = Counting(raw)
        records = await protection_by_documents(counting, docs)  # type: ignore[arg-type]
    assert counting.statements == 1
    assert len(records) == 10_000
    assert [r.found for r in records[:4]] == [False, True, False, True]
    assert all(r.document == d for r, d in zip(records, docs, strict=True))


MIGRACIONES = Principal(role=Role.MIGRACIONES, agency=Agency.MIGRACIONES, subject="m")


async def test_candidates_despite_swapped_surnames_and_missing_accents(
    engine: AsyncEngine, database_url: str
) -> None:
    async with engine.begin() as conn:
        pid = (
            await conn.execute(
                text(
                    "INSERT INTO person (given_names, paternal_surname, maternal_surname, sex,"
                    " birth_date, country_of_birth, nationality) VALUES ('José Ángel',"
                    " 'Núñez', 'Peña', 'M', '1990-07-14', 'VE', 'VE') RETURNING id"
                )
            )
        ).scalar_one()
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        swapped = await protection_candidates(
            conn, MIGRACIONES, "Jose Angel", "Pena Nunez", date(1990, 7, 14)
        )
        typo = await protection_candidates(conn, MIGRACIONES, "Jose", "Nuñes", date(1990, 7, 14))
        other_day = await protection_candidates(
            conn, MIGRACIONES, "José Ángel", "Núñez", date(1990, 7, 15)
        )
    assert swapped[0].protection.person_id == pid and swapped[0].score >= 90
    assert typo and typo[0].protection.person_id == pid
    assert all(c.protection.person_id != pid for c in other_day)
