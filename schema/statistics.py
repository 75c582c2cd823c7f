"""The open statistics observatory: public aggregates, small cells suppressed."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from resolvers import statistics as r


@strawberry.enum(name="StatDimension", description="Dimensiones de las estadísticas abiertas.")
class StatDimension(StrEnum):
    SEX = "sex"
    AGE_GROUP = "age_group"
    EDUCATION_LEVEL = "education_level"
    NATIONALITY = "nationality"
    DEPARTMENT = "department"
    STATUS = "status"
    PERIOD = "period"
    QUARTER = "quarter"


@strawberry.federation.type(shareable=True, description="Una celda (o un total: valor TOTAL).")
class StatCell:
    values: list[str]
    count: int | None = strawberry.field(description="Nulo si la celda está suprimida.")
    suppressed: bool
    reason: str | None = strawberry.field(description="small (celda pequeña) o complementary.")


@strawberry.federation.type(shareable=True)
class StatTable:
    dimensions: list[str]
    threshold: int
    cells: list[StatCell]
    csv_url: str


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        description=(
            "Personas por dos o tres dimensiones, con totales; las celdas pequeñas y las que "
            "permitirían deducirlas se suprimen. Pública, sin token."
        )
    )
    async def statistics(self, info: strawberry.Info, dimensions: list[StatDimension]) -> StatTable:
        return await r.statistics(info, [d.value for d in dimensions])  # type: ignore[no-any-return]


QUERIES: list[type] = [StatisticsQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
