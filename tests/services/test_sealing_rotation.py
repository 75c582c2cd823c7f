"""Rotating the key-encryption key while claims are being written: nothing is lost, data
wrapped under the previous KEK reads until that KEK is retired, and a retired KEK makes
what is still wrapped under it (an old backup's keys) unreadable. A database of its own:
the rotation rewraps every case of the database it runs on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db import create_engine as create_async
from hub.readpool import libpq_url
from hub.settings import load_settings
from services import sealing
from services.casework.claim_records import (
    APPEAL_GROUNDS,
    read_claim_records_many,
    read_history_reasons,
)
from services.casework.status import SEALED_REASON_NOTE
from services.sealing_keys import FileKeyring, SealingError
from services.sealing_rotation import kek_usage, retire_kek, rotate_claims
from tests.conftest import create_database, drop_database
from tests.factories import make_cases


@pytest.fixture(scope="module")
def own_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, "qhub_rotation")
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileKeyring]:
    keys = FileKeyring(tmp_path_factory.mktemp("rotation") / "claim-keys")
    previous = sealing.configure(keys)
    yield keys
    sealing.configure(previous)


@pytest.fixture()
async def own_engine(own_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async(own_database, load_settings())
    yield engine
    await engine.dispose()


async def connect(url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True)


async def file_appeal(url: str, case_id: int, grounds: str) -> None:
    """A claim write as the service makes it: the case's key (made on first use), sealed."""
    async with await connect(url) as conn, conn.transaction():
        key = await sealing.case_key_for_writing(conn, case_id)
        await conn.execute(
            "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES (%s, %s, 'test')",
            (case_id, key.seal(grounds, APPEAL_GROUNDS)),
        )


async def test_rotation_under_writes_loses_nothing_and_old_keys_read_until_retired(
    ring: FileKeyring, own_engine: AsyncEngine, own_database: str
) -> None:
    # Given 60 cases with claim data under the first KEK
    old_kek = ring.current()
    before = await make_cases(own_engine, 60, family_size=1, needs=())
    await asyncio.gather(*(file_appeal(own_database, c.id, f"motivo {c.id}") for c in before))
    async with await connect(own_database) as conn:
        old_copy = await (
            await conn.execute(
                "SELECT case_id, kek_id, wrapped FROM claim_data_key ORDER BY case_id LIMIT 1"
            )
        ).fetchone()
    assert old_copy is not None and old_copy[1] == old_kek
    # When the KEK is rotated while 40 new cases and 60 second appeals are written
    during = await make_cases(own_engine, 40, family_size=1, needs=())
    writes = [file_appeal(own_database, c.id, f"motivo {c.id}") for c in during]
    writes += [file_appeal(own_database, c.id, f"segundo {c.id}") for c in before]

    async def rotate() -> Any:
        async with await connect(own_database) as conn:
            return await rotate_claims(conn, batch=7)

    rotation, *_ = await asyncio.gather(rotate(), *writes)
    sealing.forget_data_keys()
    # Then every data key is wrapped under the new KEK, and every value reads
    async with await connect(own_database) as conn:
        assert await kek_usage(conn) == {rotation.kek_id: 100}
        records = await read_claim_records_many(conn, [c.id for c in before + during])
    assert {c: [a.grounds for a in r.appeals] for c, r in records.items()} == {
        **{c.id: [f"motivo {c.id}", f"segundo {c.id}"] for c in before},
        **{c.id: [f"motivo {c.id}"] for c in during},
    }
    assert rotation.kek_id != old_kek and ring.ids() == [old_kek, rotation.kek_id]
    # And a data key still wrapped under the previous KEK (as an old backup holds it)
    # still opens while that KEK exists
    case_id, _, old_wrapped = old_copy
    assert (
        sealing.key_from_row(case_id, old_kek, old_wrapped).open(
            (await _appeal(own_database, case_id)), APPEAL_GROUNDS
        )
        == f"motivo {case_id}"
    )
    # When the previous KEK is retired
    async with await connect(own_database) as conn:
        await retire_kek(conn, old_kek)
    # Then the old copy no longer opens, and the live data still does
    with pytest.raises(SealingError) as caught:
        sealing.key_from_row(case_id, old_kek, old_wrapped)
    assert caught.value.code == "KEK_UNAVAILABLE"
    async with await connect(own_database) as conn:
        live = await read_claim_records_many(conn, [case_id])
    assert live[case_id].appeals[0].grounds == f"motivo {case_id}"


async def _appeal(url: str, case_id: int) -> bytes:
    async with await connect(url) as conn:
        row = await (
            await conn.execute(
                "SELECT grounds FROM claim_appeal WHERE case_id = %s ORDER BY id LIMIT 1",
                (case_id,),
            )
        ).fetchone()
    assert row is not None
    return bytes(row[0])


async def test_a_kek_in_use_or_current_is_not_retired(
    ring: FileKeyring, own_engine: AsyncEngine, own_database: str
) -> None:
    # Given a case sealed under the current KEK (and a rotation done, so all use it)
    case = (await make_cases(own_engine, 1, family_size=1, needs=()))[0]
    async with await connect(own_database) as conn:
        await rotate_claims(conn, new_kek=False)
    await file_appeal(own_database, case.id, "motivo")
    current = ring.current()
    async with await connect(own_database) as conn:
        # When retiring the current KEK / a KEK that still wraps keys (after a new one exists)
        with pytest.raises(SealingError) as caught:
            await retire_kek(conn, current)
        assert caught.value.code == "KEK_CURRENT"
        ring.create()
        with pytest.raises(SealingError) as caught:
            await retire_kek(conn, current)
        assert caught.value.code == "KEK_IN_USE"
    # Then the KEK is still there and the data reads
    assert current in ring.ids()
    async with await connect(own_database) as conn:
        assert (await read_claim_records_many(conn, [case.id]))[case.id].appeals[0].grounds == (
            "motivo"
        )


async def test_rotation_seals_values_written_before_sealing(
    ring: FileKeyring, own_engine: AsyncEngine, own_database: str
) -> None:
    # Given a case whose appeal and decision reason were stored before sealing existed
    case = (await make_cases(own_engine, 1, family_size=1, needs=(), status="recognised"))[0]
    async with await connect(own_database) as conn:
        await conn.execute(
            "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES"
            " (%s, '\\x00'::bytea || convert_to('motivo antiguo', 'UTF8'), 'test')",
            (case.id,),
        )
        await conn.execute(
            "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
            " VALUES (%s, 'under_review', 'recognised', 'test', 'fundamentos antiguos')",
            (case.id,),
        )
        # When the claims are rotated
        await rotate_claims(conn, new_kek=False)
        # Then nothing of it is plain text any more, and it reads the same
        stored = await (
            await conn.execute(
                "SELECT a.grounds, h.reason, h.sealed_reason FROM claim_appeal a"
                " JOIN status_change h USING (case_id) WHERE a.case_id = %s",
                (case.id,),
            )
        ).fetchone()
        assert stored is not None
        assert bytes(stored[0])[:1] == b"\x01" and bytes(stored[2])[:1] == b"\x01"
        assert stored[1] == SEALED_REASON_NOTE
        records = await read_claim_records_many(conn, [case.id])
        reasons = await read_history_reasons(conn, [case.id])
    assert [a.grounds for a in records[case.id].appeals] == ["motivo antiguo"]
    assert list(reasons.values()) == ["fundamentos antiguos"]
