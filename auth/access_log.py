"""The access log: append-only, hash-chained, written in batches (group commit).

Every read of personal data by another agency, every read of ``claim`` data by anyone,
and every write, is recorded. A request's entry is appended by a background writer
(``auth.access_log_append``) that commits many entries in one transaction; the request
waits for that commit, so nothing is answered that was not logged, and the log costs one
transaction per batch instead of one per request. Reads of one batch by the same caller
for the same purpose, operation and categories share one entry that names every person
read (``merge_reads``). The log is several hash chains: each hub instance appends to
chains it leases, with no lock shared between instances (``auth.log_chains``).

``auth.log_verify`` recomputes every hash of every chain and names the first entry that
was altered or removed. The table refuses UPDATE, DELETE and TRUNCATE (a trigger; see
the migration).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection

from auth.principal import Principal

GENESIS = b"\x00" * 32
MAX_BATCH = 500


@dataclass(frozen=True)
class Entry:
    at: datetime
    client_id: str | None
    subject: str
    agency: str
    role: str
    purpose: str | None
    operation: str | None
    action: str
    person_ids: tuple[int, ...]
    categories: tuple[str, ...]
    changes: Mapping[str, Any] | None = None
    # Not part of the entry: which staged row changes (``write_change``) it takes in.
    request_key: str | None = field(default=None, compare=False)

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field, in a fixed order and form."""
        body = {
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "client_id": self.client_id,
            "subject": self.subject,
            "agency": self.agency,
            "role": self.role,
            "purpose": self.purpose,
            "operation": self.operation,
            "action": self.action,
            "person_ids": sorted(self.person_ids),
            "categories": sorted(self.categories),
            "changes": self.changes,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_hash(previous: bytes, entry: Entry) -> bytes:
    return hashlib.sha256(previous + entry.canonical()).digest()


def entry_for(
    principal: Principal,
    action: str,
    person_ids: Iterable[int],
    categories: Iterable[str],
    operation: str | None = None,
    changes: Mapping[str, Any] | None = None,
    request_key: str | None = None,
) -> Entry:
    """An entry describing what ``principal`` did, stamped now; ``request_key`` names the
    request whose staged row changes the entry takes in when it is appended."""
    return Entry(
        at=datetime.now(UTC),
        client_id=principal.client_id,
        subject=principal.subject,
        agency=principal.agency.value,
        role=principal.role.value,
        purpose=principal.purpose.value if principal.purpose else None,
        operation=_without_nul(operation),
        action=action,
        person_ids=tuple(sorted(set(person_ids))),
        categories=tuple(sorted(set(categories))),
        changes=_without_nul(changes),
        request_key=request_key,
    )


def _without_nul(value: Any) -> Any:
    """PostgreSQL's text and JSON hold no NUL character, and a caller may send one (in an
    operation name, in the arguments of a refused write): logged as U+FFFD instead."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, Mapping):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value


@dataclass(frozen=True)
class LogLine:
    id: int
    at: datetime
    agency: str
    role: str
    subject: str
    purpose: str | None
    operation: str | None
    action: str
    categories: list[str]
    person_ids: list[int]


async def entries(
    conn: AsyncConnection[Any],
    *,
    person_id: int | None = None,
    agency: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[LogLine]:
    """Log lines, newest first, filtered by person, agency, time; keyset by id."""
    where = ["true"]
    params: dict[str, Any] = {"limit": min(max(limit, 1), 1000)}
    if person_id is not None:
        where.append("person_ids @> ARRAY[%(person)s]::bigint[]")
        params["person"] = person_id
    if agency:
        where.append("agency = %(agency)s")
        params["agency"] = agency
    if since:
        where.append("at >= %(since)s")
        params["since"] = since
    if before_id:
        where.append("id < %(before)s")
        params["before"] = before_id
    cursor = await conn.execute(
        "SELECT id, at, agency, role, subject, purpose, operation, action, categories,"
        f" person_ids FROM access_log WHERE {' AND '.join(where)} ORDER BY id DESC"
        " LIMIT %(limit)s",
        params,
    )
    return [
        LogLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], list(r[8]), list(r[9]))
        for r in await cursor.fetchall()
    ]
