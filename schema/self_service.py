"""Applicants' self-service beyond documents and appointments: correcting their own
contact data."""

from __future__ import annotations

import strawberry

from resolvers import self_service as r
from schema.fields import mutation, served


@strawberry.input(description="Mis datos de contacto, tal como deben quedar.")
class MyContactInput:
    phone: str | None = None
    email: str | None = None
    department: str | None = None
    province: str | None = None
    district: str | None = None
    street: str | None = None


@strawberry.federation.type(shareable=True, description="Mis datos de contacto registrados.")
class MyContact:
    phone: str | None
    email: str | None
    department: str | None
    province: str | None
    district: str | None
    street: str | None


@strawberry.type
class SelfServiceMutation:
    @mutation(description="Corrige mis datos de contacto (teléfono, correo, domicilio en el Perú).")
    async def update_my_contact(self, info: strawberry.Info, input: MyContactInput) -> MyContact:
        return served(await r.update_my_contact(info, input))


QUERIES: list[type] = []
MUTATIONS: list[type] = [SelfServiceMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
