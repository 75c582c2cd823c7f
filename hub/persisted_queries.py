"""Automatic persisted queries (Apollo APQ): a client sends a query's SHA-256 instead of its
text once the hub has seen the text; and the small LRU the GraphQL caches use."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from hub.errors import RequestError


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


_PERSISTED = LRU(10_000)


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
    _PERSISTED.put(digest, query)
