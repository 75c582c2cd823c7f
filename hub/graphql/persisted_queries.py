"""Automatic persisted queries (Apollo APQ): a client sends a query's SHA-256 instead of its
text once the hub has seen the text; and the small LRU the GraphQL caches use.

Shared by the instances of a deployment (issue 18): a text registered on one instance is
stored in PostgreSQL (table ``persisted_query``) and announced with ``NOTIFY`` on
``CHANNEL``; every instance's relay (``hub.event_relay``) puts it in its own bounded LRU
(``learn``), and an instance that starts loads the most recent ones (``load_recent``).
Lookups stay in memory: a hash that has not reached an instance yet is answered
``PERSISTED_QUERY_NOT_FOUND`` and the client sends the text again (Apollo's protocol).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from typing import Any

import psycopg

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
# Where registrations are stored (set at start-up by ``hub.event_relay``), and the saves
# under way (kept referenced until done; bounded by the distinct texts registered).
_STORE: dict[str, str] = {}
_SAVING: set[asyncio.Task[None]] = set()


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


def persisted_query(extensions: dict[str, Any] | None) -> str:
    """The text of an automatic persisted query (Apollo APQ), by its SHA-256."""
    digest = _persisted_hash(extensions)
    if digest is None:
        raise RequestError(400, "Falta el parámetro 'query'.", "BAD_REQUEST")
    query = _PERSISTED.get(digest)
    if query is None:
        # Apollo clients retry with the full text when they see this code (status 200).
        raise RequestError(200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return query  # type: ignore[no-any-return]


def remember_persisted(query: str, extensions: dict[str, Any]) -> None:
    digest = _persisted_hash(extensions)
    if digest is None:
        return
    if hashlib.sha256(query.encode()).hexdigest() != digest:
        raise RequestError(
            400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"
        )
    if _PERSISTED.get(digest) is None and "url" in _STORE:
        _save_later(_STORE["url"], digest, query)
    _PERSISTED.put(digest, query)


def store_in(conninfo: str) -> None:
    """Store every text registered from now on in the database at ``conninfo``."""
    _STORE["url"] = conninfo


def _save_later(conninfo: str, digest: str, query: str) -> None:
    try:
        task = asyncio.get_running_loop().create_task(_save(conninfo, digest, query))
    except RuntimeError:  # no event loop (registration at import time): memory only
        return
    _SAVING.add(task)
    task.add_done_callback(_SAVING.discard)


async def _save(conninfo: str, digest: str, query: str) -> None:
    """Store and announce one registration (a connection of its own: this is rare, once
    per text and instance, and must never wait for the request pools)."""
    from hub.availability import connection_options

    try:
        options: dict[str, Any] = {**connection_options(), "autocommit": True}
        async with await psycopg.AsyncConnection.connect(conninfo, **options) as conn:
            await conn.execute(
                "INSERT INTO persisted_query (sha256, query) VALUES (%s, %s)"
                " ON CONFLICT (sha256) DO NOTHING",
                (digest, query),
            )
            if len(query.encode()) <= NOTIFY_MAX:
                payload = json.dumps({"sha256": digest, "query": query})
                await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
    except psycopg.Error as exc:  # the text stays known here; others learn it when resent
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
