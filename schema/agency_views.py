"""The Health Ministry's and UNHCR's views."""

from __future__ import annotations

import strawberry

from resolvers import agency_views as r
from resolvers.migration import raw_arguments
from schema.core import CaseConnection, CaseFilter, Person
from schema.enums import HealthProfession, RecognitionStatus
from schema.fields import field


@strawberry.federation.type(
    shareable=True, description="Profesional de la salud que consintió compartir su perfil."
)
class HealthProfessional:
    person: Person | None = strawberry.field(resolver=r.professional_person)
    profession: HealthProfession | None
    specialty: str | None
    degree: str | None
    degree_country: str | None
    recognition_status: RecognitionStatus | None
    licence_number: str | None
    years_experience: int | None
    region: str | None = strawberry.field(description="Departamento de residencia.")
    holds_valid_work_permit: bool | None = strawberry.field(
        description="Tiene una autorización de trabajo vigente hoy (sí/no)."
    )


@strawberry.federation.type(shareable=True)
class HealthProfessionalPage:
    items: list[HealthProfessional]
    end_cursor: str | None
    has_more: bool


@strawberry.type
class HealthQuery:
    @field(description="Profesionales de la salud con consentimiento vigente (health-workforce).")
    async def health_professionals(
        self,
        info: strawberry.Info,
        professions: list[HealthProfession] | None = None,
        regions: list[str] | None = None,
        recognition: list[RecognitionStatus] | None = None,
        first: int = 100,
        after: str | None = None,
    ) -> HealthProfessionalPage:
        return await r.health_professionals(
            info,
            [p.value for p in professions or []],
            list(regions or []),
            [s.value for s in recognition or []],
            first,
            after,
        )


@strawberry.type(description="Archivo CSV de necesidades específicas en los códigos de ACNUR.")
class NeedsExportFile:
    filename: str
    content_type: str = strawberry.field(description="Siempre text/csv; charset=utf-8.")
    row_count: int = strawberry.field(description="Filas de datos (una por necesidad).")
    csv: str = strawberry.field(
        description="Una fila por necesidad: expediente, oficina, estado, fecha de solicitud,"
        " tamaño del hogar, persona (identificador de ACNUR), parentesco, sexo, edad,"
        " nacionalidad, categoría, código y etiqueta de la necesidad."
    )


@strawberry.type
class UnhcrQuery:
    @field(
        description="Vista de protección de ACNUR: expedientes con necesidades, familia, estado."
    )
    @raw_arguments
    async def unhcr_cases(
        self,
        info: strawberry.Info,
        first: int = 50,
        after: str | None = None,
        filter: CaseFilter | None = None,
    ) -> CaseConnection:
        return await r.unhcr_cases(info, filter, first, after)

    @field(
        description="Exportación de necesidades específicas (códigos de ACNUR) de los"
        " expedientes filtrados; también en GET /exports/unhcr-needs.csv."
    )
    async def unhcr_needs_export(
        self, info: strawberry.Info, filter: CaseFilter | None = None
    ) -> NeedsExportFile:
        return await r.unhcr_needs_export(info, filter)


HEALTH_QUERIES: list[type] = [HealthQuery]
UNHCR_QUERIES: list[type] = [UnhcrQuery]
