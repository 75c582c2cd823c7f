"""Run in its own process by tests/services/test_sealing.py: the PKCS#11 library reads
SoftHSM2's configuration once per process, and other tests load it with theirs first.

``python -m tests.services.pkcs11_probe seal|read DATABASE_URL CASE_ID`` with the hub's
settings in the environment (QHUB_CLAIM_KEK_PKCS11_*); prints what it saw as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import pkcs11
import psycopg

from hub.readpool import libpq_url
from hub.settings import load_settings
from services import sealing
from services.casework.claim_records import APPEAL_GROUNDS, read_claim_records
from services.sealing_keys import KEK_PREFIX, SealingError

GROUNDS = "Fundamentos de la apelación guardados con la clave del HSM."


async def main(action: str, url: str, case_id: int) -> dict[str, Any]:
    settings = load_settings()
    ring = sealing.keyring()
    seen: dict[str, Any] = {"keks": ring.ids(), "current": ring.current()}
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        if action == "seal":
            async with conn.transaction():
                key = await sealing.case_key_for_writing(conn, case_id)
                await conn.execute(
                    "INSERT INTO claim_appeal (case_id, grounds, filed_by) VALUES (%s, %s, 't')",
                    (case_id, key.seal(GROUNDS, APPEAL_GROUNDS)),
                )
        try:
            records = await read_claim_records(conn, case_id)
            seen["grounds"] = [a.grounds for a in records.appeals]
        except SealingError as exc:
            seen["error"] = exc.code
    token = pkcs11.lib(settings.claim_kek_pkcs11_module).get_token(
        token_label=settings.claim_kek_pkcs11_token
    )
    with token.open() as session:  # the keyring logged the token in already
        kek = session.get_key(label=KEK_PREFIX + ring.current())
        seen["extractable"] = kek[pkcs11.Attribute.EXTRACTABLE]
        try:
            kek[pkcs11.Attribute.VALUE]
            seen["value_read"] = True
        except pkcs11.exceptions.AttributeSensitive:
            seen["value_read"] = False
    return seen


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))))
