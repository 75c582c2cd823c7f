"""Calling a field's own function without Strawberry's per-call wrapper.

Not policy: the contracts (``auth.enforce``) put these in place of Strawberry's resolvers,
and the policy's checks wrap them; the plan executor reads the marks they carry.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLField

Resolver = Callable[..., Any]


def direct_resolver(fld: GraphQLField) -> Resolver | None:
    """The field's own function, called without Strawberry's per-call wrapper.

    Strawberry wraps every resolver to convert arguments and run field extensions; a
    field with neither only needs its function called with a Strawberry ``Info``.
    Attribute fields become a plain ``getattr`` (marked ``_qhub_attr`` for the plan
    executor). Fields with arguments or extensions keep Strawberry's resolver.
    """
    from strawberry.types.info import Info

    definition = (fld.extensions or {}).get("strawberry-definition")
    if definition is None or definition.extensions:
        return None
    base = definition.base_resolver
    if fld.args:
        # Arguments already coerced by graphql-core are enough for resolvers that say so;
        # Strawberry's own conversion builds an object per input value (10,000 for a batch).
        raw = base is not None and getattr(base.wrapped_func, "_qhub_raw_args", False)
        if not raw:
            return None
        fn = base.wrapped_func
        names = {arg.graphql_name or arg.python_name: arg.python_name for arg in base.arguments}

        def call_raw(source: Any, info: Any, **args: Any) -> Any:
            python = {names.get(k, k): v for k, v in args.items()}
            return fn(source, Info(_raw_info=info, _field=definition), **python)

        return call_raw
    if getattr(definition, "permission_classes", None):
        return None
    if base is None:
        name = definition.python_name

        def get_attribute(source: Any, info: Any, **_: Any) -> Any:
            return getattr(source, name)

        get_attribute._qhub_attr = name  # type: ignore[attr-defined]
        return get_attribute
    if base.is_graphql_generic:
        return None
    params = list(inspect.signature(base.wrapped_func).parameters)
    fn = base.wrapped_func
    if params in (["root", "info"], ["self", "info"]):

        def call_with_root(source: Any, info: Any, **_: Any) -> Any:
            return fn(source, Info(_raw_info=info, _field=definition))

        batch = getattr(fn, "_qhub_batch", None)
        if batch is not None:

            def call_batch(sources: list[Any], info: Any) -> Any:
                return batch(sources, Info(_raw_info=info, _field=definition))

            call_with_root._qhub_batch = call_batch  # type: ignore[attr-defined]
        return call_with_root
    if params == ["info"]:

        def call(source: Any, info: Any, **_: Any) -> Any:
            return fn(Info(_raw_info=info, _field=definition))

        return call
    return None
