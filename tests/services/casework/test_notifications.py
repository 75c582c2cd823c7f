"""Protection status changes reach subscribed agencies: outbox rows written with the
change (and only when it commits), signed webhooks, retries with backoff, dead letters."""

from __future__ import annotations

import json
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, CaseStatus, Role
from services.casework import notifications, status
from services.errors import Conflict
from tests.factories import make_cases

SECRETARY = Principal(role=Role.CEPR_SECRETARY, agency=Agency.CEPR, subject="se", office_code="LIM")
SECRET = "clave-compartida-de-prueba"


async def force(conn: psycopg.AsyncConnection[Any], number: int, to: CaseStatus) -> None:
    """A move as the decision makes it (decision states are not reached by change_status)."""
    async with conn.transaction():
        case_id, current, _, _ = await status.lock_case(conn, number)
        await status.record_move(conn, SECRETARY, case_id, number, current, to, "Motivo")


async def connect(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True)


def test_protection_categories() -> None:
    c = notifications.protection_category
    assert [c(s) for s in (CaseStatus.UNDER_REVIEW, CaseStatus.REJECTED, CaseStatus.APPEAL)] == [
        "pending"
    ] * 3
    assert c(CaseStatus.RECOGNISED) == "recognised"
    assert c(CaseStatus.REJECTED_FINAL) == "rejected_final"
    assert c(CaseStatus.WITHDRAWN) == "withdrawn"
    assert notifications.backoff(1) < notifications.backoff(5) <= notifications.MAX_DELAY * 1.2


async def test_signed_webhook_with_retries(database_url: str, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, office_code="LIM", family_size=1))[0]
    received: list[dict[str, Any]] = []
    calls = 0

    def agency(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls <= 2:
            return httpx.Response(503)  # the agency is down twice
        assert notifications.verify(
            SECRET,
            request.headers["X-Qhub-Timestamp"],
            request.content,
            request.headers["X-Qhub-Signature"],
        )
        received.append(json.loads(request.content))
        return httpx.Response(204)

    client = httpx.AsyncClient(transport=httpx.MockTransport(agency))
    async with await connect(database_url) as conn:
        await conn.execute("UPDATE agency_subscription SET active = false")
        sub = await (
            await conn.execute(
                "INSERT INTO agency_subscription (agency, url, secret) VALUES"
                " ('migraciones', 'https://migraciones.example/hook', %s) RETURNING id",
                (SECRET,),
            )
        ).fetchone()
        assert sub is not None
        # a move that keeps the protection category (pending -> pending) notifies nobody
        with pytest.raises(Conflict):
            await status.change_status(conn, SECRETARY, case.number, CaseStatus.CLOSED, "x")
        await force(conn, case.number, CaseStatus.REJECTED)
        await force(conn, case.number, CaseStatus.REJECTED_FINAL)
        queued = await (
            await conn.execute(
                "SELECT count(*) FROM notification_outbox WHERE subscription_id = %s", (sub[0],)
            )
        ).fetchone()
        assert queued == (1,)

        first = await notifications.deliver_due(conn, client)
        assert (first.delivered, first.retried) == (0, 1)
        # not due yet: backoff
        assert (await notifications.deliver_due(conn, client)).retried == 0
        for _ in range(2):
            await conn.execute("UPDATE notification_outbox SET next_attempt_at = now()")
            await notifications.deliver_due(conn, client)
        row = await (
            await conn.execute(
                "SELECT attempts, delivered_at IS NOT NULL, last_error FROM notification_outbox"
                " WHERE subscription_id = %s",
                (sub[0],),
            )
        ).fetchone()
    assert row == (3, True, None)
    assert len(received) == 1
    event = received[0]
    assert event["caseNumber"] == case.number
    assert (event["protectionStatus"], event["previousProtectionStatus"]) == (
        "rejected_final",
        "pending",
    )
    assert event["protectedFromRemoval"] is False
    assert isinstance(event["eventId"], int)


async def test_gives_up_after_max_attempts(database_url: str, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, office_code="LIM", family_size=1))[0]
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    async with await connect(database_url) as conn:
        await conn.execute("UPDATE agency_subscription SET active = false")
        await conn.execute(
            "INSERT INTO agency_subscription (agency, url, secret) VALUES"
            " ('acnur', 'https://acnur.example/hook', 's')"
        )
        await force(conn, case.number, CaseStatus.RECOGNISED)
        for _ in range(notifications.MAX_ATTEMPTS):
            await conn.execute(
                "UPDATE notification_outbox SET next_attempt_at = now() WHERE case_id = %s",
                (case.id,),
            )
            await notifications.deliver_due(conn, client)
        row = await (
            await conn.execute(
                "SELECT attempts, dead_at IS NOT NULL, delivered_at FROM notification_outbox"
                " WHERE case_id = %s",
                (case.id,),
            )
        ).fetchone()
    assert row == (notifications.MAX_ATTEMPTS, True, None)


def test_signature_rejects_tampering() -> None:
    body = b'{"caseNumber":1}'
    ts = str(int(__import__("time").time()))
    sig = notifications.sign(SECRET, ts, body)
    assert notifications.verify(SECRET, ts, body, sig)
    assert not notifications.verify(SECRET, ts, b'{"caseNumber":2}', sig)
    assert not notifications.verify("otra", ts, body, sig)
    assert not notifications.verify(SECRET, "1000", body, notifications.sign(SECRET, "1000", body))
