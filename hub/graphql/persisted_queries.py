"""Automatic persisted queries (Apollo APQ): a client sends a query's SHA-256 instead of its
text once the hub has seen the text; and the small LRU the GraphQL caches use.

Shared by the instances of a deployment (issue 18): a text registered on one instance is
stored in PostgreSQL (table ``persisted_query``) before that request is answered, and
announced with ``NOTIFY`` on ``CHANNEL``; every instance's relay (``hub.event_relay``)
puts it in its own bounded LRU (``learn``), and an instance that starts loads the most
recent ones (``load_recent``). A hash missing from memory is looked up in PostgreSQL at
once (``resolve``): a registration on A runs on B at B's next request, whether or not the
notification has arrived. Misses are not cached (a cached miss could hide a registration
made a moment later); their lookups are bounded instead (``LOOKUPS`` at a time, on the
read pool, which bounds them too). Only documents that validate are registered, up to
``MAX_TEXT`` bytes, and the table keeps the most recent ``KEEP``: an anonymous caller
cannot fill memory or the database with texts.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from typing import Any

import psycopg
from psycopg_pool import PoolTimeout

from hub.errors import RequestError

log = logging.getLogger("qhub.persisted_queries")
CHANNEL = "qhub_persisted_query"
NOTIFY_MAX = 7_500  # bytes of text a notification carries (PostgreSQL's limit: 8,000)


class LRU:
    """A bounded mapping that forgets the least recently used key."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self._data[key] = value
        if len(self._data) > self._size:
            self._data.popitem(last=False)


CAPACITY = 10_000
_PERSISTED = LRU(CAPACITY)
# Lookups of unknown hashes at the same time, per hub: a stream of made-up hashes takes
# at most this many of the read pool's connections.
LOOKUPS = 2
WAIT_SECONDS = 5.0  # for a connection of the read pool
# Only valid documents are registered, and only up to this size (a longer text still
# runs; its client keeps sending it): memory and the table stay bounded.
MAX_TEXT = 16 * 1024
# The table keeps the most recent KEEP texts: every PRUNE_EVERY-th registration of a
# process deletes older ones (by created_at, indexed).
KEEP = 50_000
PRUNE_EVERY = 100


class Store:
    """Where a running hub keeps registrations: its read pool (``hub.event_relay`` makes
    one per hub at start-up; the semaphore belongs to that hub's event loop)."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.looking = asyncio.Semaphore(LOOKUPS)
        self.saved = 0


def _persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    if not extensions:
        return None
    persisted = extensions.get("persistedQuery")
    if not isinstance(persisted, dict):
        return None
    if persisted.get("version") != 1 or not isinstance(persisted.get("sha256Hash"), str):
        raise RequestError(
            400, "persistedQuery no es válido (versión 1 y sha256Hash).", "BAD_REQUEST"
        )
    return persisted["sha256Hash"].lower()  # type: ignore[no-any-return]


async def resolve(query: Any, extensions: dict[str, Any] | None, store: Store | None) -> Any:
    """The text of the request: its own, or for a hash alone the text registered under it
    on any instance. ``None``: neither text nor hash."""
    digest = _persisted_hash(extensions)
    if query is not None or digest is None:
        return query
    known = _PERSISTED.get(digest) or await _lookup(store, digest)
    if known is None:
        # Apollo clients retry with the full text when they see this code (status 200).
        raise RequestError(200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return known


def to_register(query: str, extensions: dict[str, Any] | None) -> str | None:
    """The hash to register ``query`` under once it validates (``register``): the one it
    was sent with, checked; None when there is none, it is known or the text is long."""
    digest = _persisted_hash(extensions)
    if digest is None:
        return None
    _check(digest, query)
    if _PERSISTED.get(digest) is not None or len(query.encode()) > MAX_TEXT:
        return None
    return digest


async def register(store: Store | None, digest: str, query: str) -> None:
    """Store a valid document under its hash for every instance, before its request is
    answered (a client may send the hash alone to another instance next)."""
    await _save(store, digest, query)
    _PERSISTED.put(digest, query)


def remember_persisted(query: str, extensions: dict[str, Any]) -> None:
    """Know a text by its hash in this process only (the console's operations, which
    every instance registers at start-up)."""
    digest = _persisted_hash(extensions)
    if digest is not None:
        _check(digest, query)
        _PERSISTED.put(digest, query)


def _check(digest: str, query: str) -> None:
    if hashlib.sha256(query.encode()).hexdigest() != digest:
        raise RequestError(
            400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"
        )


async def _lookup(store: Store | None, digest: str) -> str | None:
    """The text stored under ``digest`` (hash checked again), or None."""
    if store is None:
        return None
    try:
        async with store.looking, store.pool.connection(timeout=WAIT_SECONDS) as conn:
            cursor = await conn.execute(
                "SELECT query FROM persisted_query WHERE sha256 = %s", (digest,)
            )
            row = await cursor.fetchone()
    except (psycopg.Error, PoolTimeout) as exc:  # the client sends the text again
        log.warning("persisted query not looked up: %s", type(exc).__name__)
        return None
    if row is None:
        return None
    (query,) = row
    if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest:
        return None
    _PERSISTED.put(digest, query)
    return query


async def _save(store: Store | None, digest: str, query: str) -> None:
    """Store and announce one registration (once per text and instance)."""
    if store is None:
        return
    try:
        async with store.pool.connection(timeout=WAIT_SECONDS) as conn:
            cursor = await conn.execute(
                "INSERT INTO persisted_query (sha256, query) VALUES (%s, %s)"
                " ON CONFLICT (sha256) DO NOTHING",
                (digest, query),
            )
            store.saved += cursor.rowcount
            if cursor.rowcount and store.saved % PRUNE_EVERY == 0:
                await conn.execute(
                    "DELETE FROM persisted_query WHERE created_at < (SELECT created_at"
                    " FROM persisted_query ORDER BY created_at DESC OFFSET %s LIMIT 1)",
                    (KEEP - 1,),
                )
            if len(query.encode()) <= NOTIFY_MAX:
                payload = json.dumps({"sha256": digest, "query": query})
                await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
    except (psycopg.Error, PoolTimeout) as exc:  # known here; others learn it when resent
        log.warning("persisted query not stored: %s", type(exc).__name__)


def learn(payload: str) -> None:
    """Take in a registration announced by an instance (the hash is checked again)."""
    fields = json.loads(payload)
    digest, query = str(fields["sha256"]), str(fields["query"])
    if hashlib.sha256(query.encode()).hexdigest() == digest:
        _PERSISTED.put(digest, query)


async def load_recent(conn: psycopg.AsyncConnection[Any]) -> int:
    """Put the most recently registered texts in memory (at start-up); how many (none
    while migrations are pending: the hub starts, and says it is not ready)."""
    try:
        cursor = await conn.execute(
            "SELECT sha256, query FROM persisted_query ORDER BY created_at DESC LIMIT %s",
            (CAPACITY,),
        )
    except psycopg.errors.UndefinedTable:
        return 0
    rows = await cursor.fetchall()
    for digest, query in reversed(rows):
        _PERSISTED.put(digest, query)
    return len(rows)
