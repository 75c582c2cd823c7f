"""The access log: append-only, hash-chained, written in batches (group commit).

Every read of personal data by another agency, every read of ``claim`` data by anyone,
and every write, becomes one entry. A request's entry is appended by a background
writer that commits many entries in one transaction; the request waits for that commit,
so nothing is answered that was not logged, and the log costs one transaction per batch
instead of one per request; reads of one batch by the same caller for the same purpose,
operation and categories share one entry that names every person read
(``merge_reads``). Appends from several processes are serialised by an
advisory lock, under which the writer reads the last hash and extends the chain.

``verify_chain`` recomputes every hash and names the first entry that was altered or
removed. The table refuses UPDATE, DELETE and TRUNCATE (a trigger; see the migration).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from auth.principal import Principal

GENESIS = b"\x00" * 32
LOCK_KEY = 7_311_017  # advisory lock id of the chain
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
        operation=operation,
        action=action,
        person_ids=tuple(sorted(set(person_ids))),
        categories=tuple(sorted(set(categories))),
        changes=changes,
        request_key=request_key,
    )


# COPY, not INSERTs: a batch is one statement, and rows cost a fraction to send.
_COPY = (
    "COPY access_log (at, client_id, subject, agency, role, purpose, operation,"
    " action, person_ids, categories, changes, prev_hash, entry_hash) FROM STDIN"
)


async def append(conn: AsyncConnection[Any], entries: Sequence[Entry]) -> None:
    """Append ``entries`` to the chain inside the caller's transaction (locks the chain)."""
    if not entries:
        return
    cursor = conn.cursor()
    entries = await _with_row_changes(cursor, entries)
    await cursor.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    await cursor.execute("SELECT entry_hash FROM access_log ORDER BY id DESC LIMIT 1")
    row = await cursor.fetchone()
    previous = bytes(row[0]) if row else GENESIS
    lines = []
    for entry in entries:
        digest = chain_hash(previous, entry)
        lines.append(_copy_line(entry, previous, digest))
        previous = digest
    async with cursor.copy(_COPY) as copy:
        await copy.write(b"".join(lines))


# COPY's text format, written directly: psycopg's per-value adaptation cost more than
# the rest of logging a lookup. Escapes per the COPY documentation ("Text Format").
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str | None) -> str:
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def _text_array(values: Sequence[str]) -> str:
    quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return _text("{" + ",".join(f'"{v}"' for v in quoted) + "}")


def _copy_line(entry: Entry, previous: bytes, digest: bytes) -> bytes:
    changes = json.dumps(entry.changes, default=str) if entry.changes is not None else None
    fields = (
        entry.at.isoformat(),
        _text(entry.client_id),
        _text(entry.subject),
        _text(entry.agency),
        _text(entry.role),
        _text(entry.purpose),
        _text(entry.operation),
        _text(entry.action),
        "{" + ",".join(str(int(p)) for p in entry.person_ids) + "}",
        _text_array(entry.categories),
        _text(changes),
        "\\\\x" + previous.hex(),
        "\\\\x" + digest.hex(),
    )
    return ("\t".join(fields) + "\n").encode()


async def _with_row_changes(cursor: Any, entries: Sequence[Entry]) -> Sequence[Entry]:
    """Entries with the before/after of the rows their requests changed, taken out of
    ``write_change`` in the caller's transaction (so they move, never copy or vanish)."""
    keys = [e.request_key for e in entries if e.request_key]
    if not keys:
        return entries
    await cursor.execute(
        "DELETE FROM write_change WHERE request_key = ANY(%s)"
        " RETURNING id, request_key, table_name, operation, row_key, before, after",
        (keys,),
    )
    staged: dict[str, list[tuple[Any, ...]]] = {}
    for row in sorted(await cursor.fetchall()):
        staged.setdefault(row[1], []).append(row)
    cases = {c for rows in staged.values() for c in _cases(rows)}
    members: dict[int, set[int]] = {}
    if cases:
        await cursor.execute(
            "SELECT case_id, person_id FROM case_member WHERE case_id = ANY(%s)", (list(cases),)
        )
        for case_id, person_id in await cursor.fetchall():
            members.setdefault(case_id, set()).add(person_id)
    result = []
    for entry in entries:
        rows = staged.get(entry.request_key or "")
        if not rows:
            result.append(entry)
            continue
        changed = [
            {"table": t, "operation": op.lower(), "key": key, "before": old, "after": new}
            for _, _, t, op, key, old, new in rows
        ]
        persons = set(entry.person_ids) | _persons(changed)
        for case_id in _cases(rows):
            persons |= members.get(case_id, set())
        result.append(
            replace(
                entry,
                changes={**(entry.changes or {}), "rows": changed},
                person_ids=tuple(sorted(persons)),
            )
        )
    return result


