"""A read record describes its own SELECT list, and its rows are built by column name.

The record dataclass (``services/records.py``) is the one list of what a read returns:
``select_list`` turns its fields into SQL (each field a column of the model's table, or
an expression named after the field), and ``by_name`` builds records from rows through
psycopg's ``kwargs_row``: no column list written twice, no ``row[18]``. A field that is
neither a column nor a declared expression, or whose type is not its column's (Python
type, and ``| None`` exactly when the column is nullable), fails at import, not at the
first request.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from psycopg import AsyncConnection
from psycopg.rows import kwargs_row
from sqlalchemy import inspect

R = TypeVar("R")


def select_list(
    record: type[Any],
    model: type[Any],
    alias: str,
    *,
    expressions: Mapping[str, str] | None = None,
    derived: Collection[str] = ("row_scope",),
) -> str:
    """``alias.column`` for each field of ``record`` that is a column of the SQLAlchemy
    ``model``, ``expression AS field`` for the others; ``derived`` fields are built in
    Python from the row's other columns."""
    expressions = expressions or {}
    columns = inspect(model).columns
    hints = typing.get_type_hints(record)
    parts = []
    for f in dataclasses.fields(record):
        if f.name in derived:
            continue
        if f.name in expressions:
            parts.append(f"{expressions[f.name]} AS {f.name}")
        elif f.name in columns:
            _check_type(record, f.name, hints[f.name], columns[f.name])
            column = columns[f.name].name
            parts.append(
                f"{alias}.{column}" if column == f.name else f"{alias}.{column} AS {f.name}"
            )
        else:
            raise LookupError(f"{record.__name__}.{f.name}: not a column of {model.__name__}")
    unknown = set(expressions) - {f.name for f in dataclasses.fields(record)}
    if unknown:
        raise LookupError(f"{record.__name__} has no field {sorted(unknown)}")
    return ", ".join(parts)


def _check_type(record: type[Any], name: str, hint: Any, column: Any) -> None:
    args = typing.get_args(hint)
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args
    if optional:
        (hint,) = [a for a in args if a is not type(None)]
    python_type = column.type.python_type
    if (typing.get_origin(hint) or hint) is not python_type or optional != column.nullable:
        null = " | None" if column.nullable else ""
        raise TypeError(
            f"{record.__name__}.{name}: the column {column.name} is {python_type.__name__}{null}"
        )


async def by_name(
    conn: AsyncConnection[Any],
    build: Callable[..., R],
    sql: str,
    params: Mapping[str, Any] | None = None,
) -> list[R]:
    """Every row of ``sql`` passed to ``build`` as keyword arguments named by its columns."""
    async with conn.cursor(row_factory=kwargs_row(build), binary=True) as cursor:
        await cursor.execute(sql, params)
        return await cursor.fetchall()
