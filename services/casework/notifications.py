"""Signed webhooks to subscribed agencies when a person's protection status changes.

Transactional outbox: ``enqueue_protection_change`` writes one ``notification_outbox`` row
per active subscription in the transaction that changes the case (so a notification
exists if and only if the change committed). ``deliver_due`` (run by the background task
``run_dispatcher``) posts due rows, signed with HMAC-SHA256 over ``timestamp.body`` with
the subscription's secret (headers ``X-Qhub-Signature: sha256=<hex>``,
``X-Qhub-Timestamp``, ``X-Qhub-Event-Id`` for de-duplication by the receiver), and retries
failures with exponential backoff up to ``MAX_ATTEMPTS`` (then the row is marked dead).
Rows are claimed with ``FOR UPDATE SKIP LOCKED``: several hub processes may dispatch.
Delivery is at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import psycopg
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from models.vocab import PENDING_STATUSES, CaseStatus

log = logging.getLogger("qhub.notifications")

MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(hours=1)
EVENT_TYPE = "protection_status_changed"


def protection_category(status: CaseStatus) -> str:
    """The protection status agencies are told: pending, recognised, rejected_final,
    withdrawn, or closed (closed and abandoned claims)."""
    if status in PENDING_STATUSES:
        return "pending"
    if status is CaseStatus.RECOGNISED:
        return "recognised"
    if status is CaseStatus.REJECTED_FINAL:
        return "rejected_final"
    if status is CaseStatus.WITHDRAWN:
        return "withdrawn"
    return "closed"


async def enqueue_protection_change(
    conn: AsyncConnection[Any],
    case_id: int,
    case_number: int,
    before: CaseStatus,
    after: CaseStatus,
) -> int:
    """Queue a notification for every active subscription when the protection category
    changes (call inside the transaction of the change); returns rows queued."""
    old, new = protection_category(before), protection_category(after)
    if old == new:
        return 0
    payload = {
        "type": EVENT_TYPE,
        "caseNumber": case_number,
        "protectionStatus": new,
        "previousProtectionStatus": old,
        "protectedFromRemoval": new in ("pending", "recognised"),
    }
    cur = await conn.execute(
        "INSERT INTO notification_outbox (subscription_id, case_id, payload)"
        " SELECT s.id, %s, %s FROM agency_subscription s WHERE s.active AND %s = ANY(s.events)",
        (case_id, Jsonb(payload), EVENT_TYPE),
    )
    return cur.rowcount


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "timestamp." + body>`` (what receivers recompute)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, max_age: float = 300) -> bool:
    """Receiver side: signature matches and the timestamp is recent."""
    fresh = abs(time.time() - float(timestamp)) <= max_age
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt: exponential from BASE_DELAY, capped, with jitter."""
    delay: timedelta = min(MAX_DELAY, BASE_DELAY * (2 ** max(0, attempts - 1)))
    jittered: timedelta = delay * random.uniform(0.8, 1.2)
    return jittered


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    retried: int
    dead: int


async def deliver_due(
    conn: AsyncConnection[Any], client: httpx.AsyncClient, batch: int = 50
) -> DeliveryReport:
    """Claim due rows (SKIP LOCKED), post them signed, record the outcome; one transaction."""
    delivered = retried = dead = 0
    async with conn.transaction():
        rows = await (
            await conn.execute(
                "SELECT n.id, n.payload, n.attempts, n.created_at, s.url, s.secret"
                " FROM notification_outbox n JOIN agency_subscription s ON s.id = n.subscription_id"
                " WHERE n.delivered_at IS NULL AND n.dead_at IS NULL AND n.next_attempt_at <= now()"
                " ORDER BY n.id LIMIT %s FOR UPDATE OF n SKIP LOCKED",
                (batch,),
            )
        ).fetchall()
        for nid, payload, attempts, created_at, url, secret in rows:
            body = json.dumps(
                payload | {"eventId": nid, "occurredAt": created_at.isoformat()},
                separators=(",", ":"),
                ensure_ascii=False,
            ).encode()
            timestamp = str(int(time.time()))
            error: str | None = None
            try:
                response = await client.post(
                    url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Qhub-Event-Id": str(nid),
                        "X-Qhub-Timestamp": timestamp,
                        "X-Qhub-Signature": sign(secret, timestamp, body),
                    },
                )
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            if error is None:
                delivered += 1
                await conn.execute(
                    "UPDATE notification_outbox SET delivered_at = now(), attempts = attempts + 1,"
                    " last_error = NULL WHERE id = %s",
                    (nid,),
                )
            elif attempts + 1 >= MAX_ATTEMPTS:
                dead += 1
                await conn.execute(
                    "UPDATE notification_outbox SET dead_at = now(), attempts = attempts + 1,"
                    " last_error = %s WHERE id = %s",
                    (error, nid),
                )
            else:
                retried += 1
                await conn.execute(
                    "UPDATE notification_outbox SET attempts = attempts + 1, last_error = %s,"
                    " next_attempt_at = now() + %s WHERE id = %s",
                    (error, backoff(attempts + 1), nid),
                )
    return DeliveryReport(delivered, retried, dead)


async def run_dispatcher(
    pool: AsyncConnectionPool[Any],
    stop: asyncio.Event,
    interval: float = 2.0,
    client: httpx.AsyncClient | None = None,
) -> None:
    """Background task (start it in the app's lifespan): deliver due notifications until
    ``stop`` is set."""
    own = client is None
    http = client or httpx.AsyncClient(timeout=10)
    try:
        while not stop.is_set():
            try:
                async with pool.connection() as conn:
                    report = await deliver_due(conn, http)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                # the database is away (PoolTimeout is an OperationalError): keep running,
                # try again after the interval
                log.warning("notificaciones: base de datos no disponible (%s)", type(exc).__name__)
                report = DeliveryReport(0, 0, 0)
            if report.delivered + report.retried + report.dead == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)
    finally:
        if own:
            await http.aclose()
