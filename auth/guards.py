"""The one enforcement point: how a field of a role's contract is served.

Every field of every contract carries a ``FieldGuard`` in its ``GraphQLField.extensions``
(graphql-core's supported place for such metadata) under ``GUARD``. A guard is the
*only* way an executor gets a field's value:

* graphql-core calls ``guard.resolve`` (the field's resolver), which checks the row;
* the plan executor calls ``guard.resolve_many`` for a whole level, which checks every
  row and resolves only the allowed ones; for plain attribute leaves it reads
  ``guard.attribute`` only inside a group whose ``check`` it has just passed.

The unchecked function is private to the guard. A field without a guard is not served
by the plan executor at all (it falls back to graphql-core, i.e. to ``guard.resolve``).

Row decisions are not cached: a decision is a membership test on the record's own
facts (``RowScope``), cheaper than any key that could identify the record, and a cache
keyed by anything whose identity can be reused once let one record inherit another's
"allowed".
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, default_field_resolver

from auth.policy import RowScope, Scope
from auth.principal import Principal
from models.vocab import Purpose
from services.errors import NotFound

Resolver = Callable[..., Any]

GUARD = "qhub-guard"  # key of the FieldGuard in GraphQLField.extensions


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


def check_row(ctx: Any, scope: Scope, category: str, log: bool, row: RowScope | None) -> bool:
    """Whether a record may be read under ``scope``; records the read when it must be logged.

    A record without a ``RowScope`` fails every row condition (deny by default).
    """
    if scope is Scope.ALL:
        if log and row is not None:
            ctx.record_read(category, row.person_ids)
        return True
    if row is None or not row_allowed(ctx.principal, scope, row):
        return False
    if log:
        ctx.record_read(category, row.person_ids)
    return True


def forbidden(category: str, scope: Scope) -> GraphQLError:
    return GraphQLError(
        "No tiene permiso para leer este dato de este registro "
        f"(categoría «{category}», condición «{scope.value}»).",
        extensions={"code": "FORBIDDEN", "category": str(category), "condition": scope.value},
    )


@dataclass(frozen=True, slots=True)
class RowCheck:
    """The row condition of a field for a role, and whether its reads are logged."""

    scope: Scope
    category: str
    log: bool

    def allows(self, ctx: Any, source: Any) -> bool:
        return check_row(
            ctx, self.scope, self.category, self.log, getattr(source, "row_scope", None)
        )

    def denial(self) -> GraphQLError:
        return forbidden(self.category, self.scope)


@dataclass(frozen=True, slots=True, eq=False)
class FieldGuard:
    """One field of one contract: its check and the only ways to get its value."""

    check: RowCheck | None
    # A plain attribute leaf: the name to read, only after ``check`` passed.
    attribute: str | None
    _base: Resolver
    _batch: Resolver | None = None
    # A root field that returns one record, for a role whose grant has a row condition:
    # the record itself is checked, and an unknown record gets the same answer as one
    # the caller may not read (existence is personal data).
    found: RowCheck | None = None
    # A field whose value is a record or a list of records, read by a role whose reads
    # of this category are logged: the read is logged against the persons of the records
    # returned (a list of needs is its persons', not the whole household's).
    log_values: str | None = None

    def resolve(self, source: Any, info: Any, **args: Any) -> Any:
        """graphql-core's resolver for this field: the row check, then the value."""
        check = self.check
        if check is not None and not check.allows(info.context, source):
            raise check.denial()
        if self.found is not None:
            return self._found(info, source, args)
        value = self._base(source, info, **args)
        return value if self.log_values is None else self._logged(info.context, value)

    def _logged(self, ctx: Any, value: Any) -> Any:
        """``value`` (or what it resolves to), its records' persons logged."""
        if not inspect.isawaitable(value):
            self._record(ctx, value)
            return value

        async def later() -> Any:
            resolved = await value
            self._record(ctx, resolved)
            return resolved

        return later()

    def _record(self, ctx: Any, value: Any) -> None:
        if value is None or isinstance(value, BaseException):
            return
        if isinstance(value, list | tuple):
            for item in value:
                self._record(ctx, item)
            return
        row = getattr(value, "row_scope", None)
        if row is not None and self.log_values is not None:
            ctx.record_read(self.log_values, row.person_ids)

    def _found(self, info: Any, source: Any, args: dict[str, Any]) -> Any:
        """The record a root field returns, if the caller may read it; otherwise (and when
        there is none) the same ``FORBIDDEN``."""
        found = self.found
        assert found is not None
        ctx = info.context

        def judged(value: Any) -> Any:
            if value is None or not found.allows(ctx, value):
                raise found.denial()
            return value

        try:
            value = self._base(source, info, **args)
        except NotFound as exc:
            raise found.denial() from exc
        if not inspect.isawaitable(value):
            return judged(value)

        async def later() -> Any:
            try:
                return judged(await value)
            except NotFound as exc:
                raise found.denial() from exc

        return later()

    def resolve_many(
        self, sources: list[Any], info: Any, args: dict[str, Any] | None
    ) -> list[Any] | Any:
        """Values for every source of a level (``FORBIDDEN`` errors where the row check
        fails): a list, or an awaitable of one when the batch form is asynchronous.
        Per-object results may be awaitables; the caller gathers them."""
        check = self.check
        ctx = info.context
        if check is None:
            allowed_sources = sources
            denied: dict[int, GraphQLError] = {}
        else:
            allowed_sources = []
            denied = {}
            for index, source in enumerate(sources):
                if check.allows(ctx, source):
                    allowed_sources.append(source)
                else:
                    denied[index] = check.denial()
        result = self._values(allowed_sources, info, args)
        if self.log_values is not None:
            if inspect.isawaitable(result):
                result = self._logged(ctx, result)
            else:
                result = [self._logged(ctx, value) for value in result]
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

    def _values(self, sources: list[Any], info: Any, args: dict[str, Any] | None) -> Any:
        if not sources:
            return []
        if self.found is not None:
            return [self._one(source, info, args) for source in sources]
        if self._batch is not None and not args:
            try:
                return self._batch(sources, info)
            except Exception as exc:
                return [exc] * len(sources)
        base = self._base
        values: list[Any] = []
        for source in sources:
            try:
                values.append(base(source, info, **args) if args else base(source, info))
            except Exception as exc:
                values.append(exc)
        return values

    def _one(self, source: Any, info: Any, args: dict[str, Any] | None) -> Any:
        try:
            return self._found(info, source, args or {})
        except Exception as exc:
            return exc


def attribute_reader(name: str) -> Resolver:
    def get_attribute(source: Any, info: Any, **_: Any) -> Any:
        return getattr(source, name)

    return get_attribute


def make_guard(
    check: RowCheck | None,
    base: Resolver | None,
    *,
    attribute: str | None = None,
    batch: Resolver | None = None,
    found: RowCheck | None = None,
    log_values: str | None = None,
) -> FieldGuard:
    if attribute is not None:
        base = attribute_reader(attribute)
    return FieldGuard(check, attribute, base or default_field_resolver, batch, found, log_values)
