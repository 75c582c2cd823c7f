"""A breadth-first executor for query operations, compiled per (schema, document, operation).

Why: graphql-core's executor resolves one field of one object at a time, with a
future and a ``GraphQLResolveInfo`` for each; a list of 50 cases with their family
and needs is ~1,600 field resolutions and most of the request's time. This executor
compiles the operation once into a plan (fields, resolvers, serializers per
selection set) and then resolves each field *for every object of a level at once*:
one ``GraphQLResolveInfo`` per field per level, one ``gather`` per level (so the
DataLoaders still batch every relationship into one statement), plain attribute
reads for fields without a resolver.

It serves queries over object types with fragments and aliases. Anything else —
mutations, subscriptions, introspection, abstract types, ``@skip``/``@include``,
``@defer`` — is not compiled and graphql-core executes it. ``tests/hub/
test_executor.py`` checks that both executors give the same results.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    default_field_resolver,
    is_leaf_type,
    located_error,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Path, is_awaitable

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


@dataclass(slots=True)
class SelectionPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)
    # Plain attribute leaves, filled by one generated function; the rest one by one.
    simple: list[FieldPlan] = field(default_factory=list)
    complex: list[FieldPlan] = field(default_factory=list)
    fill: Callable[[Any, dict[str, Any]], None] | None = None

    def finish(self) -> None:
        for fp in self.fields:
            is_simple = (
                fp.typename is None
                and not fp.uses_info
                and fp.list_depth == 0
                and fp.serialize is not None
            )
            (self.simple if is_simple else self.complex).append(fp)
        self.fill = _generate_fill(self.simple) if self.simple else None


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


def _fast_resolver(definition: GraphQLField, name: str) -> tuple[Callable[..., Any], bool]:
    """(resolver, whether it needs source+info) — plain attribute reads skip the wrappers."""
    resolve = definition.resolve
    strawberry_field = (definition.extensions or {}).get(BACKREF)
    if resolve is None:
        return (lambda source, info, **_: default_field_resolver(source, info)), True
    if getattr(resolve, "_is_default", False) and strawberry_field is not None:
        getter = attrgetter(strawberry_field.python_name)
        return (lambda source: getter(source)), False
    return resolve, True


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
            resolve, uses_info = _fast_resolver(definition, name)
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
                )
            )
        plan.finish()
        return plan


def _serializer(named: GraphQLLeafType) -> Callable[[Any], Any]:
    serialize = named.serialize
    if named.name in ("String", "ID"):

        def fast_str(value: Any) -> Any:
            return value if type(value) is str else serialize(value)

        return fast_str
    if named.name in ("Int", "Boolean"):

        def fast_scalar(value: Any) -> Any:
            return value if type(value) in (int, bool) else serialize(value)

        return fast_scalar
    return serialize


class _NullBubble(Exception):
    pass


@dataclass(slots=True)
class _Slot:
    """Where one object's output lives, to null it when a non-null child fails."""

    container: Any  # dict or list
    key: Any
    nullable: bool
    parent: _Slot | None
    path: Path | None


@dataclass(slots=True)
class _Pending:
    plan: SelectionPlan
    source: Any
    out: dict[str, Any]
    slot: _Slot | None
    path: Path | None


