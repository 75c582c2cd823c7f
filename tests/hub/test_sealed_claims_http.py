"""Claim data over HTTP with sealing: the tables hold ciphertext only (plain SQL), the API
gives the text to a role that may read claim data and nothing of it to one that may not."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.readpool import libpq_url
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.hub.test_matrix_reads import CLAIM, VALIDATION, ask
from tests.services.test_sealing import SUMMARY, decided_case


async def test_claim_text_is_ciphertext_in_the_tables_and_plain_only_for_claim_readers(
    live_hub: LiveHub, engine: AsyncEngine, database_url: str
) -> None:
    # Given a case interviewed, assessed and rejected through the services
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        case_id = await decided_case(engine, conn)
        stored: Any = await (
            await conn.execute(
                "SELECT c.number, i.summary, d.reasons FROM case_file c"
                " JOIN interview_record i ON i.case_id = c.id"
                " JOIN case_decision d ON d.case_id = c.id WHERE c.id = %s",
                (case_id,),
            )
        ).fetchone()
    number, summary, reasons = stored
    # Then plain SQL sees ciphertext only
    assert b"Maracaibo" not in bytes(summary) and b"riesgo" not in bytes(reasons)
    # When the Executive Secretary reads the claim over GraphQL
    read = ask(live_hub, mint("cepr-secretary", office="LIM"), CLAIM, n=number)
    # Then the text comes back
    claim = read["data"]["case"]["claim"]
    assert claim["interviews"] == [{"summary": SUMMARY, "mode": "IN_PERSON"}]
    assert claim["decisions"] == [
        {"instance": "first", "outcome": "REJECTED", "reasons": "No se acreditó el riesgo."}
    ]
    # And a registrar of the office gets none of it
    denied = ask(live_hub, mint("cepr-registrar", office="LIM"), CLAIM, n=number)
    assert [e["extensions"]["code"] for e in denied["errors"]] == [VALIDATION]
    assert "Maracaibo" not in json.dumps(denied) and "riesgo" not in json.dumps(denied)
