"""``explainAccess``: what the caller may read or write, and why not — from the enforced policy."""

from __future__ import annotations

import strawberry

from resolvers import access as r
from schema.fields import federation_field, served


@strawberry.federation.type(
    shareable=True, description="Lo que la política de acceso dice de un campo para quien consulta."
)
class FieldAccess:
    type_name: str
    field_name: str
    category: str | None
    allowed: bool
    condition: str | None = strawberry.field(
        description="Condición de fila: own-office, assigned, consent:health-workforce, self."
    )
    reason: str


@strawberry.federation.type(shareable=True, description="Quién consulta, según su token.")
class CallerInfo:
    role: str
    agency: str
    office_code: str | None
    purpose: str | None
    purposes: list[str]


@strawberry.type
class AccessQuery:
    @federation_field(
        shareable=True,
        description=(
            "Explica qué puede leer (o escribir) quien consulta: un campo ('Tipo.campo'), "
            "un tipo entero ('Tipo') o, sin argumento, todo el esquema."
        ),
    )
    def explain_access(self, info: strawberry.Info, field: str | None = None) -> list[FieldAccess]:
        return served(r.explain_access(info, field))

    @federation_field(shareable=True, description="Quién es quien consulta.")
    def whoami(self, info: strawberry.Info) -> CallerInfo:
        return served(r.whoami(info))


QUERIES: list[type] = [AccessQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