class PlanRunner:
    def __init__(
        self,
        schema: GraphQLSchema,
        plan: OperationPlan,
        fragments: dict[str, FragmentDefinitionNode],
        context: Any,
        variables: Any,
    ) -> None:
        self.schema = schema
        self.plan = plan
        self.fragments = fragments
        self.context = context
        self.variables = variables
        self.errors: list[GraphQLError] = []
        self.dead: set[int] = set()

    def _info(self, fp: FieldPlan, parent_type: GraphQLObjectType, path: Path | None) -> Any:
        return GraphQLResolveInfo(
            fp.name,
            [fp.node],
            fp.return_type,
            parent_type,
            path,  # type: ignore[arg-type]
            self.schema,
            self.fragments,
            None,
            self.plan.operation,
            self.variables,
            self.context,
            is_awaitable,
            None,
            None,  # type: ignore[arg-type]
        )

    async def run(self) -> ExecutionResult:
        data: dict[str, Any] = {}
        level = [_Pending(self.plan.root, None, data, None, None)]
        root_slot_failed = False
        while level:
            try:
                level = await self._run_level(level)
            except _NullBubble:
                root_slot_failed = True
                break
        return ExecutionResult(None if root_slot_failed else data, self.errors or None)

    def _fail(self, error: Exception, fp: FieldPlan, path: Path, slot: _Slot | None) -> None:
        gql = located_error(error, [fp.node], path.as_list())
        self.errors.append(gql)

    def _null_out(self, slot: _Slot | None) -> None:
        """A non-null field failed inside the object at ``slot``: null the nearest nullable."""
        while slot is not None:
            if slot.nullable:
                slot.container[slot.key] = None
                return
            slot = slot.parent
        raise _NullBubble

    async def _run_level(self, level: list[_Pending]) -> list[_Pending]:
        # 1. Call every resolver of this level; remember the awaitables.
        calls: list[tuple[_Pending, FieldPlan, Path, Any]] = []
        waiting: list[int] = []
        awaitables: list[Any] = []
        for pending in level:
            plan = pending.plan
            fields = plan.complex
            if plan.fill is not None:
                try:
                    plan.fill(pending.source, pending.out)
                except Exception:  # redo this object field by field, with precise errors
                    fields = plan.fields
            for fp in fields:
                path = Path(pending.path, fp.key, plan.type.name)
                if fp.typename is not None:
                    pending.out[fp.key] = fp.typename
                    continue
                try:
                    if fp.uses_info:
                        info = self._info(fp, pending.plan.type, path)
                        if fp.has_args:
                            args = get_argument_values(fp.definition, fp.node, self.variables)
                            value = fp.resolve(pending.source, info, **args)
                        else:
                            value = fp.resolve(pending.source, info)
                    else:
                        value = fp.resolve(pending.source)
                except Exception as exc:  # resolver errors become field errors
                    value = exc
                if is_awaitable(value):
                    waiting.append(len(calls))
                    awaitables.append(value)
                calls.append((pending, fp, path, value))
        if awaitables:
            results = await asyncio.gather(*awaitables, return_exceptions=True)
            for index, result in zip(waiting, results, strict=True):
                pending, fp, path, _ = calls[index]
                calls[index] = (pending, fp, path, result)
        # 2. Complete values; collect the next level.
        next_level: list[_Pending] = []
        for pending, fp, path, value in calls:
            slot = pending.slot
            if isinstance(value, Exception):
                self._fail(value, fp, path, slot)
                value = None
            if value is None:
                pending.out[fp.key] = None
                if fp.non_null:
                    self._null_out(slot)
                continue
            try:
                pending.out[fp.key] = self._complete(
                    fp, value, path, pending, next_level, fp.list_depth, 0
                )
            except _NullBubble:
                pending.out[fp.key] = None
                if fp.non_null:
                    self._null_out(slot)
        return next_level

    def _complete(
        self,
        fp: FieldPlan,
        value: Any,
        path: Path,
        pending: _Pending,
        next_level: list[_Pending],
        depth: int,
        index: int,
    ) -> Any:
        if depth:
            if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
                raise GraphQLError(f"Expected Iterable for field {fp.name}")
            item_non_null = fp.item_non_null[index]
            out_list: list[Any] = []
            for i, item in enumerate(value):
                item_path = Path(path, i, None)
                if item is None:
                    if item_non_null:
                        self._fail(
                            GraphQLError(f"Cannot return null for non-nullable field {fp.name}."),
                            fp,
                            item_path,
                            pending.slot,
                        )
                        raise _NullBubble
                    out_list.append(None)
                    continue
                out_list.append(None)
                out_list[i] = self._complete_item(
                    fp,
                    item,
                    item_path,
                    pending,
                    next_level,
                    depth - 1,
                    index + 1,
                    out_list,
                    i,
                    not item_non_null,
                )
            return out_list
        return self._complete_item(fp, value, path, pending, next_level, 0, index, None, None, True)

    def _complete_item(
        self,
        fp: FieldPlan,
        value: Any,
        path: Path,
        pending: _Pending,
        next_level: list[_Pending],
        depth: int,
        index: int,
        container: list[Any] | None,
        key: int | None,
        nullable: bool,
    ) -> Any:
        if depth:
            return self._complete(fp, value, path, pending, next_level, depth, index)
        if fp.serialize is not None:
            try:
                return fp.serialize(value)
            except Exception as exc:
                self._fail(exc, fp, path, pending.slot)
                if not nullable or (container is None and fp.non_null):
                    raise _NullBubble from exc
                return None
        assert fp.child is not None
        out: dict[str, Any] = {}
        if container is None:
            slot = _Slot(pending.out, fp.key, not fp.non_null, pending.slot, path)
        else:
            slot = _Slot(container, key, nullable, pending.slot, path)
        next_level.append(_Pending(fp.child, value, out, slot, path))
        return out


class FastExecutor:
    """Compiles and caches plans; ``None`` from ``try_execute`` means: use graphql-core."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, int, str | None], OperationPlan | None] = {}

    def plan_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> OperationPlan | None:
        key = (id(schema), id(document), operation.name.value if operation.name else None)
        if key in self._plans:
            return self._plans[key]
        try:
            plan: OperationPlan | None = Compiler(schema, document).compile(operation)
        except Unsupported:
            plan = None
        if len(self._plans) > 4096:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    async def try_execute(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        context: Any,
        variables: dict[str, Any] | None,
    ) -> ExecutionResult | None:
        plan = self.plan_for(schema, document, operation)
        if plan is None:
            return None
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return await PlanRunner(schema, plan, fragments, context, coerced).run()
