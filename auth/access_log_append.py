"""Appending to the access log: the group-commit writer, merging a batch's reads, and a
write transaction's entry (row changes taken in, the chain extended). The entry and its
hash are in ``auth.access_log``; the chains and their leases in ``auth.log_chains``."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from auth.access_log import MAX_BATCH, Entry
from auth.log_chains import Head, claim, extend, instance, new_owner

ATTEMPTS = 3  # a lost lease costs a claim and a retry; more would mean a bug


class ChainLost(Exception):
    """The chain kept changing hands: the entries were not appended."""


async def append(conn: AsyncConnection[Any], entries: Sequence[Entry]) -> None:
    """Append ``entries`` inside the caller's transaction, on a chain of this process that
    no other transaction is extending (its row stays locked until the caller commits)."""
    if not entries:
        return
    cursor = conn.cursor()
    entries = await _with_row_changes(cursor, entries)
    owner = f"{instance()}/writes"
    for _ in range(ATTEMPTS):
        if await extend(conn, owner, await claim(conn, owner), entries) is not None:
            return
    raise ChainLost("la cadena del registro cambió de manos durante el anexo")


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
    # The writer's own chain: its lease owner name, and the head as of its last append.
    owner: str = field(default_factory=lambda: new_owner("reads"))
    _head: Head | None = None

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
                await self._append(merge_reads([entry for entry, _ in batch]))
            except Exception as exc:  # every waiting request learns its entry failed
                # The next batch claims a chain afresh (whether this batch committed is
                # unknown when its connection broke: the head it remembers may be stale).
                self._head = None
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

    async def _append(self, entries: Sequence[Entry]) -> None:
        async with self.pool.connection() as conn:
            if not any(e.request_key for e in entries):
                await self._extend(conn, entries)  # autocommit: one statement, one round trip
                return
            async with conn.transaction():  # row changes move into their entries atomically
                await self._extend(conn, await _with_row_changes(conn.cursor(), entries))

    async def _extend(self, conn: AsyncConnection[Any], entries: Sequence[Entry]) -> None:
        # A head that is stale (its chain taken over, or an append whose commit we never
        # heard of) fails the compare-and-set: claim a chain again and retry.
        for _ in range(ATTEMPTS):
            head = self._head or await claim(conn, self.owner)
            self._head = await extend(conn, self.owner, head, entries)
            if self._head is not None:
                return
        raise ChainLost("la cadena del registro cambió de manos durante el anexo")
