"""Compiling an operation into a plan for the breadth-first executor (``hub/executor.py``):
per selection set, the fields with their resolvers, argument nodes, policy checks and
serializers, and a generated function that fills the fields without resolvers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    default_field_resolver,
    is_leaf_type,
)

BACKREF = "strawberry-definition"
_NONE: Any = None  # placeholder of FieldPlan parts that ``__typename`` does not have


class Unsupported(Exception):
    """The operation uses something this executor does not compile."""


@dataclass(slots=True)
class FieldPlan:
    key: str
    name: str
    node: FieldNode
    definition: GraphQLField
    return_type: GraphQLOutputType
    resolve: Callable[..., Any]
    uses_info: bool
    has_args: bool
    non_null: bool
    # For lists: how deep, and whether items are non-null at each depth.
    list_depth: int
    item_non_null: tuple[bool, ...]
    serialize: Callable[[Any], Any] | None
    child: SelectionPlan | None
    typename: str | None = None  # for __typename
    # ``batch(sources, info) -> list | awaitable[list]``: every object of a level at once.
    batch: Callable[..., Any] | None = None
    # (scope, category, log) of the policy's row check, for attribute fields checked in bulk.
    check: tuple[Any, str, bool] | None = None


@dataclass(slots=True)
class SelectionPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)
    # Plain attribute leaves, filled by one generated function; the rest one by one.
    simple: list[FieldPlan] = field(default_factory=list)
    complex: list[FieldPlan] = field(default_factory=list)
    # Simple fields grouped by the row check they share (None: no check), each group
    # with its generated filler.
    groups: list[tuple[Any, Callable[[Any, dict[str, Any]], None], list[FieldPlan]]] = field(
        default_factory=list
    )

    def finish(self) -> None:
        by_check: dict[Any, list[FieldPlan]] = {}
        for fp in self.fields:
            is_simple = (
                fp.typename is None
                and not fp.uses_info
                and fp.list_depth == 0
                and fp.serialize is not None
            )
            if is_simple:
                self.simple.append(fp)
                by_check.setdefault(fp.check, []).append(fp)
            else:
                self.complex.append(fp)
        self.groups = [(check, _generate_fill(fps), fps) for check, fps in by_check.items()]


class _Incomplete(Exception):
    """A simple field could not be filled fast (null in a non-null field, a bad value)."""


def _generate_fill(fields: list[FieldPlan]) -> Callable[[Any, dict[str, Any]], None]:
    """Generate ``fill(source, out)`` for plain attribute leaves: no loop, no per-field calls
    beyond the attribute read and the scalar's serializer."""
    namespace: dict[str, Any] = {"_Incomplete": _Incomplete}
    lines = ["def fill(source, out):"]
    for i, fp in enumerate(fields):
        attr = fp.definition.extensions[BACKREF].python_name
        if not attr.isidentifier():
            raise Unsupported("attribute name")
        namespace[f"ser{i}"] = fp.serialize
        lines.append(f"    v = source.{attr}")
        if fp.non_null:
            lines.append("    if v is None: raise _Incomplete")
            lines.append(f"    out[{fp.key!r}] = ser{i}(v)")
        else:
            lines.append(f"    out[{fp.key!r}] = None if v is None else ser{i}(v)")
    exec(compile("\n".join(lines), "<qhub-plan>", "exec"), namespace)
    return namespace["fill"]  # type: ignore[no-any-return]


@dataclass(slots=True)
class OperationPlan:
    operation: OperationDefinitionNode
    root: SelectionPlan


def _unwrap(t: Any) -> tuple[bool, int, tuple[bool, ...], Any]:
    non_null = isinstance(t, GraphQLNonNull)
    if non_null:
        t = t.of_type
    depth = 0
    items: list[bool] = []
    while isinstance(t, GraphQLList):
        depth += 1
        t = t.of_type
        item_nn = isinstance(t, GraphQLNonNull)
        items.append(item_nn)
        if item_nn:
            t = t.of_type
    return non_null, depth, tuple(items), t


