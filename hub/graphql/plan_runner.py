"""Running a compiled plan level by level (``hub/graphql/executor.py`` explains why): every field
is resolved for all the objects of a level at once, null propagation and errors as
graphql-core produces them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    located_error,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import is_awaitable

from hub.graphql.awaiting import AwaitableTypes, gather_all
from hub.graphql.plan_compiler import FieldPlan, OperationPlan, SelectionPlan
from hub.graphql.runtime_types import refuse_type, runtime_plan


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
        # For this request: the info of each field whose values a type test or a type
        # resolver gets (made once, not per value), and whether values of a Python type
        # are awaitable. Keyed by the objects themselves, held for the request only.
        self._value_infos: dict[FieldPlan, Any] = {}
        self._awaitable = AwaitableTypes().test

    def _info(self, fp: FieldPlan, parent_type: GraphQLObjectType) -> Any:
        # One info per field per level: resolvers here read ``info.context`` (and the
        # field / operation), never the per-object path.
        return GraphQLResolveInfo(
            fp.name,
            fp.nodes,
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

    def _value_info(self, fp: FieldPlan) -> Any:
        info = self._value_infos.get(fp)
        if info is None:
            parent = self.schema.get_type(fp.parent_name)
            info = self._value_infos[fp] = self._info(fp, parent)  # type: ignore[arg-type]
        return info

    async def run(self) -> ExecutionResult:
        data: dict[str, Any] = dict.fromkeys(self.plan.root.keys)
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

    def _error(self, error: BaseException, fp: FieldPlan, slot: _Slot | None) -> None:
        """An error of field ``fp`` of the object at ``slot``."""
        path = [*_slot_path(slot), fp.key]
        if not isinstance(error, Exception):  # only CancelledError is not, and it is raised
            error = GraphQLError(str(error))
        self.errors.append(located_error(error, fp.nodes, path))

    def _item_error(self, error: Exception, fp: FieldPlan, here: _Slot, index: int) -> None:
        """An error of item ``index`` of the list at ``here``."""
        self.errors.append(located_error(error, fp.nodes, [*_slot_path(here), index]))

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
        # (column, its length, an awaitable of the whole column)
        pending: list[tuple[list[Any], int, Any]] = []
        context = self.context
        for group in groups:
            plan = group.plan
            sources = group.sources
            for check, fill, group_fields in plan.groups:
                for index, (source, out) in enumerate(zip(sources, group.outs, strict=True)):
                    if check is not None and not check.allows(context, source):
                        self._deny(group, index, group_fields, check.denial())
                        continue
                    try:
                        fill(source, out)
                    except Exception:
                        self._fill_slowly(group, index, group_fields)
            for fp in plan.complex:
                if fp.typename is not None:
                    for out in group.outs:
                        out[fp.key] = fp.typename
                    continue
                values: list[Any] = []
                try:
                    args = (
                        get_argument_values(fp.definition, fp.node, self.variables)
                        if fp.has_args
                        else None
                    )
                    column = fp.guard.resolve_many(sources, self._info(fp, plan.type), args)
                except Exception as exc:
                    column = [exc] * len(sources)
                if is_awaitable(column):
                    pending.append((values, len(sources), column))
                else:
                    values.extend(column)
                columns.append((group, fp, values))
        if pending:
            results = await gather_all(c for _, _, c in pending)
            for (values, count, _), result in zip(pending, results, strict=True):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                values.extend([result] * count if isinstance(result, BaseException) else result)
        await self._settle(columns)
        children: dict[tuple[FieldPlan, str], _Group] = {}
        for group, fp, values in columns:
            self._complete_column(group, fp, values, children)
        return list(children.values())

    async def _settle(self, columns: list[tuple[_Group, FieldPlan, list[Any]]]) -> None:
        """Await every per-object value of this level together (the loaders batch them)."""
        while True:
            slots: list[tuple[list[Any], int]] = []
            awaitables: list[Any] = []
            awaitable = self._awaitable
            for _, _, values in columns:
                for index, value in enumerate(values):
                    if awaitable(value):
                        slots.append((values, index))
                        awaitables.append(value)
            if not awaitables:
                return
            results = await gather_all(awaitables)
            for (values, index), result in zip(slots, results, strict=True):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                values[index] = result

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
                # only reached for objects whose row check this group passed
                value = getattr(source, fp.guard.attribute)  # type: ignore[arg-type]
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
        self,
        group: _Group,
        fp: FieldPlan,
        values: list[Any],
        children: dict[tuple[FieldPlan, str], _Group],
    ) -> None:
        key = fp.key
        # an object type's group, made now; an abstract type's, per value's runtime type
        child: _Group | None = None
        if fp.child is not None:
            child = children.get((fp, ""))
            if child is None:
                child = children[(fp, "")] = _Group(fp.child)
        serialize = fp.serialize
        for out, slot, value in zip(group.outs, group.slots, values, strict=True):
            if value is None or isinstance(value, BaseException):
                if isinstance(value, asyncio.CancelledError):
                    raise value
                if value is not None:
                    self._error(value, fp, slot)
                elif fp.non_null:
                    self._error(self._null_error(fp), fp, slot)
                out[key] = None
                if fp.non_null:
                    self._null_out(slot)
                continue
            if fp.list_depth == 0:
                try:
                    if serialize is not None:
                        out[key] = serialize(value)
                        continue
                    target = self._target(fp, value, child, children)
                except Exception as exc:
                    self._error(exc, fp, slot)
                    out[key] = None
                    if fp.non_null:
                        self._null_out(slot)
                    continue
                child_out: dict[str, Any] = dict.fromkeys(target.plan.keys)
                out[key] = child_out
                target.sources.append(value)
                target.outs.append(child_out)
                target.slots.append((out, key, not fp.non_null, slot))
                continue
            try:
                out[key] = self._complete_list(
                    fp, value, 0, (out, key, not fp.non_null, slot), child, children
                )
            except _NullBubble:
                out[key] = None
                if fp.non_null:
                    self._null_out(slot)
            except GraphQLError as exc:  # not a list where the schema says list
                self._error(exc, fp, slot)
                out[key] = None
                if fp.non_null:
                    self._null_out(slot)

    def _target(
        self,
        fp: FieldPlan,
        value: Any,
        child: _Group | None,
        children: dict[tuple[FieldPlan, str], _Group],
    ) -> _Group:
        """The group an object ``value`` of ``fp`` joins: the field's object type's, or a
        union's or interface's runtime type's; after the type's own test (``is_type_of``)
        where it has one. ``GraphQLError`` as graphql-core words it."""
        info = self._value_info(fp)
        if child is None:
            name, plan = runtime_plan(self.schema, fp, value, info)
            child = children.get((fp, name))
            if child is None:
                child = children[(fp, name)] = _Group(plan)
        object_type = child.plan.type
        if object_type.is_type_of is not None:
            verdict = object_type.is_type_of(value, info)
            if verdict is not True:
                refuse_type(object_type, value, verdict)
        return child

    @staticmethod
    def _null_error(fp: FieldPlan) -> GraphQLError:
        return GraphQLError(
            f"Cannot return null for non-nullable field {fp.parent_name}.{fp.name}."
        )

    def _complete_list(
        self,
        fp: FieldPlan,
        value: Any,
        depth: int,
        here: _Slot,
        child: _Group | None,
        children: dict[tuple[FieldPlan, str], _Group],
    ) -> list[Any]:
        if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
            raise GraphQLError(
                f"Expected Iterable, but did not find one for field '{fp.parent_name}.{fp.name}'."
            )
        item_non_null = fp.item_non_null[depth]
        last = depth + 1 == fp.list_depth
        serialize = fp.serialize
        result: list[Any] = []
        for index, item in enumerate(value):
            if item is None or isinstance(item, Exception):
                # an item that is an error is that item's error (as in graphql-core)
                error = item if item is not None else self._null_error(fp)
                if item is not None or item_non_null:
                    self._item_error(error, fp, here, index)
                if item_non_null:
                    raise _NullBubble
                result.append(None)
                continue
            slot = (result, index, not item_non_null, here)
            if not last:
                result.append(None)
                try:
                    result[index] = self._complete_list(fp, item, depth + 1, slot, child, children)
                except _NullBubble:
                    if item_non_null:
                        raise
                continue
            try:
                if serialize is not None:
                    result.append(serialize(item))
                    continue
                target = self._target(fp, item, child, children)
            except Exception as exc:
                self._item_error(exc, fp, here, index)
                if item_non_null:
                    raise _NullBubble from exc
                result.append(None)
                continue
            child_out: dict[str, Any] = dict.fromkeys(target.plan.keys)
            result.append(child_out)
            target.sources.append(item)
            target.outs.append(child_out)
            target.slots.append(slot)
        return result
