"""Per-request DataLoaders in one typed container: one statement per relationship per request."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from aiodataloader import DataLoader

from services import case_queries as q
from services.records import (
    AppointmentRecord,
    CaseRecord,
    NeedRecord,
    OfficerRecord,
    PersonRecord,
    StatusChangeRecord,
)

if TYPE_CHECKING:
    from resolvers.context import RequestContext

K = TypeVar("K")
V = TypeVar("V")


def _context(ref: weakref.ReferenceType[RequestContext]) -> RequestContext:
    ctx = ref()
    if ctx is None:  # only a resolver that outlived its request can get here
        from resolvers.context import RequestFinished

        raise RequestFinished
    return ctx


class _Loader(DataLoader[K, V]):
    # The request context is held weakly, here and in ``Loaders``: it holds them, and a
    # cycle would keep everything they loaded (~1,800 objects for an officer's case
    # list) alive until the cyclic garbage collector ran, which then cost more than a
    # third of the request (bench/RESULTS.md).
    def __init__(
        self,
        ctx: weakref.ReferenceType[RequestContext],
        fetch: Callable[[Any, Sequence[K]], Awaitable[list[V]]],
    ) -> None:
        super().__init__(max_batch_size=10_000)
        self._ctx = ctx
        self._fetch = fetch
        self._values: dict[K, V] = {}

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V]:
        return await _context(self._ctx).run(self._fetch, list(keys))

    def load(self, key: K) -> asyncio.Future[V]:
        if key in self._values:  # already fetched by ``many``: no second statement
            future = asyncio.get_running_loop().create_future()
            future.set_result(self._values[key])
            return future
        return super().load(key)

    async def many(self, keys: Sequence[K]) -> list[V]:
        """Values for ``keys`` with one fetch for the missing ones and no future per key
        (the plan executor's batch resolvers). Values already loaded one by one are reused."""
        known = self._values
        missing = [k for k in dict.fromkeys(keys) if k not in known]
        if missing:
            pending = self._cache
            fetch = [k for k in missing if k not in pending]
            if fetch:
                values = await _context(self._ctx).run(self._fetch, fetch)
                for key, value in zip(fetch, values, strict=True):
                    known[key] = value
            for key in missing:
                if key not in known:
                    known[key] = await pending[key]
        return [known[k] for k in keys]


class Loaders:
    """Every loader a request may use, created lazily (most requests need two or three)."""

    def __init__(self, ctx: RequestContext) -> None:
        self._ctx = weakref.ref(ctx)
        self._made: dict[str, _Loader[Any, Any]] = {}

    def _get(
        self, name: str, fetch: Callable[[Any, Sequence[K]], Awaitable[list[V]]]
    ) -> _Loader[K, V]:
        loader = self._made.get(name)
        if loader is None:
            loader = self._made[name] = _Loader(self._ctx, fetch)
        return loader

    @property
    def person(self) -> _Loader[int, PersonRecord | None]:
        scoped = _context(self._ctx).row_conditions
        fetch = q.persons_by_ids if scoped else q.persons_by_ids_unscoped
        return self._get("person", fetch)

    @property
    def documents(self) -> _Loader[int, list[tuple[str, str, str]]]:
        return self._get("documents", q.documents_by_person)

    @property
    def memberships(self) -> _Loader[int, list[tuple[int, str]]]:
        return self._get("memberships", q.memberships_by_person)

    @property
    def case(self) -> _Loader[int, CaseRecord | None]:
        return self._get("case", q.cases_by_ids)

    @property
    def needs(self) -> _Loader[int, list[NeedRecord]]:
        return self._get("needs", q.needs_by_case)

    @property
    def officer(self) -> _Loader[int, OfficerRecord | None]:
        return self._get("officer", q.officers_by_ids)

    @property
    def history(self) -> _Loader[int, list[StatusChangeRecord]]:
        return self._get("history", q.history_by_case)

    @property
    def appointments(self) -> _Loader[int, list[AppointmentRecord]]:
        return self._get("appointments", q.appointments_by_case)

    def custom(
        self, name: str, fetch: Callable[[Any, Sequence[Any]], Awaitable[list[Any]]]
    ) -> _Loader[Any, Any]:
        """A loader for another area's relationship, keyed by ``name``."""
        return self._get(name, fetch)
