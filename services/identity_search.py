"""The registrars' nationwide identity search for de-duplication (``identity.search``):
candidates by name and birth date from every office, with identity only — no claim data,
no case administration (office, officer, status) of other offices. The candidate's own
fields stay under their usual row conditions when read through ``person``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection

from auth.policy import Category, RowScope, Scope, read_scope
from auth.principal import Principal
from services.errors import Forbidden
from services.protection_candidates import matching_persons


@dataclass(slots=True)
class IdentityCandidate:
    person_id: int
    score: float
    given_names: str
    surnames: str
    birth_date: date
    nationality: str
    row_scope: RowScope


async def identity_candidates(
    conn: AsyncConnection[Any],
    principal: Principal,
    given_names: str,
    surnames: str,
    birth_date: date,
    limit: int = 10,
) -> list[IdentityCandidate]:
    """Persons who may be the one described, best first; only for a role that reads
    ``identity.search`` nationwide (refused before anything is read otherwise)."""
    if read_scope(principal.role, Category.IDENTITY_SEARCH) is not Scope.ALL:
        raise Forbidden("Su rol no puede buscar identidades en todas las oficinas.")
    top = await matching_persons(conn, given_names, surnames, birth_date, limit)
    return [
        IdentityCandidate(pid, round(score, 1), given, names, born, nationality, RowScope((pid,)))
        for score, (pid, given, names, born, nationality) in top
    ]
