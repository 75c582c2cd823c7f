"""The open statistics observatory: public tables of the current protected release."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import strawberry

from resolvers import statistics as r
from schema.fields import field


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
    reason: str | None = strawberry.field(
        description=(
            "«suppressed» si la celda está oculta (sin distinguir celdas pequeñas de las "
            "ocultadas para protegerlas); nulo si se publica."
        )
    )


@strawberry.federation.type(shareable=True, description="Un código y su nombre en español.")
class StatValue:
    code: str
    label_es: str


@strawberry.federation.type(shareable=True, description="Los valores de una dimensión.")
class StatDimensionValues:
    dimension: str
    label_es: str
    values: list[StatValue]


@strawberry.federation.type(shareable=True, description="Lo que midió la auditoría.")
class StatAudit:
    cells: int = strawberry.field(description="Celdas de todas las tablas de la edición.")
    hidden: int = strawberry.field(description="Celdas ocultas.")
    primary: int = strawberry.field(description="Celdas ocultas por pequeñas (1 a umbral−1).")
    lp_solves: int = strawberry.field(description="Programas lineales resueltos (ataque).")
    rounds: int = strawberry.field(description="Rondas de auditoría hasta que nada falló.")
    build_seconds: float


@strawberry.federation.type(
    shareable=True,
    description=(
        "El presupuesto de privacidad diferencial de una edición (zCDP, OpenDP): lo que "
        "gasta, lo que pueden gastar juntas las ediciones de un año y su ε a un δ dado."
    ),
)
class StatPrivacy:
    rho: float = strawberry.field(description="ρ (zCDP) que gasta esta edición.")
    rho_year: float = strawberry.field(description="ρ máximo de las ediciones de un año.")
    rho_spent_year: float = strawberry.field(
        description="ρ gastado por las ediciones publicadas el mismo año que esta, esta incluida."
    )
    delta: float
    epsilon: float = strawberry.field(description="ε de esta edición, con el δ indicado.")
    epsilon_year: float = strawberry.field(description="ε del año, con el δ indicado.")
    noise_sd: float = strawberry.field(
        description="Desviación estándar del ruido sumado a cada celda medida."
    )


@strawberry.federation.type(
    shareable=True, description="Una edición de las estadísticas abiertas, protegida entera."
)
class StatRelease:
    version: int
    reference_date: date = strawberry.field(description="Último día del trimestre contado.")
    published_at: datetime
    method: str = strawberry.field(
        description="differential-privacy o audited-cell-suppression (ediciones anteriores)"
    )
    method_explanation_es: str
    threshold: int = strawberry.field(
        description=(
            "Con ruido: personas que necesita una nacionalidad o un año para tener su propio "
            "valor (más el margen del ruido). Con supresión: las celdas de 1 a umbral−1 "
            "personas se ocultan."
        )
    )
    protection_interval: int = strawberry.field(
        description=(
            "Solo con supresión: ninguna celda oculta puede acotarse a un intervalo más estrecho."
        )
    )
    tables: list[list[str]] = strawberry.field(description="Las tablas publicadas.")
    dimensions: list[StatDimensionValues]
    audit: StatAudit
    privacy: StatPrivacy | None = strawberry.field(
        description="Presupuesto de privacidad; nulo si la edición no lleva ruido."
    )


@strawberry.federation.type(shareable=True)
class StatTable:
    dimensions: list[str]
    threshold: int
    cells: list[StatCell]
    csv_url: str
    margin95: int | None = strawberry.field(
        description=(
            "Precisión: con 95 % de probabilidad el ruido de cada celda está entre −margin95 "
            "y +margin95 personas; nulo si la edición no lleva ruido."
        )
    )
    release: StatRelease


@strawberry.type
class StatisticsQuery:
    @field(
        description=(
            "Personas por dos o tres dimensiones, con totales, de la edición vigente: cifras "
            "con ruido de privacidad diferencial (su precisión en margin95) o, en ediciones "
            "anteriores, con las celdas pequeñas y las que permitirían deducirlas ocultas. "
            "Pública, sin token."
        )
    )
    async def statistics(self, info: strawberry.Info, dimensions: list[StatDimension]) -> StatTable:
        return await r.statistics(info, [d.value for d in dimensions])

    @field(description="La edición vigente: fecha, método (explicado en español), tablas, valores.")
    async def statistics_release(self, info: strawberry.Info) -> StatRelease:
        return await r.statistics_release(info)


QUERIES: list[type] = [StatisticsQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
