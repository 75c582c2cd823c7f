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
    GraphQLEnumType,
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
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.pyutils import is_awaitable

from auth.enforce import check_row, forbidden
from hub.variables import Coercer, compile_variables

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


class _NullBubble(Exception):
    pass


# Where one object's output lives: (container, key, nullable, parent slot). Used to null
# the nearest nullable ancestor when a non-null field fails, and to compute error paths
# (only when there is an error). Tuples: one is made for every object of the response.
_Slot = tuple[Any, Any, bool, Any]


def _slot_path(slot: _Slot | None) -> list[Any]:
    keys: list[Any] = []
    while slot is not None:
        keys.append(slot[1])
        slot = slot[3]
    keys.reverse()
    return keys


class _Group:
    """All objects of one selection at one level: resolved field by field, column-wise."""

    __slots__ = ("outs", "plan", "slots", "sources")

    def __init__(self, plan: SelectionPlan) -> None:
        self.plan = plan
        self.sources: list[Any] = []
        self.outs: list[dict[str, Any]] = []
        self.slots: list[_Slot | None] = []


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

    def _info(self, fp: FieldPlan, parent_type: GraphQLObjectType) -> Any:
        # One info per field per level: resolvers here read ``info.context`` (and the
        # field / operation), never the per-object path.
        return GraphQLResolveInfo(
            fp.name,
            [fp.node],
            fp.return_type,
            parent_type,
            None,  # type: ignore[arg-type]
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
        root = _Group(self.plan.root)
        root.sources.append(None)
        root.outs.append(data)
        root.slots.append(None)
        groups = [root]
        try:
            while groups:
                groups = await self._level(groups)
        except _NullBubble:
            return ExecutionResult(None, self.errors or None)
        return ExecutionResult(data, self.errors or None)

    def _error(self, error: Exception, fp: FieldPlan, slot: _Slot | None) -> None:
        """An error of field ``fp`` of the object at ``slot``."""
        path = [*_slot_path(slot), fp.key]
        self.errors.append(located_error(error, [fp.node], path))

    def _item_error(self, error: Exception, fp: FieldPlan, here: _Slot, index: int) -> None:
        """An error of item ``index`` of the list at ``here``."""
        self.errors.append(located_error(error, [fp.node], [*_slot_path(here), index]))

    def _null_out(self, slot: _Slot | None) -> None:
        """A non-null field failed inside the object at ``slot``: null the nearest nullable."""
        while slot is not None:
            container, key, nullable, parent = slot
            if nullable:
                container[key] = None
                return
            slot = parent
        raise _NullBubble

    async def _level(self, groups: list[_Group]) -> list[_Group]:
        columns: list[tuple[_Group, FieldPlan, list[Any]]] = []
        awaiting: list[tuple[list[Any], int]] = []
        awaitables: list[Any] = []
        batch_futures: list[tuple[list[Any], int]] = []
        batch_awaitables: list[Any] = []
        for group in groups:
            plan = group.plan
            sources = group.sources
            for check, fill, group_fields in plan.groups:
                if check is None:
                    for index, (source, out) in enumerate(zip(sources, group.outs, strict=True)):
                        try:
                            fill(source, out)
                        except Exception:
                            self._fill_slowly(group, index, group_fields)
                    continue
                scope, category, log = check
                context = self.context
                for index, (source, out) in enumerate(zip(sources, group.outs, strict=True)):
                    row = getattr(source, "row_scope", None)
                    if check_row(context, scope, category, log, row):
                        try:
                            fill(source, out)
                        except Exception:
                            self._fill_slowly(group, index, group_fields)
                    else:
                        self._deny(group, index, group_fields, forbidden(category, scope))
            for fp in plan.complex:
                if fp.typename is not None:
                    for out in group.outs:
                        out[fp.key] = fp.typename
                    continue
                resolve = fp.resolve
                values: list[Any] = []
                if fp.batch is not None:
                    try:
                        batch_values = fp.batch(sources, self._info(fp, plan.type))
                    except Exception as exc:
                        batch_values = [exc] * len(sources)
                    if is_awaitable(batch_values):
                        batch_futures.append((values, len(sources)))
                        batch_awaitables.append(batch_values)
                    else:
                        values.extend(batch_values)
                elif fp.uses_info:
                    info = self._info(fp, plan.type)
                    args = (
                        get_argument_values(fp.definition, fp.node, self.variables)
                        if fp.has_args
                        else None
                    )
                    for source in sources:
                        try:
                            value = resolve(source, info, **args) if args else resolve(source, info)
                        except Exception as exc:
                            value = exc
                        if is_awaitable(value):
                            awaiting.append((values, len(values)))
                            awaitables.append(value)
                        values.append(value)
                else:
                    for source in sources:
                        try:
                            values.append(resolve(source))
                        except Exception as exc:
                            values.append(exc)
                columns.append((group, fp, values))
        if awaitables or batch_awaitables:
            results = await asyncio.gather(*awaitables, *batch_awaitables, return_exceptions=True)
            for (values, index), result in zip(awaiting, results, strict=False):
                values[index] = result
            for (values, count), result in zip(
                batch_futures, results[len(awaitables) :], strict=True
            ):
                values.extend([result] * count if isinstance(result, BaseException) else result)
        children: dict[int, _Group] = {}
        for group, fp, values in columns:
            self._complete_column(group, fp, values, children)
        return list(children.values())

    def _deny(
        self, group: _Group, index: int, fields: list[FieldPlan], error: GraphQLError
    ) -> None:
        """A row check failed: these fields are null, each with the error at its path."""
        out, slot = group.outs[index], group.slots[index]
        for fp in fields:
            out[fp.key] = None
            self._error(error, fp, slot)
        if any(fp.non_null for fp in fields):
            self._null_out(slot)

    def _fill_slowly(self, group: _Group, index: int, fields: list[FieldPlan]) -> None:
        """Fill simple fields of one object one by one, with precise errors."""
        source, out, slot = group.sources[index], group.outs[index], group.slots[index]
        for fp in fields:
            try:
                value = fp.resolve(source)
                if value is None:
                    if fp.non_null:
                        raise GraphQLError(
                            f"Cannot return null for non-nullable field "
                            f"{group.plan.type.name}.{fp.name}."
                        )
                    out[fp.key] = None
                    continue
                out[fp.key] = fp.serialize(value)  # type: ignore[misc]
            except Exception as exc:
                self._error(exc, fp, slot)
                out[fp.key] = None
                if fp.non_null:
                    try:
                        self._null_out(slot)
                    except _NullBubble:
                        raise
                    return

    def _complete_column(
        self, group: _Group, fp: FieldPlan, values: list[Any], children: dict[int, _Group]
    ) -> None:
        key = fp.key
        child_plan = fp.child
        child: _Group | None = None
        if child_plan is not None:
            child = children.get(id(fp))
            if child is None:
                child = children[id(fp)] = _Group(child_plan)
        serialize = fp.serialize
        for out, slot, value in zip(group.outs, group.slots, values, strict=True):
            if value is None or isinstance(value, Exception):
                if value is not None:
                    self._error(value, fp, slot)
                out[key] = None
                if fp.non_null:
                    self._null_out(slot)
                continue
            if fp.list_depth == 0:
                if serialize is not None:
                    try:
                        out[key] = serialize(value)
                    except Exception as exc:
                        self._error(exc, fp, slot)
                        out[key] = None
                        if fp.non_null:
                            self._null_out(slot)
                else:
                    assert child is not None
                    child_out: dict[str, Any] = {}
                    out[key] = child_out
                    child.sources.append(value)
                    child.outs.append(child_out)
                    child.slots.append((out, key, not fp.non_null, slot))
                continue
            try:
                out[key] = self._complete_list(
                    fp, value, 0, (out, key, not fp.non_null, slot), child
                )
            except _NullBubble:
                out[key] = None
                if fp.non_null:
                    self._null_out(slot)

    def _complete_list(
        self, fp: FieldPlan, value: Any, depth: int, here: _Slot, child: _Group | None
    ) -> list[Any]:
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            raise GraphQLError(f"Expected Iterable for field {fp.name}.")
        item_non_null = fp.item_non_null[depth]
        last = depth + 1 == fp.list_depth
        result: list[Any] = []
        for index, item in enumerate(value):
            if item is None:
                if item_non_null:
                    self._item_error(
                        GraphQLError(f"Cannot return null for non-nullable field {fp.name}."),
                        fp,
                        here,
                        index,
                    )
                    raise _NullBubble
                result.append(None)
                continue
            slot = (result, index, not item_non_null, here)
            if not last:
                result.append(None)
                try:
                    result[index] = self._complete_list(fp, item, depth + 1, slot, child)
                except _NullBubble:
                    if item_non_null:
                        raise
                continue
            if fp.serialize is not None:
                try:
                    result.append(fp.serialize(item))
                except Exception as exc:
                    self._item_error(exc, fp, here, index)
                    if item_non_null:
                        raise _NullBubble from exc
                    result.append(None)
                continue
            assert child is not None
            child_out: dict[str, Any] = {}
            result.append(child_out)
            child.sources.append(item)
            child.outs.append(child_out)
            child.slots.append(slot)
        return result


class FastExecutor:
    """Compiles and caches plans; ``None`` from ``try_execute`` means: use graphql-core."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, int, str | None], OperationPlan | None] = {}
        self._coercers: dict[tuple[int, int, str | None], Coercer | None] = {}

    def coercer_for(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Coercer | None:
        key = (id(schema), id(document), operation.name.value if operation.name else None)
        if key not in self._coercers:
            if len(self._coercers) > 4096:
                self._coercers.clear()
            self._coercers[key] = compile_variables(schema, operation.variable_definitions or ())
        return self._coercers[key]

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
        coercer = self.coercer_for(schema, document, operation)
        fast = coercer(variables or {}) if coercer is not None else None
        coerced: VariableValues | list[GraphQLError] | None = fast
        if fast is None:  # not plainly valid: graphql-core coerces, and explains errors
            coerced = get_variable_values(
                schema, operation.variable_definitions or (), variables or {}
            )
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return await PlanRunner(schema, plan, fragments, context, coerced).run()
