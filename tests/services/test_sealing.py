"""Claim data sealed at rest: ciphertext in the tables (read with plain SQL), plain text only
through the service's read helpers; a ciphertext moved to another case or field does not
open; the key-encryption keys on a PKCS#11 token (SoftHSM2) never leave it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.db import create_engine as create_async
from hub.readpool import libpq_url
from hub.settings import load_settings
from models.vocab import Agency, AppointmentMode, Role
from services import sealing
from services.casework import eligibility as el
from services.casework.claim_records import read_claim_records, read_history_reasons
from services.sealing_keys import FileKeyring, SealingError
from tests.conftest import create_database, drop_database
from tests.factories import make_cases, make_officer
from tests.services.pkcs11_probe import GROUNDS

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
SECRETARY = Principal(role=Role.CEPR_SECRETARY, agency=Agency.CEPR, subject="se", office_code="LIM")
SUMMARY = "Huyó de Maracaibo tras amenazas del colectivo por su militancia sindical."


@pytest.fixture()
async def conn(database_url: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True) as c:
        yield c


async def decided_case(
    engine: AsyncEngine, conn: psycopg.AsyncConnection[Any], summary: str = SUMMARY
) -> int:
    """A case interviewed, assessed and rejected; returns its id."""
    officer_id = await make_officer(engine, "cepr-eligibility", "LIM")
    case = (await make_cases(engine, 1, assigned_officer_id=officer_id))[0]
    officer = Principal(
        role=Role.CEPR_ELIGIBILITY, agency=Agency.CEPR, subject="el", officer_id=officer_id
    )
    held = datetime.now(UTC) - timedelta(hours=1)
    await el.record_interview(
        conn, officer, case.number, mode=AppointmentMode.IN_PERSON, held_at=held, summary=summary
    )
    await el.record_assessment(
        conn,
        officer,
        case.number,
        grounds=[el.Ground.POLITICAL_OPINION],
        credibility="Relato coherente y detallado.",
        analysis="Temor fundado de persecución por opinión política.",
        recommendation=el.Recommendation.REJECT,
    )
    await el.decide(conn, SECRETARY, case.number, el.Outcome.REJECTED, "No se acreditó el riesgo.")
    return case.id


async def test_claim_columns_hold_ciphertext_and_the_service_reads_plain_text(
    engine: AsyncEngine, conn: psycopg.AsyncConnection[Any]
) -> None:
    # Given a case with an interview, an assessment and a decision, written by the service
    case_id = await decided_case(engine, conn)
    # When the tables are read with plain SQL
    row = await (
        await conn.execute(
            "SELECT i.summary, a.grounds, a.credibility, a.analysis, a.recommendation,"
            " d.reasons, h.reason, h.sealed_reason FROM interview_record i"
            " JOIN eligibility_assessment a USING (case_id) JOIN case_decision d USING (case_id)"
            " JOIN status_change h ON h.case_id = i.case_id AND h.to_status = 'rejected'"
            " WHERE i.case_id = %s",
            (case_id,),
        )
    ).fetchone()
    assert row is not None
    # Then every claim value is sealed (format byte 1) and none shows its text
    for value in (row[0], row[1], row[2], row[3], row[4], row[5], row[7]):
        assert bytes(value)[:1] == b"\x01"
        for word in (b"Maracaibo", b"political", b"reject", b"Relato", b"riesgo"):
            assert word not in bytes(value)
    assert row[6] == "Fundamentos de la decisión (datos de la solicitud, sellados)"
    key_row = await (
        await conn.execute("SELECT kek_id FROM claim_data_key WHERE case_id = %s", (case_id,))
    ).fetchone()
    assert key_row is not None and key_row[0] == sealing.keyring().current()
    # And the service's read helpers give the text back
    records = await read_claim_records(conn, case_id)
    assert [i.summary for i in records.interviews] == [SUMMARY]
    assessment = records.assessments[0]
    assert (assessment.grounds, assessment.recommendation) == (["political_opinion"], "reject")
    assert assessment.credibility == "Relato coherente y detallado."
    assert [(d.instance, d.outcome, d.reasons) for d in records.decisions] == [
        ("first", "rejected", "No se acreditó el riesgo.")
    ]
    assert list((await read_history_reasons(conn, [case_id])).values()) == [
        "No se acreditó el riesgo."
    ]


async def test_a_ciphertext_moved_to_another_case_or_field_does_not_open(
    engine: AsyncEngine, conn: psycopg.AsyncConnection[Any]
) -> None:
    # Given two decided cases
    first = await decided_case(engine, conn, "Relato del primer expediente.")
    second = await decided_case(engine, conn, "Relato del segundo expediente.")
    # When someone with database access swaps their interview summaries
    await conn.execute(
        "UPDATE interview_record i SET summary = o.summary FROM interview_record o"
        " WHERE i.case_id = ANY(%s::bigint[]) AND o.case_id = ANY(%s::bigint[])"
        " AND o.case_id <> i.case_id",
        ([first, second], [first, second]),
    )
    # Then neither opens, and the error says the value is not this case's
    for case_id in (first, second):
        with pytest.raises(SealingError) as caught:
            await read_claim_records(conn, case_id)
        assert caught.value.code == "SEALED_VALUE_MISMATCH"
    # When, within one case, the analysis is copied over the credibility field
    third = await decided_case(engine, conn)
    await conn.execute(
        "UPDATE eligibility_assessment SET credibility = analysis WHERE case_id = %s", (third,)
    )
    # Then it does not open either
    with pytest.raises(SealingError) as caught:
        await read_claim_records(conn, third)
    assert caught.value.code == "SEALED_VALUE_MISMATCH"
    # And a case's wrapped data key moved to another case does not unwrap
    fourth = await decided_case(engine, conn)
    sealing.forget_data_keys()
    await conn.execute(
        "UPDATE claim_data_key k SET wrapped = o.wrapped FROM claim_data_key o"
        " WHERE k.case_id = %s AND o.case_id = %s",
        (fourth, first),
    )
    with pytest.raises(SealingError) as caught:
        await read_claim_records(conn, fourth)
    assert caught.value.code == "DATA_KEY_INVALID"


@pytest.fixture()
def token_env(tmp_path: Path) -> dict[str, str]:
    """A fresh SoftHSM2 token, and the hub's settings that name it."""
    assert shutil.which("softhsm2-util") and Path(SOFTHSM).exists(), "softhsm2 (system-deps.sh)"
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    env = {
        **os.environ,
        "SOFTHSM2_CONF": str(conf),
        "QHUB_CLAIM_KEK_PKCS11_TOKEN": "claims",
        "QHUB_CLAIM_KEK_PKCS11_MODULE": SOFTHSM,
        "QHUB_CLAIM_KEK_PKCS11_PIN": "1234",
        "QHUB_DATA_DIR": str(tmp_path),
        "COLUMNS": "300",
    }
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "claims",
            "--so-pin",
            "9999",
            "--pin",
            "1234",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return env