def _fast_resolver(
    definition: GraphQLField, name: str
) -> tuple[Callable[..., Any], bool, tuple[Any, str, bool] | None]:
    """(resolver, whether it needs source+info, row check) — attribute reads, checked or
    not, skip the per-field wrappers: the runner checks rows once per record."""
    resolve = definition.resolve
    if resolve is None:
        return (lambda source, info, **_: default_field_resolver(source, info)), True, None
    attribute = getattr(resolve, "_qhub_attr", None)
    if attribute is not None:
        return attrgetter(attribute), False, None
    check = getattr(resolve, "_qhub_check", None)
    base_attribute = getattr(getattr(resolve, "_qhub_base", None), "_qhub_attr", None)
    if check is not None and base_attribute is not None:
        return attrgetter(base_attribute), False, check
    return resolve, True, None


class Compiler:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def compile(self, operation: OperationDefinitionNode) -> OperationPlan:
        if operation.operation is not OperationType.QUERY:
            raise Unsupported("only queries")
        if operation.directives:
            raise Unsupported("operation directives")
        root_type = self.schema.query_type
        assert root_type is not None
        return OperationPlan(operation, self.selection(root_type, [operation.selection_set]))

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        into: dict[str, list[FieldNode]],
        seen: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unsupported("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is not None and condition.name.value != type_.name:
                    raise Unsupported("type conditions on other types")
                self._collect(type_, selection.selection_set, into, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen:
                    continue
                seen.add(name)
                fragment = self.fragments[name]
                if fragment.type_condition.name.value != type_.name:
                    raise Unsupported("fragment on another type")
                self._collect(type_, fragment.selection_set, into, seen)

    def selection(
        self, type_: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> SelectionPlan:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(type_, selection_set, grouped, set())
        plan = SelectionPlan(type_)
        for key, nodes in grouped.items():
            node = nodes[0]
            name = node.name.value
            if name == "__typename":
                plan.fields.append(
                    FieldPlan(
                        key,
                        name,
                        node,
                        _NONE,
                        _NONE,
                        _NONE,
                        False,
                        False,
                        True,
                        0,
                        (),
                        None,
                        None,
                        typename=type_.name,
                    )
                )
                continue
            if name.startswith("__") or name in ("_entities", "_service"):
                raise Unsupported("introspection / federation")
            definition = type_.fields[name]
            non_null, depth, items, named = _unwrap(definition.type)
            child: SelectionPlan | None = None
            serialize: Callable[[Any], Any] | None = None
            if is_leaf_type(named):
                serialize = _serializer(named)
            elif isinstance(named, GraphQLObjectType):
                child = self.selection(
                    named, [n.selection_set for n in nodes if n.selection_set is not None]
                )
            else:
                raise Unsupported("abstract types")
            resolve, uses_info, check = _fast_resolver(definition, name)
            batch = getattr(definition.resolve, "_qhub_batch", None)
            if node.arguments or definition.args:
                batch = None
            plan.fields.append(
                FieldPlan(
                    key,
                    name,
                    node,
                    definition,
                    definition.type,
                    resolve,
                    uses_info,
                    bool(node.arguments) or bool(definition.args),
                    non_null,
                    depth,
                    items,
                    serialize,
                    child,
                    batch=batch,
                    check=check,
                )
            )
        plan.finish()
        return plan


def _serializer(named: GraphQLLeafType) -> Callable[[Any], Any]:
    serialize = named.serialize
    if isinstance(named, GraphQLEnumType):
        names: dict[Any, str] = {}
        for name, enum_value in named.values.items():
            value = enum_value.value
            names[value] = name
            names[getattr(value, "value", value)] = name

        def fast_enum(value: Any) -> Any:
            found = names.get(value)
            return found if found is not None else serialize(value)

        return fast_enum
    if named.name in ("String", "ID"):

        def fast_str(value: Any) -> Any:
            return value if type(value) is str else serialize(value)

        return fast_str
    if named.name in ("Int", "Boolean"):

        def fast_scalar(value: Any) -> Any:
            return value if type(value) in (int, bool) else serialize(value)

        return fast_scalar
    return serialize
