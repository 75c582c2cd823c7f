"""``qhub backup`` → wipe → ``qhub restore`` → verified: migrations current, row counts as
backed up, the access log intact and agreeing with the published checkpoints; claim data
is sealed inside the backup and reads back after the restore (same KEKs)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from auth.access_log import entry_for
from auth.access_log_append import append
from auth.principal import Principal
from hub.commands.backup import pg_tool
from hub.db import create_engine as create_async
from hub.readpool import libpq_url
from hub.settings import load_settings
from models.vocab import Agency, Role
from services import sealing
from services.casework.claim_records import APPEAL_GROUNDS, read_claim_records
from services.sealing_keys import FileKeyring
from tests.conftest import create_database, drop_database
from tests.factories import make_cases
from tests.qhub_cli import run_qhub

SECRET = "Perseguido por denunciar al alcalde de su pueblo"
READER = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="lector")


@pytest.fixture()
def own_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_backup")
    yield url
    drop_database(server_url, url)


async def counts(url: str) -> dict[str, int]:
    from hub.commands.backup import table_counts

    async with await psycopg.AsyncConnection.connect(libpq_url(url)) as conn:
        return await table_counts(conn)


async def test_backup_wipe_restore_verify(own_database: str, tmp_path: Path) -> None:
    # Given a hub's database with a case's sealed claim data and a logged, checkpointed log
    previous = sealing.configure(FileKeyring(tmp_path / "claim-keys"))
    try:
        engine = create_async(own_database, load_settings())
        case = (await make_cases(engine, 1, family_size=2))[0]
        await engine.dispose()
        url = libpq_url(own_database)
        async with await psycopg.AsyncConnection.connect(url) as conn, conn.transaction():
            key = await sealing.case_key_for_writing(conn, case.id)
            await conn.execute(
                "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES (%s, %s, 't')",
                (case.id, key.seal(SECRET, APPEAL_GROUNDS)),
            )
            await append(conn, [entry_for(READER, "read", case.person_ids, ["identity"])])
        assert run_qhub(own_database, tmp_path, "audit", "checkpoint").returncode == 0
        before = await counts(own_database)
        # When it is backed up
        out = tmp_path / "qhub.dump"
        made = run_qhub(own_database, tmp_path, "backup", str(out))
        assert made.returncode == 0, made.stdout + made.stderr
        # Then the backup holds the claim data sealed only
        script = subprocess.run(
            [pg_tool("pg_restore"), "--file", "-", str(out)], capture_output=True, check=True
        ).stdout
        assert b"claim_appeal" in script and b"claim_data_key" in script
        assert SECRET.encode() not in script and b"alcalde" not in script
        # When the database is wiped and the backup restored
        async with await psycopg.AsyncConnection.connect(
            libpq_url(own_database), autocommit=True
        ) as conn:
            await conn.execute("DROP SCHEMA public CASCADE")
            await conn.execute("CREATE SCHEMA public")
        restored = run_qhub(own_database, tmp_path, "restore", str(out))
        # Then the restore verifies: migrations, counts, the log against its checkpoint
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "Copia restaurada y verificada" in restored.stdout
        assert "Coincide con los puntos de control" in restored.stdout
        assert await counts(own_database) == before
        # And the claim data reads back with the same keys
        sealing.forget_data_keys()
        async with await psycopg.AsyncConnection.connect(libpq_url(own_database)) as conn:
            records = await read_claim_records(conn, case.id)
        assert [a.grounds for a in records.appeals] == [SECRET]
        # When restoring again over a database that has tables, without --replace
        again = run_qhub(own_database, tmp_path, "restore", str(out))
        # Then it is refused and nothing changed
        assert again.returncode == 2 and "DATABASE_NOT_EMPTY" in again.stderr
        assert await counts(own_database) == before
    finally:
        sealing.configure(previous)


async def test_a_restore_whose_log_was_rewritten_fails_verification(
    own_database: str, tmp_path: Path
) -> None:
    # Given a checkpointed log, and a backup taken after someone rewrote an entry
    url = libpq_url(own_database)
    async with await psycopg.AsyncConnection.connect(url) as conn, conn.transaction():
        await append(conn, [entry_for(READER, "read", [1], ["identity"]) for _ in range(3)])
    assert run_qhub(own_database, tmp_path, "audit", "checkpoint").returncode == 0
    async with await psycopg.AsyncConnection.connect(
        libpq_url(own_database), autocommit=True
    ) as conn:
        await conn.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        await conn.execute(
            "UPDATE access_log SET entry_hash = sha256(entry_hash)"
            " WHERE id = (SELECT max(id) FROM access_log)"
        )
        await conn.execute("ALTER TABLE access_log ENABLE TRIGGER USER")
    out = tmp_path / "qhub.dump"
    assert run_qhub(own_database, tmp_path, "backup", str(out)).returncode == 0
    # When it is restored
    restored = run_qhub(own_database, tmp_path, "restore", "--replace", str(out))
    # Then the verification fails and says why
    assert restored.returncode == 1
    assert "AUDIT_FAILED" in restored.stderr
    assert _has(restored, "Cadena rota")


def _has(result: subprocess.CompletedProcess[str], text: str) -> Any:
    return text in result.stdout + result.stderr
