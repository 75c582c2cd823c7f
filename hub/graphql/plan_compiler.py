"""Compiling an operation into a plan for the breadth-first executor (``hub/executor.py``):
per selection set, the fields with their resolvers, argument nodes, policy checks and
serializers, and a generated function that fills the fields without resolvers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    is_leaf_type,
)

from auth.guards import GUARD, FieldGuard, RowCheck

_NONE: Any = None  # placeholder of FieldPlan parts that ``__typename`` does not have


class Unsupported(Exception):
    """The operation uses something this executor does not compile."""


@dataclass(slots=True, eq=False)
class FieldPlan:
    key: str
    name: str
    nodes: list[FieldNode]
    definition: GraphQLField
    return_type: GraphQLOutputType
    # The only way to the field's value (``auth.guards``): its row check included.
    guard: FieldGuard
    has_args: bool
    non_null: bool
    # For lists: how deep, and whether items are non-null at each depth.
    list_depth: int
    item_non_null: tuple[bool, ...]
    serialize: Callable[[Any], Any] | None
    child: SelectionPlan | None
    parent_name: str = ""
    typename: str | None = None  # for __typename
    # A union or interface: the plan of each object type its values may have.
    abstract: GraphQLAbstractType | None = None
    possible: dict[str, SelectionPlan] = field(default_factory=dict)

    @property
    def node(self) -> FieldNode:
        return self.nodes[0]

    @property
    def check(self) -> RowCheck | None:
        return self.guard.check if self.typename is None else None


@dataclass(slots=True)
class SelectionPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)
    # Plain attribute leaves, filled by one generated function; the rest one by one.
    simple: list[FieldPlan] = field(default_factory=list)
    complex: list[FieldPlan] = field(default_factory=list)
    # Simple fields grouped by the row check they share (None: no check), each group
    # with its generated filler.
    groups: list[tuple[RowCheck | None, Callable[[Any, dict[str, Any]], None], list[FieldPlan]]] = (
        field(default_factory=list)
    )
    # Every row check of this selection: the runner decides each once per object.
    checks: list[RowCheck] = field(default_factory=list)
    # Response keys in selection order (the output dicts are made in this order).
    keys: tuple[str, ...] = ()

    def finish(self) -> None:
        by_check: dict[RowCheck | None, list[FieldPlan]] = {}
        for fp in self.fields:
            if fp.check is not None and fp.check not in self.checks:
                self.checks.append(fp.check)
            is_simple = (
                fp.typename is None
                and fp.guard.attribute is not None
                and fp.list_depth == 0
                and fp.serialize is not None
            )
            if is_simple:
                self.simple.append(fp)
                by_check.setdefault(fp.check, []).append(fp)
            else:
                self.complex.append(fp)
        self.groups = [(check, _generate_fill(fps), fps) for check, fps in by_check.items()]
        self.keys = tuple(fp.key for fp in self.fields)


class _Incomplete(Exception):
    """A simple field could not be filled fast (null in a non-null field, a bad value)."""


def _generate_fill(fields: list[FieldPlan]) -> Callable[[Any, dict[str, Any]], None]:
    """Generate ``fill(source, out)`` for plain attribute leaves: no loop, no per-field calls
    beyond the attribute read and the scalar's serializer."""
    namespace: dict[str, Any] = {"_Incomplete": _Incomplete}
    lines = ["def fill(source, out):"]
    for i, fp in enumerate(fields):
        attr = fp.guard.attribute
        if attr is None or not attr.isidentifier():
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


class Compiler:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        """Whether a fragment on ``condition`` applies to objects of ``type_``."""
        if condition == type_.name:
            return True
        named = self.schema.get_type(condition)
        return isinstance(named, GraphQLUnionType | GraphQLInterfaceType) and (
            self.schema.is_sub_type(named, type_)
        )

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
                if condition is not None and not self._applies(condition.name.value, type_):
                    continue
                self._collect(type_, selection.selection_set, into, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen:
                    continue
                seen.add(name)
                fragment = self.fragments[name]
                if not self._applies(fragment.type_condition.name.value, type_):
                    continue
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
                        key, name, nodes, _NONE, _NONE, _NONE, False, True, 0, (), None, None,
                        type_.name, typename=type_.name,
                    )
                )  # fmt: skip
                continue
            if name.startswith("__"):
                raise Unsupported("introspection")
            definition = type_.fields[name]
            guard = (definition.extensions or {}).get(GUARD)
            if not isinstance(guard, FieldGuard):
                # Only contracts' fields are served here, each through its guard.
                raise Unsupported("field without a guard")
            non_null, depth, items, named = _unwrap(definition.type)
            child: SelectionPlan | None = None
            serialize: Callable[[Any], Any] | None = None
            sets = [n.selection_set for n in nodes if n.selection_set is not None]
            abstract: GraphQLAbstractType | None = None
            possible: dict[str, SelectionPlan] = {}
            if is_leaf_type(named):
                serialize = _serializer(named)
            elif isinstance(named, GraphQLObjectType):
                child = self.selection(named, sets)
            elif isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
                # one plan per object type the value may turn out to be
                abstract = named
                for possible_type in self.schema.get_possible_types(named):
                    possible[possible_type.name] = self.selection(possible_type, sets)
            else:
                raise Unsupported("unknown output type")
            plan.fields.append(
                FieldPlan(
                    key,
                    name,
                    nodes,
                    definition,
                    definition.type,
                    guard,
                    bool(node.arguments) or bool(definition.args),
                    non_null,
                    depth,
                    items,
                    serialize,
                    child,
                    type_.name,
                    abstract=abstract,
                    possible=possible,
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
    if named.name == "Int":

        def fast_int(value: Any) -> Any:
            # GraphQL's Int is 32 bits: anything else goes through graphql-core (an error)
            if type(value) is int and -2147483648 <= value <= 2147483647:
                return value
            return serialize(value)

        return fast_int
    if named.name == "Boolean":

        def fast_bool(value: Any) -> Any:
            return value if type(value) is bool else serialize(value)

        return fast_bool
    return serialize
