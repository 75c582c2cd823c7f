"""Nationwide identity search for de-duplication (registrars; ``identity.search``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from resolvers import identity_search as r
from schema.fields import field


@strawberry.federation.type(
    shareable=True, description="Persona que podría ser la buscada (solo identidad)."
)
class IdentityCandidate:
    person_id: strawberry.ID | None
    score: float | None
    given_names: str | None
    surnames: str | None
    birth_date: date | None
    nationality: str | None


@strawberry.type
class IdentitySearchQuery:
    @field(
        description="Busca identidades en todas las oficinas para evitar duplicados: solo"
        " nombres, fecha de nacimiento y nacionalidad, el mejor candidato primero."
    )
    async def identity_candidates(
        self, info: strawberry.Info, given_names: str, surnames: str, birth_date: date
    ) -> list[IdentityCandidate]:
        found: Any = await r.identity_candidates(info, given_names, surnames, birth_date)
        return found


QUERIES: list[type] = [IdentitySearchQuery]
MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
