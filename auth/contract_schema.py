"""A role's contract built by Strawberry itself, through its public API.

``Schema.get_fields`` is Strawberry's hook for which fields of a type a schema shows:
the contract's schema class answers it with the fields the role may read (and that
still lead somewhere, see ``visible_fields``). Strawberry then builds, validates and
runs that schema like any other — its extensions included — and the hub only adds,
after the build, each field's guard (``auth.guards``) as the field's resolver and in
its ``extensions`` (both public attributes of graphql-core's ``GraphQLField``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import strawberry
import strawberry.federation
from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from auth.direct_resolvers import graphql_schema_of
from auth.guards import GUARD, FieldGuard

Keep = Callable[[str, str], bool]
Guard = Callable[[str, str, GraphQLField], FieldGuard]
Extensions = Iterable[type[SchemaExtension] | Callable[[], SchemaExtension]]


def visible_fields(schema: GraphQLSchema, keep: Keep) -> dict[str, frozenset[str]]:
    """Per object / interface type of ``schema``, the fields kept, with those whose type
    has nothing left removed, until nothing changes (a contract shows no type it
    cannot return, and no field that could only return such a type)."""
    composite = {
        name: t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType) and not name.startswith("__")
    }
    fields: dict[str, dict[str, GraphQLField]] = {
        name: {f: fld for f, fld in t.fields.items() if keep(name, f)}
        for name, t in composite.items()
    }
    unions = {name: t for name, t in schema.type_map.items() if isinstance(t, GraphQLUnionType)}

    def alive(named: GraphQLNamedType) -> bool:
        if named.name in fields:
            return bool(fields[named.name])
        if named.name in unions:
            return any(alive(m) for m in unions[named.name].types)
        return True

    changed = True
    while changed:
        changed = False
        for kept in fields.values():
            for fname, fld in list(kept.items()):
                if not alive(get_named_type(fld.type)):
                    del kept[fname]
                    changed = True
    return {name: frozenset(kept) for name, kept in fields.items()}


class _Visible:
    """``get_fields`` answered from a precomputed map (type name -> GraphQL field names)."""

    _visible: Mapping[str, frozenset[str]]
    config: Any

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        fields: list[StrawberryField] = super().get_fields(type_definition)  # type: ignore[misc]
        shown = self._visible.get(type_definition.name)
        if shown is None:
            return fields
        name = self.config.name_converter.get_graphql_name
        return [f for f in fields if name(f) in shown]

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Field errors are answers here (``FORBIDDEN`` above all), not faults to log;
        the hub logs what it must itself (``hub.routes_graphql``)."""


class ContractSchema(_Visible, strawberry.Schema):
    """A role's contract over the whole schema (``/graphql``)."""

    def __init__(self, visible: Mapping[str, frozenset[str]], **kwargs: Any) -> None:
        self._visible = visible
        super().__init__(**kwargs)


class FederatedContractSchema(_Visible, strawberry.federation.Schema):
    """A role's contract over one subgraph (``/subgraphs/<name>/graphql``)."""

    def __init__(self, visible: Mapping[str, frozenset[str]], **kwargs: Any) -> None:
        self._visible = visible
        super().__init__(**kwargs)


def install_guards(schema: GraphQLSchema, source: GraphQLSchema, guard: Guard) -> None:
    """Make each field's guard the only way to its value: the resolver graphql-core calls,
    and (under ``GUARD``) what the plan executor calls. The guard wraps the function of
    the same field in ``source`` (the whole schema), so every role runs the same code."""
    for name, t in schema.type_map.items():
        if name.startswith("__") or not isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            continue
        original = source.type_map[name]
        assert isinstance(original, GraphQLObjectType | GraphQLInterfaceType)
        for fname, fld in t.fields.items():
            field_guard = guard(name, fname, original.fields[fname])
            fld.resolve = field_guard.resolve
            fld.extensions = {**(fld.extensions or {}), GUARD: field_guard}


def contract_schema(
    whole: Any,
    keep: Keep,
    guard: Guard,
    *,
    federation: bool,
    execution_context_class: type[Any] | None = None,
    extensions: Extensions = (),
) -> strawberry.Schema:
    """The Strawberry schema of a contract over ``whole`` (a built Strawberry schema):
    only the fields ``keep`` lets through, each served through ``guard``."""
    source = graphql_schema_of(whole)
    visible = visible_fields(source, keep)
    arguments: dict[str, Any] = {
        "query": whole.query,
        # a root type the role can use nothing of is no root type
        "mutation": whole.mutation if visible.get("Mutation") else None,
        "subscription": whole.subscription if visible.get("Subscription") else None,
        "config": whole.config,
        "extensions": extensions,
        "execution_context_class": execution_context_class,
    }
    built: strawberry.Schema
    if federation:
        built = FederatedContractSchema(visible, federation_version=_version(whole), **arguments)
    else:
        with warnings.catch_warnings():
            # the types carry their federation directives; this schema does not serve them
            warnings.filterwarnings("ignore", "Federation directive found", UserWarning)
            built = ContractSchema(visible, **arguments)
    install_guards(graphql_schema_of(built), source, guard)
    return built


def _version(whole: Any) -> Any:
    major, minor = whole.federation_version
    return f"{major}.{minor}"


__all__ = [
    "ContractSchema",
    "FederatedContractSchema",
    "contract_schema",
    "install_guards",
    "visible_fields",
]
