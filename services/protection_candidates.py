"""Finding who a person may be without a document at hand (the Migration Office's
``protectionCandidates``, and the commission's identity search): names compared without
accents, in any order of the surnames, with typos tolerated, blocked on the birth date."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from rapidfuzz import fuzz

from auth.policy import Category, RowScope, Scope, read_scope
from auth.principal import Principal
from services.errors import FieldProblem, Forbidden, ValidationFailed
from services.protection import Conn, ProtectionRecord, protection_of_persons


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^a-zA-Z ]", " ", bare)).strip().lower()


@dataclass(slots=True)
class Candidate:
    score: float
    protection: ProtectionRecord
    given_names: str
    surnames: str
    birth_date: date
    nationality: str
    row_scope: RowScope


# What a candidate reveals; the caller must read each of them for every person.
CANDIDATE_CATEGORIES = (Category.IDENTITY_CANDIDATES, Category.IDENTITY, Category.STATUS)


async def protection_candidates(
    conn: Conn,
    principal: Principal,
    given_names: str,
    surnames: str,
    birth_date: date,
    limit: int = 10,
) -> list[Candidate]:
    """Persons who may be the one described (no document at hand), best first.

    Whether someone has a record is itself personal data: only a role that reads every
    candidate's identity and status nationwide may search (``Forbidden`` before anything
    is read otherwise), so every row found is a row it may read and is returned (and
    logged, through its row scope). Blocks on the birth date (also with day and month
    swapped, a common slip), then scores names without accents, in any order of the
    surnames, with typos tolerated.
    """
    for category in CANDIDATE_CATEGORIES:
        if read_scope(principal.role, category) is not Scope.ALL:
            raise Forbidden("Su rol no puede buscar personas por nombre.")
    top = await matching_persons(conn, given_names, surnames, birth_date, limit)
    if not top:
        return []
    statuses = await protection_of_persons(conn, [person.id for _, person in top])
    return [
        Candidate(
            round(score, 1),
            statuses[person.id],
            person.given_names,
            person.surnames,
            person.birth_date,
            person.nationality,
            statuses[person.id].row_scope,
        )
        for score, person in top
    ]


class MatchedPerson(NamedTuple):
    id: int
    given_names: str
    surnames: str
    birth_date: date
    nationality: str


async def matching_persons(
    conn: Conn, given_names: str, surnames: str, birth_date: date, limit: int = 10
) -> list[tuple[float, MatchedPerson]]:
    """(score, person) of the persons who may be the one described, best first (the
    caller has checked it may search)."""
    if not fold(given_names) or not fold(surnames):
        raise ValidationFailed(
            [FieldProblem(("givenNames",), "REQUIRED", "Indique nombres y apellidos.")]
        )
    dates = [birth_date]
    if birth_date.day <= 12 and birth_date.day != birth_date.month:
        dates.append(date(birth_date.year, birth_date.day, birth_date.month))
    cursor = await conn.execute(
        "SELECT p.id, p.given_names, p.paternal_surname, coalesce(p.maternal_surname, ''),"
        " p.birth_date, p.nationality FROM person p WHERE p.birth_date = ANY(%(dates)s)",
        {"dates": dates},
    )
    wanted_given, wanted_surnames = fold(given_names), fold(surnames)
    scored: list[tuple[float, MatchedPerson]] = []
    for pid, given, paternal, maternal, born, nationality in await cursor.fetchall():
        surname_score = max(
            fuzz.token_sort_ratio(wanted_surnames, fold(f"{paternal} {maternal}")),
            fuzz.token_sort_ratio(wanted_surnames, fold(paternal)),
        )
        given_score = max(
            fuzz.token_sort_ratio(wanted_given, fold(given)),
            fuzz.partial_ratio(wanted_given, fold(given)),
        )
        score = 0.55 * surname_score + 0.45 * given_score - (5 if born != birth_date else 0)
        if score >= 70:
            surnames_found = f"{paternal} {maternal}".strip()
            scored.append((score, MatchedPerson(pid, given, surnames_found, born, nationality)))
    scored.sort(key=lambda item: -item[0])
    return scored[:limit]
