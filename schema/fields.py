"""Strawberry's field decorators, typed for mypy.

``strawberry.field(description=...)`` used as a decorator is typed as returning ``Any``
(its overloads type only the ``resolver=`` forms), so mypy stops checking every resolver
method it decorates. These pass the method to Strawberry as the resolver, exactly as the
decorator form does, and keep the method's signature for mypy: the class attribute
becomes Strawberry's field at run time, and nothing calls it as a method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def _as(decorator: Callable[..., Any], options: dict[str, Any]) -> Callable[[F], F]:
    def wrap(resolver: F) -> F:
        return cast(F, decorator(resolver, **options))

    return wrap


def record_field(resolver: Callable[..., Any], **options: Any) -> Any:
    """``strawberry.field(resolver=...)`` for a resolver typed with the service record it
    returns, which Strawberry serves as the GraphQL type the attribute declares."""
    return strawberry.field(resolver=resolver, **options)


def served(record: object) -> Any:
    """A service record returned where a method declares the GraphQL type it is served as."""
    return record


def field(**options: Any) -> Callable[[F], F]:
    """``@strawberry.field(**options)``."""
    return _as(strawberry.field, options)


def federation_field(**options: Any) -> Callable[[F], F]:
    """``@strawberry.federation.field(**options)`` (``shareable=``, …)."""
    return _as(strawberry.federation.field, options)


def mutation(**options: Any) -> Callable[[F], F]:
    """``@strawberry.mutation(**options)``."""
    return _as(strawberry.mutation, options)


def subscription(**options: Any) -> Callable[[F], F]:
    """``@strawberry.subscription(**options)``."""
    return _as(strawberry.subscription, options)
