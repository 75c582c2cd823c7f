"""The import adjudication mutations commit together with their write-log entry: the
change and its entry (with the rows it changed) are both there, or neither is."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine
from hub.settings import load_settings
from services.importing.service import ImportOptions, run_import
from tests.auth.tokens import mint
from tests.conftest import LiveHub, create_database, drop_database
from tests.services.importing.test_graphql_adjudication import SHEET

SUPERVISOR = {"Authorization": f"Bearer {mint('cepr-supervisor', office='LIM')}"}
CONFIRM = "mutation Confirmar($id: ID!) { confirmImportPair(id: $id) { mergeId } }"
UNDO = "mutation Deshacer($id: ID!) { undoImportMerge(id: $id) }"
# A fault in the log, for one operation only: the append of its entry fails.
REFUSE_LOG = """
CREATE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'registro no disponible'; END $$;
CREATE TRIGGER test_refuse_log BEFORE INSERT ON access_log FOR EACH ROW
WHEN (NEW.operation = 'Deshacer') EXECUTE FUNCTION test_refuse_log();
"""


@pytest.fixture(scope="module")
def db_url(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_import_log")
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="module")
async def db(db_url: str, tmp_path_factory: Any) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url, load_settings())
    sheet: Path = tmp_path_factory.mktemp("registro") / "dos.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    report = await run_import(engine, [sheet], ImportOptions())
    assert report.pairs_queued == 1
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def hub(db_url: str, db: AsyncEngine) -> Iterator[LiveHub]:
    live = LiveHub(db_url).start()
    yield live
    live.stop()


def send(hub: LiveHub, query: str, operation: str, **variables: Any) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables, "operationName": operation},
        headers=SUPERVISOR,
        timeout=60,
    )


async def one(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).one()


async def entries(engine: AsyncEngine, operation: str) -> list[Any]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT changes FROM access_log WHERE operation = :o ORDER BY id"),
            {"o": operation},
        )
        return [r[0] for r in rows]


async def test_an_adjudication_commits_with_its_entry_or_not_at_all(
    hub: LiveHub, db: AsyncEngine
) -> None:
    (pair_id,) = await one(db, "SELECT id FROM import_pair WHERE status = 'open'")
    # When the supervisor confirms the pair
    confirmed = send(hub, CONFIRM, "Confirmar", id=str(pair_id))
    assert "errors" not in confirmed.json(), confirmed.json()
    merge_id = confirmed.json()["data"]["confirmImportPair"]["mergeId"]
    # Then the merge is there, and exactly one entry with the rows it changed
    assert await one(db, "SELECT status FROM import_pair WHERE id = :p", p=pair_id) == (
        "confirmed",
    )
    (entry,) = await entries(db, "Confirmar")
    assert (entry["mutations"], entry["succeeded"]) == (["confirmImportPair"], True)
    assert entry["arguments"] == {"id": str(pair_id)}
    changed = {(r["table"], r["operation"]) for r in entry["rows"]}
    assert ("import_pair", "update") in changed and ("import_merge", "insert") in changed
    # and nothing is left staged outside the chain
    assert await one(db, "SELECT count(*) FROM write_change") == (0,)

    # Given a log that fails to take the undo's entry
    async with db.begin() as conn:
        await conn.exec_driver_sql(REFUSE_LOG)
    try:
        persons = await one(db, "SELECT count(*) FROM person")
        # When the supervisor undoes the merge
        failed = send(hub, UNDO, "Deshacer", id=merge_id)
        # Then the undo is not acknowledged and nothing of it stays
        assert failed.status_code == 503 or "errors" in failed.json(), failed.text
        assert (failed.json().get("data") or {}).get("undoImportMerge") is None
        assert await one(db, "SELECT count(*) FROM person") == persons
        assert await one(
            db, "SELECT undone_at IS NULL FROM import_merge WHERE id = :m", m=int(merge_id)
        ) == (True,)
        assert await entries(db, "Deshacer") == []
        assert await one(db, "SELECT count(*) FROM write_change") == (0,)
    finally:
        async with db.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER test_refuse_log ON access_log")
    # When the log works again, the same undo commits with its entry
    undone = send(hub, UNDO, "Deshacer", id=merge_id)
    assert "errors" not in undone.json(), undone.json()
    assert await one(db, "SELECT count(*) FROM person") == (persons[0] + 1,)
    (entry,) = await entries(db, "Deshacer")
    assert entry["mutations"] == ["undoImportMerge"] and entry["succeeded"] is True
