"""Finding cases by number, identity document or name (the officers' search box)."""

from __future__ import annotations

import strawberry

from resolvers import case_search as r
from schema.core import Case
from schema.fields import field, served


@strawberry.type
class CaseSearchQuery:
    @field(
        description=(
            "Expedientes que quien consulta puede ver, por número, documento de identidad o"
            " nombre (sin tildes, con alguna errata, apellidos en cualquier orden); el mejor"
            " primero."
        )
    )
    async def search_cases(self, info: strawberry.Info, text: str, first: int = 20) -> list[Case]:
        return served(await r.search_cases(info, text, first))


QUERIES: list[type] = [CaseSearchQuery]
