"""Enforcement of ``auth.policy`` on a GraphQL schema. The only place the policy is applied.

For each role the hub builds a *contract*: a copy of the executable schema that

* contains only the fields the role may ever read (introspection shows nothing else,
  and a query naming another field fails validation as if it did not exist);
* serves every field through its guard (``auth.guards``): fields whose grant has a row
  condition (own office, assigned case, consent, self) are checked against the
  record's ``RowScope`` — a record that fails gives ``null`` and a ``FORBIDDEN`` error
  with the path, the rest is served — by whichever executor runs the query;
* records, for the access log, which persons' data of which category was read when
  the reader is another agency, or when anyone reads ``claim`` data.
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    print_schema,
)

from auth.contract_schema import Extensions, contract_schema
from auth.direct_resolvers import direct_resolver, graphql_schema_of
from auth.guards import FieldGuard, RowCheck, make_guard
from auth.guards import check_row as check_row
from auth.guards import forbidden as forbidden
from auth.guards import row_allowed as row_allowed
from auth.policy import (
    AGENCY_ROLES,
    PERSONAL_CATEGORIES,
    Category,
    Scope,
    field_category,
    read_scope,
    write_scope,
)
from models.vocab import Role
from services.errors import NotFound

ROOT_TYPES = ("Query", "Mutation", "Subscription")
FEDERATION_FIELDS = ("_service", "_entities")


def allowed_scope(role: Role, type_name: str, field_name: str) -> Scope | None:
    """The scope under which ``role`` may use this field; None when it never may."""
    category = field_category(type_name, field_name)
    if category is None:
        return None
    if type_name == "Mutation":
        return write_scope(role, category)
    return read_scope(role, category)


def _logs(role: Role, category: str) -> bool:
    top = category.split(".", 1)[0]
    if top == Category.CLAIM:
        return True
    return role in AGENCY_ROLES and top in PERSONAL_CATEGORIES


def field_guard(role: Role, type_name: str, field_name: str, fld: GraphQLField) -> FieldGuard:
    """The guard of one field of ``role``'s contract (the field is one the role may read).

    Root fields have no row check of their own: the records they return are checked
    field by field. Every other field is checked against its record's ``RowScope``
    unless the role's grant is unconditional and nothing is logged."""
    if type_name == "Subscription":
        # its function is the ``subscribe``; ``resolve`` maps events, whose own fields
        # carry their own guards
        return make_guard(None, fld.resolve)
    form = direct_resolver(fld)
    resolve = form.resolve if form is not None and form.resolve is not None else fld.resolve
    attribute = form.attribute if form is not None else None
    batch = form.batch if form is not None else None
    if type_name == "Query" and field_name == "_entities":
        return make_guard(None, _entities_checked(role, resolve))
    if type_name in ROOT_TYPES:
        return make_guard(
            None,
            resolve,
            attribute=attribute,
            batch=batch,
            found=_found(role, type_name, field_name, fld),
        )
    category = field_category(type_name, field_name)
    scope = allowed_scope(role, type_name, field_name)
    if category is None or scope is None:
        raise ValueError(f"{type_name}.{field_name} is not readable by {role}: not in its contract")
    log = _logs(role, category)
    # A link to records (an object or a list of them) is logged against the records it
    # returns; a leaf, against its own record.
    log_values = category if log and not is_leaf_type(get_named_type(fld.type)) else None
    log_here = log and log_values is None
    check = None if scope is Scope.ALL and not log_here else RowCheck(scope, category, log_here)
    return make_guard(check, resolve, attribute=attribute, batch=batch, log_values=log_values)


# An entity fetched by key is governed by the root field that looks it up by that key.
ENTITY_LOOKUPS = {"Person": "person", "Case": "case"}


