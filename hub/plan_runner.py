"""Running a compiled plan level by level (``hub/executor.py`` explains why): every field
is resolved for all the objects of a level at once, null propagation and errors as
graphql-core produces them."""

from __future__ import annotations

import asyncio
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

from auth.enforce import check_row, forbidden
from hub.plan_compiler import FieldPlan, OperationPlan, SelectionPlan


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
