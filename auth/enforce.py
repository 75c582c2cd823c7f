"""Enforcement of ``auth.policy`` on a GraphQL schema. The only place the policy is applied.

For each role the hub builds a *contract*: a copy of the executable schema that

* contains only the fields the role may ever read (introspection shows nothing else,
  and a query naming another field fails validation as if it did not exist);
* wraps the fields whose grant has a row condition (own office, assigned case,
  consent, self) with a check against the record's ``RowScope`` — a record that fails
  gives ``null`` and a ``FORBIDDEN`` error with the path, the rest is served;
* records, for the access log, which persons' data of which category was read when
  the reader is another agency, or when anyone reads ``claim`` data.

Fields with an unconditional grant and nothing to log keep their original resolver,
so the policy costs nothing where it has nothing to decide.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    default_field_resolver,
    get_named_type,
    print_schema,
    specified_directives,
)

from auth.direct_resolvers import Resolver, direct_resolver
from auth.policy import (
    AGENCY_ROLES,
    PERSONAL_CATEGORIES,
    Category,
    RowScope,
    Scope,
    field_category,
    read_scope,
    write_scope,
)
from auth.principal import Principal
from models.vocab import Purpose, Role

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


def row_allowed(principal: Principal, scope: Scope, row: RowScope) -> bool:
    """Whether the record described by ``row`` satisfies the row condition ``scope``."""
    if scope is Scope.ALL:
        return True
    if scope is Scope.OWN_OFFICE:
        return principal.office_code is not None and principal.office_code in row.office_codes
    if scope is Scope.ASSIGNED:
        return principal.officer_id is not None and principal.officer_id in row.assigned_officer_ids
    if scope is Scope.CONSENT_HEALTH:
        return Purpose.HEALTH_WORKFORCE.value in row.consents
    if scope is Scope.SELF:
        return principal.person_id is not None and principal.person_id in row.person_ids
    return False


def _forbidden(category: str, scope: Scope) -> GraphQLError:
    return GraphQLError(
        "No tiene permiso para leer este dato de este registro "
        f"(categoría «{category}», condición «{scope.value}»).",
        extensions={"code": "FORBIDDEN", "category": str(category), "condition": scope.value},
    )


def _logs(role: Role, category: str) -> bool:
    top = category.split(".", 1)[0]
    if top == Category.CLAIM:
        return True
    return role in AGENCY_ROLES and top in PERSONAL_CATEGORIES


def _wrap(resolve: Resolver | None, category: str, scope: Scope, log: bool) -> Resolver:
    base = resolve or default_field_resolver
    wrapped = _wrap_one(base, category, scope, log)
    batch = getattr(base, "_qhub_batch", None)
    if batch is not None:
        wrapped._qhub_batch = _wrap_batch(batch, category, scope, log)  # type: ignore[attr-defined]
    return wrapped


def _wrap_batch(batch: Resolver, category: str, scope: Scope, log: bool) -> Resolver:
    """The batch form of a checked field: denied objects get FORBIDDEN, the rest one call."""

    def checked_batch(sources: list[Any], info: Any) -> Any:
        ctx = info.context
        allowed: list[Any] = []
        denied: dict[int, GraphQLError] = {}
        for index, source in enumerate(sources):
            if check_row(ctx, scope, category, log, getattr(source, "row_scope", None)):
                allowed.append(source)
            else:
                denied[index] = _forbidden(category, scope)
        result = batch(allowed, info) if allowed else []
        if not denied:
            return result

        def merge(values: list[Any]) -> list[Any]:
            it = iter(values)
            return [denied[i] if i in denied else next(it) for i in range(len(sources))]

        if inspect.isawaitable(result):

            async def later() -> list[Any]:
                return merge(await result)

            return later()
        return merge(result)

    return checked_batch


def check_row(ctx: Any, scope: Scope, category: str, log: bool, row: RowScope | None) -> bool:
    """Whether a record may be read under ``scope``; records the read when it must be logged.

    The one place a row condition is decided (field wrappers and the plan executor both
    call it); decisions are cached per request and record.
    """
    if scope is Scope.ALL:
        if log and row is not None:
            ctx.record_read(category, row.person_ids)
        return True
    if row is None:
        return False
    key = (scope.value, id(row))
    ok = ctx.decisions.get(key)
    if ok is None:
        ok = ctx.decisions[key] = row_allowed(ctx.principal, scope, row)
    if ok and log:
        ctx.record_read(category, row.person_ids)
    return bool(ok)


forbidden = _forbidden


def _wrap_one(base: Resolver, category: str, scope: Scope, log: bool) -> Resolver:
    def checked(source: Any, info: Any, **args: Any) -> Any:
        if not check_row(info.context, scope, category, log, getattr(source, "row_scope", None)):
            raise _forbidden(category, scope)
        return base(source, info, **args)

    # The plan executor reads these to check once per record and fill the fields in bulk.
    checked._qhub_check = (scope, category, log)  # type: ignore[attr-defined]
    checked._qhub_base = base  # type: ignore[attr-defined]
    return checked


@dataclass
class Contract:
    """What one role may see of one schema, executable."""

    role: Role
    schema: GraphQLSchema

    @property
    def sdl(self) -> str:
        return print_schema(self.schema)


def build_contract(strawberry_schema: Any, role: Role, *, federation: bool = False) -> Contract:
    """The executable contract of ``role`` over a built Strawberry schema."""
    source: GraphQLSchema = strawberry_schema._schema

    def keep(type_name: str, field_name: str) -> bool:
        if field_name in FEDERATION_FIELDS and type_name == "Query":
            return federation and allowed_scope(role, type_name, field_name) is not None
        return allowed_scope(role, type_name, field_name) is not None

    def wrap(type_name: str, field_name: str, fld: GraphQLField) -> Resolver | None:
        if type_name == "Subscription":
            return fld.resolve  # its function is the ``subscribe``; ``resolve`` maps events
        resolve = direct_resolver(fld) or fld.resolve
        if type_name in ROOT_TYPES:
            return resolve  # root fields: rows are checked on what they return
        category = field_category(type_name, field_name)
        scope = allowed_scope(role, type_name, field_name)
        if category is None or scope is None:  # pragma: no cover - pruned before
            return resolve
        log = _logs(role, category)
        if scope is Scope.ALL and not log:
            return resolve
        return _wrap(resolve, category, scope, log)

    schema = filter_schema(source, keep, wrap, federation=federation)
    schema._strawberry_schema = strawberry_schema  # type: ignore[attr-defined]
    return Contract(role=role, schema=schema)


def filter_schema(
    schema: GraphQLSchema,
    keep: Callable[[str, str], bool],
    wrap: Callable[[str, str, GraphQLField], Resolver | None],
    *,
    federation: bool = True,
) -> GraphQLSchema:
    """A copy of ``schema`` with only the kept fields (and the types still reachable).

    Types left without fields disappear, and so do the fields that returned them,
    until nothing changes. Scalars, enums and input types are shared, not copied.
    """
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

    new_types: dict[str, GraphQLNamedType] = {}

    def mapped(t: GraphQLType) -> GraphQLType:
        if isinstance(t, GraphQLNonNull):
            return GraphQLNonNull(cast(Any, mapped(t.of_type)))
        if isinstance(t, GraphQLList):
            return GraphQLList(mapped(t.of_type))
        named = cast(GraphQLNamedType, t)
        return new_types.get(named.name, named)

    def field_thunk(name: str) -> Callable[[], dict[str, GraphQLField]]:
        def thunk() -> dict[str, GraphQLField]:
            return {
                fname: GraphQLField(
                    cast(Any, mapped(fld.type)),
                    args=fld.args,
                    resolve=wrap(name, fname, fld),
                    subscribe=fld.subscribe,
                    description=fld.description,
                    deprecation_reason=fld.deprecation_reason,
                    extensions=fld.extensions,
                    ast_node=fld.ast_node,
                )
                for fname, fld in fields[name].items()
            }

        return thunk

    for name, t in composite.items():
        if not fields[name]:
            continue
        if isinstance(t, GraphQLObjectType):
            new_types[name] = GraphQLObjectType(
                name,
                fields=field_thunk(name),
                interfaces=_interfaces_thunk(t, mapped, alive),
                is_type_of=t.is_type_of,
                extensions=t.extensions,
                description=t.description,
                ast_node=t.ast_node,
            )
        else:
            new_types[name] = GraphQLInterfaceType(
                name,
                fields=field_thunk(name),
                resolve_type=t.resolve_type,
                extensions=t.extensions,
                description=t.description,
                ast_node=t.ast_node,
            )
    for name, u in unions.items():
        members = [m for m in u.types if alive(m)]
        if members:
            new_types[name] = GraphQLUnionType(
                name,
                types=_members_thunk(members, mapped),
                resolve_type=u.resolve_type,
                extensions=u.extensions,
                description=u.description,
                ast_node=u.ast_node,
            )

    def root(t: GraphQLObjectType | None) -> GraphQLObjectType | None:
        if t is None:
            return None
        return cast(GraphQLObjectType | None, new_types.get(t.name))

    # Only what the kept root fields reach: a contract shows no type it cannot return.
    return GraphQLSchema(
        query=root(schema.query_type),
        mutation=root(schema.mutation_type),
        subscription=root(schema.subscription_type),
        directives=schema.directives if federation else specified_directives,
        extensions=schema.extensions,
    )


def _members_thunk(
    members: list[GraphQLObjectType], mapped: Callable[[GraphQLType], GraphQLType]
) -> Callable[[], list[GraphQLObjectType]]:
    return lambda: [cast(GraphQLObjectType, mapped(m)) for m in members]


def _interfaces_thunk(
    t: GraphQLObjectType,
    mapped: Callable[[GraphQLType], GraphQLType],
    alive: Callable[[GraphQLNamedType], bool],
) -> Callable[[], list[GraphQLInterfaceType]]:
    return lambda: [cast(GraphQLInterfaceType, mapped(i)) for i in t.interfaces if alive(i)]


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
