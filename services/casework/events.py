"""Protection status changes as events, for subscribed agencies (in-process pub/sub).

Each hub process delivers the changes it makes; with several processes, agencies should
also read the change feed (``protectionChanges``), which sees every process's changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

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


EVENTS = ProtectionEvents()
