"""Protection status changes as events, for subscribed agencies, across hub instances.

A move is announced with PostgreSQL's ``NOTIFY`` (``notify``) in the transaction that
makes it: the database delivers it when (and only if) that transaction commits, to every
instance listening on ``CHANNEL`` (``hub.event_relay``), the one that made it included.
Each instance fans it out to its own subscribers (``ProtectionEvents``), so a subscriber
on any instance receives every change once. An instance whose listening connection was
down misses the changes made meanwhile: the change feed (``protectionChanges``) has them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from models.vocab import PENDING_STATUSES, RECOGNISED_STATUSES, CaseStatus


@dataclass(frozen=True)
class ProtectionEvent:
    case_number: int
    protected: bool
    basis: str | None
    status_before: str
    at: datetime
    person_ids: tuple[int, ...] = ()  # the case's members: whose protection this tells


def protection_of(status: CaseStatus) -> tuple[bool, str | None]:
    if status in RECOGNISED_STATUSES:
        return True, "recognised_refugee"
    if status in PENDING_STATUSES:
        return True, "pending_claim"
    return False, None


class ProtectionEvents:
    """Fan-out of protection events to every current subscriber (bounded queues)."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[ProtectionEvent]] = set()

    def publish(self, event: ProtectionEvent) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()  # a slow subscriber loses the oldest, not the newest
            queue.put_nowait(event)

    async def subscribe(self) -> AsyncIterator[ProtectionEvent]:
        queue: asyncio.Queue[ProtectionEvent] = asyncio.Queue(maxsize=1000)
        self._subscribers.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)


CHANNEL = "qhub_protection"


async def notify(conn: AsyncConnection[Any], event: ProtectionEvent) -> None:
    """Announce ``event`` to every instance once the caller's transaction commits."""
    await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, encode(event)))


def encode(event: ProtectionEvent) -> str:
    fields = asdict(event)
    fields["at"] = event.at.isoformat()
    return json.dumps(fields, separators=(",", ":"))


def decode(payload: str) -> ProtectionEvent:
    fields = json.loads(payload)
    return ProtectionEvent(
        case_number=int(fields["case_number"]),
        protected=bool(fields["protected"]),
        basis=fields["basis"],
        status_before=str(fields["status_before"]),
        at=datetime.fromisoformat(fields["at"]),
        person_ids=tuple(int(p) for p in fields["person_ids"]),
    )
