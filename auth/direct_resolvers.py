"""Calling a field's own function without Strawberry's per-call wrapper.

Not policy: the contracts (``auth.enforce``) build each field's guard from the form found
here, and the guard is what the executors call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLSchema
from strawberry.types.info import Info

from auth.resolver_forms import batch_form, takes_raw_arguments

Resolver = Callable[..., Any]


# The smallest adapter to Strawberry's internals, in one place. Strawberry 0.341 has no
# public way to (1) get the graphql-core schema it built, (2) let its own resolver
# wrappers run on a copy of that schema (they look the Strawberry schema up on it), or
# (3) build the ``strawberry.Info`` its resolvers take from graphql-core's info — its own
# wrapper does exactly this. Hence the pin of strawberry-graphql to one minor release.


def graphql_schema_of(strawberry_schema: Any) -> GraphQLSchema:
    """The graphql-core schema a Strawberry schema built."""
    return strawberry_schema._schema  # type: ignore[no-any-return]


def let_strawberry_resolve_on(schema: GraphQLSchema, strawberry_schema: Any) -> None:
    """Let Strawberry's resolver wrappers (fields with arguments) run on ``schema``."""
    schema._strawberry_schema = strawberry_schema  # type: ignore[attr-defined]


def _strawberry_info(info: Any, definition: Any) -> Any:
    return Info(_raw_info=info, _field=definition)


@dataclass(frozen=True, slots=True)
class DirectForm:
    """How to get a field's value directly: a resolver ``(source, info, **args)``, or the
    attribute it reads (then no resolver is needed), and its batch form if any."""

    resolve: Resolver | None = None
    attribute: str | None = None
    batch: Resolver | None = None


def direct_resolver(fld: GraphQLField) -> DirectForm | None:
    """The field's own function, called without Strawberry's per-call wrapper.

    Strawberry wraps every resolver to convert arguments and run field extensions; a
    field with neither only needs its function called with a Strawberry ``Info``.
    Attribute fields become a plain attribute read. Fields with arguments or extensions
    keep Strawberry's resolver (None).
    """
    definition = (fld.extensions or {}).get("strawberry-definition")
    if definition is None or definition.extensions:
        return None
    base = definition.base_resolver
    if fld.args:
        # Arguments already coerced by graphql-core are enough for resolvers that say so;
        # Strawberry's own conversion builds an object per input value (10,000 for a batch).
        if base is None or not takes_raw_arguments(base.wrapped_func):
            return None
        fn = base.wrapped_func
        names = {arg.graphql_name or arg.python_name: arg.python_name for arg in base.arguments}

        def call_raw(source: Any, info: Any, **args: Any) -> Any:
            python = {names.get(k, k): v for k, v in args.items()}
            return fn(source, _strawberry_info(info, definition), **python)

        return DirectForm(call_raw)
    if getattr(definition, "permission_classes", None):
        return None
    if base is None:
        return DirectForm(attribute=definition.python_name)
    if base.is_graphql_generic:
        return None
    params = list(inspect.signature(base.wrapped_func).parameters)
    fn = base.wrapped_func
    if params in (["root", "info"], ["self", "info"]):

        def call_with_root(source: Any, info: Any, **_: Any) -> Any:
            return fn(source, _strawberry_info(info, definition))

        batch = batch_form(fn)
        if batch is None:
            return DirectForm(call_with_root)

        def call_batch(sources: list[Any], info: Any) -> Any:
            return batch(sources, _strawberry_info(info, definition))

        return DirectForm(call_with_root, batch=call_batch)
    if params == ["info"]:

        def call(source: Any, info: Any, **_: Any) -> Any:
            return fn(_strawberry_info(info, definition))

        return DirectForm(call)
    return None
