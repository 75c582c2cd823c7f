"""GraphQL types derived from the SQLAlchemy models (strawberry-sqlalchemy-mapper).

A type derived here takes its fields, their order and their types from the model's
columns; the class body declares only what differs from the column (an enum instead of
the CHECK-constrained string, a description) and the columns the type does not show
(``__exclude__``). Which types are not derived, and why, is in DEVELOPING.md.

The models have no relationships, so the mapper generates no relationship loaders: the
fields that link records keep the hub's batch resolvers (``resolvers/loaders.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, Text
from sqlalchemy.types import TypeEngine
from strawberry.federation.schema_directives import Shareable
from strawberry.types.base import get_object_definition
from strawberry_sqlalchemy_mapper import StrawberrySQLAlchemyMapper

T = TypeVar("T")

MAPPER: StrawberrySQLAlchemyMapper[Any] = StrawberrySQLAlchemyMapper(always_use_list=True)
# Fields that carry personal data are nullable whatever the column says: the policy may
# deny one record's value (null + FORBIDDEN) without nulling its parent.
# (The mapper's map is typed as holding classes; an optional type is what it needs here.)
_NULLABLE: dict[type[TypeEngine[Any]], Any] = {
    Integer: int | None,
    Numeric: Decimal | None,
    DateTime: datetime | None,
    Date: date | None,
    String: str | None,
    Text: str | None,
    Boolean: bool | None,
}
NULLABLE_MAPPER: StrawberrySQLAlchemyMapper[Any] = StrawberrySQLAlchemyMapper(
    always_use_list=True, extra_sqlalchemy_type_to_strawberry_type_map=_NULLABLE
)


def derived(
    model: type[Any],
    description: str | None = None,
    *,
    nullable: bool = False,
    shareable: bool = True,
) -> Callable[[type[T]], type[T]]:
    """A type with the fields of ``model``'s columns (all nullable with ``nullable``: the
    type carries personal data); a shareable federation type unless ``shareable=False``.

    The objects the resolvers return are the services' read records, not model
    instances: the class sets ``is_type_of = None`` so the mapper adds no check that
    would refuse them (graphql-core then checks nothing, as for any other type)."""

    def wrap(cls: type[T]) -> type[T]:
        if "is_type_of" not in cls.__dict__:
            setattr(cls, "is_type_of", None)  # noqa: B010 (not a field: no annotation)
        mapper = NULLABLE_MAPPER if nullable else MAPPER
        directives = [Shareable()] if shareable else []
        mapped: type[T] = mapper.type(model, use_federation=shareable, directives=directives)(cls)
        # The mapper passes no description to Strawberry; the definition takes it before
        # any schema is built from it.
        get_object_definition(mapped, strict=True).description = description
        return mapped

    return wrap
