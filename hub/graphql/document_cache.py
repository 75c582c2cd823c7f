"""Parsed and validated documents, kept by bytes (not by count), and only while valid.

A parsed document costs about 115-135 bytes of memory per character of its text
(measured with tracemalloc on graphql-core 3.3); the caches weigh each entry by its
text's length and evict the least recently used beyond their byte budget, so no run
of distinct large documents can grow the process. A document that fails validation
is dropped from the parse cache and its errors are not kept: invalid texts cost CPU
on each request (bounded by ``hub.graphql.demand_control``'s limits), never memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse

from hub.graphql import demand_control

AST_BYTES_PER_CHAR = 160  # measured ~130, with room for the key and the cache's own entry
PARSED_BYTES = 64 * 1024 * 1024
VALIDATED_BYTES = 8 * 1024 * 1024


def _weight(entry: tuple[int, Any]) -> int:
    return entry[0]


class DocumentCache:
    """Parse once per text; validate and cost once per (schema, text) that is valid."""

    def __init__(self, parsed_bytes: int = PARSED_BYTES, validated_bytes: int = VALIDATED_BYTES):
        self._parsed: LRUCache[str, tuple[int, DocumentNode]] = LRUCache(
            parsed_bytes, getsizeof=_weight
        )
        # (schema, text) -> (weight, operation costs); only valid documents are here.
        self._validated: LRUCache[tuple[GraphQLSchema, str], tuple[int, dict[str | None, int]]]
        self._validated = LRUCache(validated_bytes, getsizeof=_weight)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe

    def parse(self, query: str) -> DocumentNode:
        """The document of ``query``; ``GraphQLError`` (with its code) when it is over a
        limit of ``hub.graphql.demand_control`` or does not parse."""
        with self._lock:
            entry = self._parsed.get(query)
        if entry is not None:
            return entry[1]
        demand_control.check_text(query)
        document = parse(query, max_tokens=demand_control.MAX_TOKENS)
        weight = len(query) * AST_BYTES_PER_CHAR
        if weight <= self._parsed.maxsize:
            with self._lock:
                self._parsed[query] = (weight, document)
        return document

    def validate(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        validate: Callable[[GraphQLSchema, DocumentNode], list[GraphQLError]],
    ) -> list[GraphQLError]:
        """Validation errors of ``document`` against ``schema`` (empty when valid)."""
        key = (schema, query)
        with self._lock:
            entry = self._validated.get(key)
        if entry is not None:
            return []
        errors = validate(schema, document)
        if errors:
            with self._lock:
                self._parsed.pop(query, None)
            return errors
        costs = demand_control.operation_costs(schema, document)
        weight = len(query) + 200 + 64 * len(costs)
        if weight <= self._validated.maxsize:
            with self._lock:
                self._validated[key] = (weight, costs)
        return []

    def cost(
        self, schema: GraphQLSchema, query: str, document: DocumentNode
    ) -> dict[str | None, int]:
        """The cost of each operation of a document ``validate`` accepted."""
        with self._lock:
            entry = self._validated.get((schema, query))
        if entry is not None:
            return entry[1]
        return demand_control.operation_costs(schema, document)

    def clear(self) -> None:
        with self._lock:
            self._parsed.clear()
            self._validated.clear()

    def weights(self) -> tuple[int, int]:
        """Bytes (estimated) held by the parse and validation caches."""
        with self._lock:
            return int(self._parsed.currsize), int(self._validated.currsize)
