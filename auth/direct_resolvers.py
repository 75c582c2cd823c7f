"""Getting a field's value without Strawberry's per-call wrapper where the hub can.

Not policy: the contracts (``auth.enforce``) build each field's guard from the form found
here, and the guard is what the executors call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLSchema

from auth.resolver_forms import batch_form, takes_raw_arguments

Resolver = Callable[..., Any]


# The one adapter to a Strawberry internal, in one place: Strawberry (0.341) has no
# public accessor for the graphql-core schema it built and executes (its own
# ``ValidationCache`` extension reads the same attribute). The hub validates, prices and
# compiles documents against that schema, so it needs it.


def graphql_schema_of(strawberry_schema: Any) -> GraphQLSchema:
    """The graphql-core schema a Strawberry schema built (and executes)."""
    schema = strawberry_schema._schema
    assert isinstance(schema, GraphQLSchema)
    return schema


@dataclass(frozen=True, slots=True)
class DirectForm:
    """How to get a field's value directly: a resolver ``(source, info, **args)``, or the
    attribute it reads (then no resolver is needed), and its batch form if any."""

    resolve: Resolver | None = None
    attribute: str | None = None
    batch: Resolver | None = None


def direct_resolver(fld: GraphQLField) -> DirectForm | None:
    """How to get the field's value without Strawberry's per-call wrapper, if there is a way.

    Attribute fields become a plain attribute read. The forms a resolver registered in
    ``auth.resolver_forms`` (batch, raw arguments) are the hub's own calling convention:
    they get graphql-core's ``GraphQLResolveInfo`` (what they read, ``info.context``, is
    the same object Strawberry's ``Info`` hands out). Everything else keeps Strawberry's
    resolver (None), which builds the ``strawberry.Info`` its function declares.
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
            return fn(source, info, **python)

        return DirectForm(call_raw)
    if getattr(definition, "permission_classes", None):
        return None
    if base is None:
        return DirectForm(attribute=definition.python_name)
    if base.is_graphql_generic:
        return None
    params = list(inspect.signature(base.wrapped_func).parameters)
    batch = batch_form(base.wrapped_func)
    if batch is None or params not in (["root", "info"], ["self", "info"]):
        return None  # Strawberry's own resolver (it builds the ``strawberry.Info``)
    # The per-object form stays Strawberry's resolver; the batch form is the hub's.
    return DirectForm(fld.resolve, batch=batch)