def _cases(rows: Iterable[tuple[Any, ...]]) -> set[int]:
    """The cases staged rows belong to (a case row, or a row naming a case)."""
    found: set[int] = set()
    for _, _, table, _, key, old, new in rows:
        for values in (key, old or {}, new or {}):
            value = values.get("id") if table == "case_file" else values.get("case_id")
            if isinstance(value, int):
                found.add(value)
    return found


def _persons(rows: Iterable[Mapping[str, Any]]) -> set[int]:
    """Whose data the changed rows are (a person row, or a row naming a person)."""
    found: set[int] = set()
    for row in rows:
        for values in (row["key"], row["before"] or {}, row["after"] or {}):
            value = values.get("id") if row["table"] == "person" else values.get("person_id")
            if isinstance(value, int):
                found.add(value)
    return found


def merge_reads(entries: Sequence[Entry]) -> list[Entry]:
    """One entry for the reads of one batch that differ only in time and persons.

    The same caller (client, subject, agency, role), purpose, operation and categories:
    the entry names every person read, the earliest time, and how many requests it
    stands for (``changes.requests``) — the log answers who read whose data, why and
    when (to the batch's milliseconds) with a row per batch instead of per request.
    Writes and single reads are kept as they are.
    """
    groups: dict[tuple[Any, ...], list[Entry]] = {}
    order: list[tuple[Any, ...] | Entry] = []
    for entry in entries:
        if entry.action != "read" or entry.request_key is not None or entry.changes:
            order.append(entry)
            continue
        key = (
            entry.client_id,
            entry.subject,
            entry.agency,
            entry.role,
            entry.purpose,
            entry.operation,
            entry.categories,
        )
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(entry)
    merged: list[Entry] = []
    for item in order:
        if isinstance(item, Entry):
            merged.append(item)
            continue
        group = groups[item]
        if len(group) == 1:
            merged.append(group[0])
            continue
        persons = sorted({p for e in group for p in e.person_ids})
        merged.append(
            replace(
                group[0],
                at=min(e.at for e in group),
                person_ids=tuple(persons),
                changes={"requests": len(group)},
            )
        )
    return merged


@dataclass
class AccessLogWriter:
    """Group commit: requests hand in entries and wait until their batch is committed."""

    pool: AsyncConnectionPool
    _queue: asyncio.Queue[tuple[Entry, asyncio.Future[None]]] = field(default_factory=asyncio.Queue)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="access-log-writer")

    async def stop(self) -> None:
        if self._task is not None:
            await self._queue.join()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def write(self, entry: Entry) -> None:
        """Append ``entry``; returns once it is committed (raises if it could not be)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put((entry, future))
        await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                async with self.pool.connection() as conn, conn.transaction():
                    await append(conn, merge_reads([entry for entry, _ in batch]))
            except Exception as exc:  # every waiting request learns its entry failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
            finally:
                for _ in batch:
                    self._queue.task_done()


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_id: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


async def verify_chain(conn: AsyncConnection[Any]) -> ChainReport:
    """Walk the whole log; name the first entry whose hash or link does not hold."""
    previous = GENESIS
    count = 0
    cursor = conn.cursor(name="access_log_walk")
    await cursor.execute(
        "SELECT id, at, client_id, subject, agency, role, purpose, operation, action,"
        " person_ids, categories, changes, prev_hash, entry_hash FROM access_log ORDER BY id"
    )
    async for row in cursor:
        count += 1
        entry = Entry(
            at=row[1],
            client_id=row[2],
            subject=row[3],
            agency=row[4],
            role=row[5],
            purpose=row[6],
            operation=row[7],
            action=row[8],
            person_ids=tuple(row[9]),
            categories=tuple(row[10]),
            changes=row[11],
        )
        if bytes(row[12]) != previous:
            return ChainReport(
                count,
                row[0],
                "el enlace con la entrada anterior no coincide "
                "(una entrada anterior fue borrada o alterada)",
            )
        if chain_hash(previous, entry) != bytes(row[13]):
            return ChainReport(count, row[0], "el contenido no coincide con su huella")
        previous = bytes(row[13])
    await cursor.close()
    return ChainReport(count, None, None)


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