def on_the_token(env: dict[str, str], *args: str) -> Any:
    """Run the probe (or ``qhub``) in its own process: the PKCS#11 library reads SoftHSM2's
    configuration once per process, and other tests load it with theirs first."""
    done = subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout) if args[0].endswith("probe") else done.stdout


async def test_keks_on_a_pkcs11_token_wrap_rotate_and_never_leave_it(
    token_env: dict[str, str], server_url: str
) -> None:
    url = create_database(server_url, "qhub_hsm")
    try:
        engine = create_async(url, load_settings())
        case = (await make_cases(engine, 1, family_size=1, needs=()))[0]
        await engine.dispose()
        probe = ("tests.services.pkcs11_probe",)
        token_env = {**token_env, "QHUB_DATABASE_URL": url}
        # Given the hub's KEKs on a SoftHSM2 token: an appeal sealed under them
        sealed = on_the_token(token_env, *probe, "seal", url, str(case.id))
        # Then it reads back, and the KEK cannot be read out of the token
        assert sealed["grounds"] == [GROUNDS]
        assert (sealed["extractable"], sealed["value_read"]) == (False, False)
        old = sealed["current"]
        # When the claims are rotated onto a new KEK of the token and the old one retired
        rotated = on_the_token(token_env, "hub.cli", "keys", "rotate-claims", "--retire", old)
        assert f"Clave maestra {old} retirada" in rotated
        # Then the data still reads, under the new KEK, and the old one is gone
        after = on_the_token(token_env, *probe, "read", url, str(case.id))
        assert after["grounds"] == [GROUNDS]
        assert old not in after["keks"] and after["current"] != old
    finally:
        drop_database(server_url, url)


def test_key_files_are_private_and_sort_by_age(tmp_path: Path) -> None:
    ring = FileKeyring(tmp_path / "claim-keys")
    first = ring.current()
    second = ring.create()
    assert ring.ids() == [first, second] and ring.current() == second
    assert (tmp_path / "claim-keys" / f"{first}.kek").stat().st_mode & 0o077 == 0