def _entities_checked(role: Role, resolve: Any) -> Any:
    """``_entities`` answers, per representation, what the entity's own lookup would:
    a record the role may not read, and one that does not exist, are the same
    ``FORBIDDEN`` item (for roles whose lookup has a row condition)."""
    checks: dict[str, RowCheck | None] = {}
    for type_name, lookup in ENTITY_LOOKUPS.items():
        category = field_category("Query", lookup)
        scope = allowed_scope(role, "Query", lookup)
        if category is not None and scope is not None and scope is not Scope.ALL:
            checks[type_name] = RowCheck(scope, category, False)

    def judged(item: Any, check: RowCheck | None, ctx: Any) -> Any:
        if check is None:
            return item
        if item is None or isinstance(item, NotFound):
            return check.denial()  # unknown: the same answer as forbidden
        if isinstance(item, BaseException) or check.allows(ctx, item):
            return item
        return check.denial()

    def entities(source: Any, info: Any, **args: Any) -> Any:
        # read before resolving: Strawberry's resolver pops ``__typename``
        named = [
            str(r.get("__typename")) if isinstance(r, dict) else ""
            for r in args.get("representations") or ()
        ]
        value = resolve(source, info, **args)

        async def each(items: list[Any]) -> list[Any]:
            # awaited together (the loaders batch them); a failure is that item's error
            settled = await asyncio.gather(
                *(_settled(item) for item in items), return_exceptions=True
            )
            for item in settled:
                if isinstance(item, asyncio.CancelledError):
                    raise item
            ctx = info.context
            return [
                judged(item, checks.get(name), ctx)
                for item, name in zip(settled, named, strict=False)
            ]

        async def later() -> Any:
            return await each(list(await value if inspect.isawaitable(value) else value))

        return later()

    return entities


async def _settled(item: Any) -> Any:
    return await item if inspect.isawaitable(item) else item


def _found(role: Role, type_name: str, field_name: str, fld: GraphQLField) -> RowCheck | None:
    """For a root query field that looks one record up (by the arguments the caller
    chose) under a row condition: the check of that record (then unknown and forbidden
    records get the same answer)."""
    if type_name != "Query" or field_name in FEDERATION_FIELDS:
        return None
    if not fld.args:
        return None  # the caller names no record (``myWorkPermit``): nothing to tell apart
    named = fld.type.of_type if isinstance(fld.type, GraphQLNonNull) else fld.type
    if not isinstance(named, GraphQLObjectType):
        return None  # lists: each item's fields are checked, unknown and denied alike
    if all(field_category(named.name, f) == Category.STRUCTURE for f in named.fields):
        return None  # a page of records (a connection), not a record
    category = field_category(type_name, field_name)
    scope = allowed_scope(role, type_name, field_name)
    if category is None or scope is None or scope is Scope.ALL:
        return None
    return RowCheck(scope, category, False)


@dataclass(frozen=True)
class Contract:
    """What one role may see of one schema: the Strawberry schema that runs its requests
    and the graphql-core schema Strawberry built for it (validation, plans)."""

    role: Role
    strawberry: strawberry.Schema

    @property
    def schema(self) -> GraphQLSchema:
        return graphql_schema_of(self.strawberry)

    @property
    def sdl(self) -> str:
        return print_schema(self.schema)


def build_contract(
    strawberry_schema: Any,
    role: Role,
    *,
    federation: bool = False,
    execution_context_class: type[Any] | None = None,
    extensions: Extensions = (),
) -> Contract:
    """The executable contract of ``role`` over a built Strawberry schema."""

    def keep(type_name: str, field_name: str) -> bool:
        if field_name in FEDERATION_FIELDS and type_name == "Query":
            return federation and allowed_scope(role, type_name, field_name) is not None
        return allowed_scope(role, type_name, field_name) is not None

    def guard(type_name: str, field_name: str, fld: GraphQLField) -> FieldGuard:
        return field_guard(role, type_name, field_name, fld)

    built = contract_schema(
        strawberry_schema,
        keep,
        guard,
        federation=federation,
        execution_context_class=execution_context_class,
        extensions=extensions,
    )
    return Contract(role=role, strawberry=built)


def annotate_federation_directives(strawberry_schema: Any) -> None:
    """Attach ``@requiresScopes`` from the policy to every field a router must guard.

    Scopes are ``role:<role>``; a field readable by everyone (public included) gets none.
    """
    from strawberry.federation.schema_directives import RequiresScopes
    from strawberry.types.base import StrawberryObjectDefinition

    converter = strawberry_schema.schema_converter
    name_of = strawberry_schema.config.name_converter.get_graphql_name
    for entry in converter.type_map.values():
        definition = getattr(entry, "definition", None)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for fld in definition.fields:
            gql_name = name_of(fld)
            roles = [role for role in Role if allowed_scope(role, definition.name, gql_name)]
            if not roles or len(roles) == len(Role):
                continue
            if any(isinstance(d, RequiresScopes) for d in fld.directives):
                continue
            fld.directives = [
                *fld.directives,
                RequiresScopes(scopes=[[f"role:{role.value}"] for role in roles]),
            ]
