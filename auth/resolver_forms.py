"""A typed registry of the extra forms a resolver function offers the executors.

Not policy. Resolvers declare here, once, at import time:

* a *batch form* (``batch(sources, info) -> list | awaitable[list]``): the plan executor
  resolves a field for every object of a level in one call;
* that they take graphql-core's coerced arguments as they are (*raw arguments*), so the
  contracts may call them without Strawberry's per-value input conversion.

Both forms are called with graphql-core's ``GraphQLResolveInfo`` (one per level for a
batch), not a ``strawberry.Info``: read only ``info.context`` from it.

The registry is keyed by the function object itself (a strong reference: the key can
never be freed and its identity reused), and it replaces attributes set on functions.
The contracts (``auth.enforce``) read it when they build each field's guard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Resolver = Callable[..., Any]

_BATCH_FORMS: dict[Resolver, Resolver] = {}
_RAW_ARGUMENTS: set[Resolver] = set()


def batched(batch: Resolver) -> Callable[[Resolver], Resolver]:
    """Give a per-object resolver a batch form; both must answer the same."""

    def register(resolver: Resolver) -> Resolver:
        _BATCH_FORMS[resolver] = batch
        return resolver

    return register


def raw_arguments(resolver: Resolver) -> Resolver:
    """Mark a root field's resolver as taking graphql-core's coerced arguments as they are."""
    _RAW_ARGUMENTS.add(resolver)
    return resolver


def batch_form(resolver: Resolver) -> Resolver | None:
    return _BATCH_FORMS.get(resolver)


def takes_raw_arguments(resolver: Resolver) -> bool:
    return resolver in _RAW_ARGUMENTS
