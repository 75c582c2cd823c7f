"""Agencies' webhook subscriptions: where the hub posts protection changes, signed.

The commission registers an agency's endpoint (``qhub webhooks add``); the signing secret
is generated here and shown once, for the agency to verify the ``X-Qhub-Signature``
header (``services.casework.notifications.verify``). Deliveries go to active
subscriptions only; disabling one stops new notifications at once.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from psycopg import AsyncConnection
from psycopg.rows import kwargs_row

from models.vocab import Agency
from services.casework.notifications import EVENT_TYPE
from services.errors import FieldProblem, NotFound, ValidationFailed

AGENCIES = frozenset({Agency.MIGRACIONES.value, Agency.MINSA.value, Agency.ACNUR.value})
EVENTS = frozenset({EVENT_TYPE})


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    agency: str
    url: str
    events: tuple[str, ...]
    active: bool
    created_at: datetime
    pending: int  # notifications waiting to be delivered


@dataclass(frozen=True, slots=True)
class NewSubscription:
    subscription: Subscription
    secret: str  # shown once: the hub keeps it to sign, the agency to verify


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _problems(agency: str, url: str, events: tuple[str, ...]) -> list[FieldProblem]:
    problems = []
    if agency not in AGENCIES:
        problems.append(
            FieldProblem(
                ("agency",),
                "UNKNOWN_AGENCY",
                f"Entidad desconocida; use una de: {', '.join(sorted(AGENCIES))}.",
            )
        )
    parts = urlsplit(url)
    # Personal data travels in these posts: TLS, except to this machine (tests, proxies).
    if (
        not parts.hostname
        or parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not _loopback(parts.hostname))
    ):
        problems.append(
            FieldProblem(
                ("url",), "INVALID_URL", "Use una dirección https:// (http solo para localhost)."
            )
        )
    unknown = sorted(set(events) - EVENTS)
    if not events or unknown:
        problems.append(
            FieldProblem(
                ("events",),
                "UNKNOWN_EVENT",
                f"Eventos disponibles: {', '.join(sorted(EVENTS))}.",
            )
        )
    return problems


_SELECT = (
    "SELECT s.id, s.agency, s.url, s.events, s.active, s.created_at,"
    " (SELECT count(*) FROM notification_outbox o WHERE o.subscription_id = s.id"
    " AND o.delivered_at IS NULL AND o.dead_at IS NULL) AS pending"
    " FROM agency_subscription s"
)


def _record(*, events: list[str], pending: int, **fields: Any) -> Subscription:
    return Subscription(events=tuple(events), pending=int(pending), **fields)


async def add_subscription(
    conn: AsyncConnection[Any], agency: str, url: str, events: tuple[str, ...] = (EVENT_TYPE,)
) -> NewSubscription:
    """Register an agency's endpoint with a new signing secret (every problem at once)."""
    problems = _problems(agency, url, events)
    if problems:
        raise ValidationFailed(problems)
    secret = secrets.token_urlsafe(32)
    cursor = await conn.execute(
        "INSERT INTO agency_subscription (agency, url, secret, events) VALUES (%s, %s, %s, %s)"
        " RETURNING id",
        (agency, url, secret, list(events)),
    )
    row = await cursor.fetchone()
    assert row is not None
    (subscription_id,) = row
    (found,) = await list_subscriptions(conn, subscription_id)
    return NewSubscription(found, secret)


async def list_subscriptions(
    conn: AsyncConnection[Any], subscription_id: int | None = None
) -> list[Subscription]:
    """Every subscription (or one), with how many notifications wait for delivery."""
    where = " WHERE s.id = %s" if subscription_id is not None else ""
    params = (subscription_id,) if subscription_id is not None else ()
    async with conn.cursor(row_factory=kwargs_row(_record)) as cursor:
        await cursor.execute(_SELECT + where + " ORDER BY s.id", params)
        return await cursor.fetchall()


async def set_active(conn: AsyncConnection[Any], subscription_id: int, active: bool) -> None:
    """Enable or disable a subscription; ``NotFound`` (SUBSCRIPTION_NOT_FOUND) if unknown."""
    cursor = await conn.execute(
        "UPDATE agency_subscription SET active = %s WHERE id = %s", (active, subscription_id)
    )
    if cursor.rowcount == 0:
        raise NotFound("No existe esa suscripción.", "SUBSCRIPTION_NOT_FOUND")
