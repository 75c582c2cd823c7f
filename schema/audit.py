"""The access log through GraphQL: a supervisor's view, and "who read my data" for a person."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers import audit as r


@strawberry.federation.type(shareable=True, description="Una entrada del registro de accesos.")
class AccessLogLine:
    id: strawberry.ID
    at: datetime
    agency: str
    role: str
    subject: str
    purpose: str | None
    operation: str | None
    action: str
    categories: list[str]
    person_ids: list[strawberry.ID]


@strawberry.federation.type(shareable=True, description="Quién leyó mis datos, y para qué.")
class MyDataRead:
    at: datetime | None
    agency: str | None
    purpose: str | None
    categories: list[str] | None


@strawberry.type
class AuditQuery:
    access_log: list[AccessLogLine] = strawberry.field(
        resolver=r.access_log,
        description="Registro de accesos, más reciente primero (supervisión y secretaría).",
    )
    who_read_my_data: list[MyDataRead] = strawberry.field(
        resolver=r.who_read_my_data,
        description="Las lecturas de mis datos por otras entidades (autoservicio).",
    )


QUERIES: list[type] = [AuditQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
