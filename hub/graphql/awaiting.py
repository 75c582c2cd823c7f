"""Awaiting what a level of the plan executor produced, with graphql-core's outcomes but less
work per value: most values are records, and most requests wait for one thing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from types import GeneratorType
from typing import Any

from graphql.pyutils import is_awaitable


class AwaitableTypes:
    """``is_awaitable(value)``, decided once per Python type (a record type is tested for
    ``__await__`` once, not for each of the thousands of records of an answer). One per
    request: keyed by the types it met, held for the request only."""

    def __init__(self) -> None:
        self._known: dict[type, bool] = {}

    def test(self, value: Any) -> bool:
        kind = type(value)
        known = self._known.get(kind)
        if known is None:
            if kind is GeneratorType:  # generator-based coroutines: a flag of each object
                return is_awaitable(value)
            known = self._known[kind] = is_awaitable(value)
        return known


async def gather_all(awaitables: Iterable[Any]) -> list[Any]:
    """``gather(..., return_exceptions=True)``; a lone awaitable is awaited as it is (a
    single lookup is the commonest request: no task and no gathering future for it)."""
    pending = list(awaitables)
    if len(pending) != 1:
        return await asyncio.gather(*pending, return_exceptions=True)
    try:
        return [await pending[0]]
    except Exception as exc:  # what gather returns for it; a cancellation propagates
        return [exc]
