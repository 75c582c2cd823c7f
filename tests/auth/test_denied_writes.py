"""Denied writes change nothing: a role without the write grant cannot even name the
mutation, and the database stays as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.importing.service import ImportOptions, run_import
from tests.auth.tokens import mint
from tests.conftest import LiveHub

SHEET = (
    "Nombres;Apellido paterno;Apellido materno;Nacionalidad;Expediente;Teléfono\n"
    "Nilda;Condori;Apaza;venezolana;180777;\n"
    "Nilda;Condori;Apaza;VEN;;987000111\n"
)


@pytest.fixture(scope="module")
async def pair(batch_engine: AsyncEngine, tmp_path_factory: Any) -> int:
    sheet: Path = tmp_path_factory.mktemp("denied") / "par.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    await run_import(batch_engine, [sheet], ImportOptions())
    async with batch_engine.connect() as conn:
        return int(
            (
                await conn.execute(text("SELECT max(id) FROM import_pair WHERE status = 'open'"))
            ).scalar_one()
        )


async def snapshot(engine: AsyncEngine) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        pairs = (await conn.execute(text("SELECT id, status FROM import_pair ORDER BY id"))).all()
        merges = (await conn.execute(text("SELECT count(*) FROM import_merge"))).scalar_one()
        persons = (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one()
    return tuple(pairs), merges, persons


@pytest.mark.parametrize(
    ("role", "claims", "purpose"),
    [
        ("cepr-registrar", {"office": "LIM"}, "case-management"),
        ("cepr-eligibility", {"office": "LIM", "officer": 1}, "case-management"),
        ("acnur", {}, "protection-assistance"),
        ("migraciones", {}, "deportation-protection"),
        ("applicant", {"person": 1}, None),
    ],
)
async def test_a_merge_by_a_role_that_may_not_write_changes_nothing(
    live_hub: LiveHub,
    engine: AsyncEngine,
    pair: int,
    role: str,
    claims: dict[str, Any],
    purpose: str | None,
) -> None:
    before = await snapshot(engine)
    headers = {"Authorization": f"Bearer {mint(role, **claims)}"}
    if purpose:
        headers["X-Purpose"] = purpose
    response = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": f'mutation {{ confirmImportPair(id: "{pair}") {{ id }} }}'},
        headers=headers,
    )
    body = response.json()
    assert "data" not in body or body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await snapshot(engine) == before
