"""Small, explicit test data: persons, cases with family and needs, inserted in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


@dataclass
class MadeCase:
    id: int
    number: int
    person_ids: list[int]
    office_code: str


async def make_cases(
    engine: AsyncEngine,
    count: int,
    *,
    office_code: str = "LIM",
    family_size: int = 3,
    status: str = "under_review",
    needs: tuple[str, ...] = ("WR-WR", "SM-CI"),
    nationality: str = "VE",
    assigned_officer_id: int | None = None,
    filing_date: date | None = None,
) -> list[MadeCase]:
    """``count`` cases, each with a principal and ``family_size - 1`` dependants, and needs."""
    made: list[MadeCase] = []
    async with engine.begin() as conn:
        office_id = (
            await conn.execute(text("SELECT id FROM office WHERE code = :c"), {"c": office_code})
        ).scalar_one()
        for i in range(count):
            tag = _next()
            person_ids = []
            for k in range(family_size):
                pid = (
                    await conn.execute(
                        text(
                            "INSERT INTO person (given_names, paternal_surname, maternal_surname,"
                            " sex, birth_date, country_of_birth, nationality, department, phone,"
                            " email, education_level, profession) VALUES (:g, :p, :m, :s, :b,"
                            " :n, :n, 'LIMA', '+51987654321', :e, 'university', 'Ingeniera')"
                            " RETURNING id"
                        ),
                        {
                            "g": f"Persona{tag}x{k}",
                            "p": "Pérez",
                            "m": "González",
                            "s": "F" if k % 2 == 0 else "M",
                            "b": date(1985, 1, 1) + timedelta(days=400 * k + tag % 300),
                            "n": nationality,
                            "e": f"p{tag}x{k}@example.org",
                        },
                    )
                ).scalar_one()
                await conn.execute(
                    text(
                        "INSERT INTO identity_document (person_id, doc_type, number,"
                        " issuing_country) VALUES (:p, 'national_id', :num, :c)"
                    ),
                    {"p": pid, "num": f"T{tag:07d}{k}", "c": nationality},
                )
                person_ids.append(pid)
            row = (
                await conn.execute(
                    text(
                        "INSERT INTO case_file (office_id, status, filing_date,"
                        " assigned_officer_id) VALUES (:o, :s, :f, :a) RETURNING id, number"
                    ),
                    {
                        "o": office_id,
                        "s": status,
                        "f": filing_date or date(2024, 1, 1) + timedelta(days=i % 500),
                        "a": assigned_officer_id,
                    },
                )
            ).one()
            members: list[dict[str, Any]] = [
                {"c": row.id, "p": pid, "r": "principal" if k == 0 else "child"}
                for k, pid in enumerate(person_ids)
            ]
            await conn.execute(
                text(
                    "INSERT INTO case_member (case_id, person_id, relationship) VALUES (:c, :p, :r)"
                ),
                members,
            )
            if needs:
                await conn.execute(
                    text("INSERT INTO case_need (case_id, person_id, code) VALUES (:c, :p, :n)"),
                    [{"c": row.id, "p": person_ids[0], "n": n} for n in needs],
                )
            made.append(MadeCase(row.id, row.number, person_ids, office_code))
    return made


async def make_officer(
    engine: AsyncEngine, role: str, office_code: str = "LIM", username: str | None = None
) -> int:
    async with engine.begin() as conn:
        return (
            await conn.execute(
                text(
                    "INSERT INTO officer (username, full_name, role, office_id) SELECT :u, :n, :r,"
                    " id FROM office WHERE code = :o RETURNING id"
                ),
                {
                    "u": username or f"officer{_next()}",
                    "n": "Funcionaria de Prueba",
                    "r": role,
                    "o": office_code,
                },
            )
        ).scalar_one()
