"""Appending to the access log: the group-commit writer, merging a batch's reads, and the
batch transaction (chain lock, last hash, row changes taken in, COPY). The entry and its
hash are in ``auth.access_log``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from auth.access_log import GENESIS, LOCK_KEY, MAX_BATCH, Entry, chain_hash

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
    staged: dict[str, list[dict[str, Any]]] = {}
    for _, key, table, op, row_key, old, new in sorted(await cursor.fetchall()):
        staged.setdefault(key, []).append(
            {"table": table, "operation": op.lower(), "key": row_key, "before": old, "after": new}
        )
    cases = {c for rows in staged.values() for c in _ids(rows, "case_file", "case_id")}
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
        persons = set(entry.person_ids) | _ids(rows, "person", "person_id")
        for case_id in _ids(rows, "case_file", "case_id"):
            persons |= members.get(case_id, set())
        result.append(
            replace(
                entry,
                changes={**(entry.changes or {}), "rows": rows},
                person_ids=tuple(sorted(persons)),
            )
        )
    return result


def _ids(rows: Iterable[Mapping[str, Any]], table: str, reference: str) -> set[int]:
    """The ids of ``table`` the changed rows concern: a row of that table (its ``id``), or
    a row naming one (``reference``, e.g. ``person_id``)."""
    found: set[int] = set()
    for row in rows:
        for values in (row["key"], row["before"] or {}, row["after"] or {}):
            value = values.get("id") if row["table"] == table else values.get(reference)
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
    # Insertion-ordered groups; an entry that is not merged is a group of its own.
    groups: dict[Any, list[Entry]] = {}
    for index, entry in enumerate(entries):
        if entry.action != "read" or entry.request_key is not None or entry.changes:
            key: Any = index
        else:
            key = (
                entry.client_id,
                entry.subject,
                entry.agency,
                entry.role,
                entry.purpose,
                entry.operation,
                entry.categories,
            )
        groups.setdefault(key, []).append(entry)
    return [
        group[0]
        if len(group) == 1
        else replace(
            group[0],
            at=min(e.at for e in group),
            person_ids=tuple(sorted({p for e in group for p in e.person_ids})),
            changes={"requests": len(group)},
        )
        for group in groups.values()
    ]


@dataclass
class AccessLogWriter:
    """Group commit: requests hand in entries and wait until their batch is committed."""

    pool: AsyncConnectionPool
    _queue: asyncio.Queue[tuple[Entry, asyncio.Future[None]]] = field(default_factory=asyncio.Queue)
    _task: asyncio.Task[None] | None = None
    # Told each batch's size, duration in seconds and whether it failed (the hub's metrics).
    observe: Callable[[int, float, bool], None] | None = None

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
            started = time.perf_counter()
            try:
                async with self.pool.connection() as conn, conn.transaction():
                    await append(conn, merge_reads([entry for entry, _ in batch]))
            except Exception as exc:  # every waiting request learns its entry failed
                if self.observe is not None:
                    self.observe(len(batch), time.perf_counter() - started, True)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                if self.observe is not None:
                    self.observe(len(batch), time.perf_counter() - started, False)
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
            finally:
                for _ in batch:
                    self._queue.task_done()
