"""Finding a case the way an officer asks for it: by case number, by an identity document's
number, or by a person's name (accents and case ignored, a typo or two forgiven, surnames
in either order, given names optional).

Only cases the caller may list are searched (the read scope of ``case_admin``: own office
for registrars, assigned cases for eligibility officers, all for supervisors and the
Secretary). Names: PostgreSQL narrows the persons to those with a name part starting like
a word of the query (3 letters, accents folded), then rapidfuzz scores each query word
against the person's name parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from auth.policy import Category, Scope, read_scope
from auth.principal import Principal
from services.case_queries import CASE_COLUMNS, CASE_JOINS, Conn, case_record, named_rows
from services.errors import FieldProblem, Forbidden, ValidationFailed
from services.record_columns import by_name
from services.records import CaseRecord

MAX_RESULTS = 50
MIN_WORD_SCORE = 75.0  # rapidfuzz ratio (0-100) each query word needs against a name part
CANDIDATES = 5000  # persons scored per search at most
# lower() then this translate() folds the accents Spanish names carry
FOLD_FROM, FOLD_TO = "áàäâéèëêíìïîóòöôúùüûñç", "aaaaeeeeiiiioooouuuunc"
FOLDED = "translate(lower(coalesce({0}, '')), %(fold_from)s, %(fold_to)s)"
NAME = " || ' ' || ".join(
    FOLDED.format(f"p.{part}") for part in ("given_names", "paternal_surname", "maternal_surname")
)


@dataclass(frozen=True, slots=True)
class Hit:
    case_id: int
    score: float


def fold(text: str) -> str:
    """Lower case, without accents, letters and digits only, single spaces."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def name_score(words: list[str], name: str) -> float:
    """How well every query word matches some part of the name (0-100; 0 if one does not)."""
    parts = name.split()
    if not parts:
        return 0.0
    best = [max(fuzz.ratio(word, part) for part in parts) for word in words]
    return 0.0 if min(best) < MIN_WORD_SCORE else sum(best) / len(best)


def _scope(principal: Principal) -> tuple[str, dict[str, Any]]:
    scope = read_scope(principal.role, Category.CASE_ADMIN)
    if scope is Scope.ALL:
        return "true", {}
    if scope is Scope.OWN_OFFICE:
        return "o.code = %(own_office)s", {"own_office": principal.office_code or ""}
    if scope is Scope.ASSIGNED:
        return "c.assigned_officer_id = %(own_officer)s", {
            "own_officer": principal.officer_id or -1
        }
    raise Forbidden("Su rol no puede buscar expedientes.")


def _checked(text: str, first: int) -> str:
    query = fold(text)
    problems = []
    if not 2 <= len(query) <= 120:
        problems.append(
            FieldProblem(("text",), "INVALID_SEARCH", "Escriba entre 2 y 120 letras o cifras.")
        )
    if not 1 <= first <= MAX_RESULTS:
        problems.append(
            FieldProblem(("first",), "OUT_OF_RANGE", f"Pida entre 1 y {MAX_RESULTS} resultados.")
        )
    if problems:
        raise ValidationFailed(problems)
    return query


async def _by_number_or_document(
    conn: Conn, where: str, params: dict[str, Any], query: str
) -> list[Hit]:
    compact = query.replace(" ", "").upper()
    number = int(compact) if compact.isdigit() and len(compact) < 10 else -1
    rows = await named_rows(
        conn,
        "SELECT DISTINCT c.id, c.number = %(number)s AS exact FROM case_file c"
        " JOIN office o ON o.id = c.office_id"
        f" WHERE {where} AND (c.number = %(number)s OR c.id IN ("
        "  SELECT m.case_id FROM case_member m"
        "  JOIN identity_document d ON d.person_id = m.person_id"
        "  WHERE upper(regexp_replace(d.number, '[^0-9A-Za-z]', '', 'g')) = %(document)s))",
        params | {"number": number, "document": compact},
    )
    return [Hit(r.id, 100.0 if r.exact else 99.0) for r in rows]


async def _by_name(conn: Conn, where: str, params: dict[str, Any], query: str) -> list[Hit]:
    words = [w for w in query.split() if not w.isdigit()]
    if not words:
        return []
    prefixes = [f"% {w[:3]}%" for w in words]
    rows = await named_rows(
        conn,
        f"SELECT m.case_id, {NAME} AS name FROM case_member m"
        " JOIN person p ON p.id = m.person_id"
        " JOIN case_file c ON c.id = m.case_id JOIN office o ON o.id = c.office_id"
        f" WHERE {where} AND ' ' || {NAME} LIKE ANY(%(prefixes)s) LIMIT %(candidates)s",
        params
        | {
            "prefixes": prefixes,
            "candidates": CANDIDATES,
            "fold_from": FOLD_FROM,
            "fold_to": FOLD_TO,
        },
    )
    best: dict[int, float] = {}
    for row in rows:
        score = name_score(words, fold(row.name))
        if score > best.get(row.case_id, 0.0):
            best[row.case_id] = score
    return [Hit(case_id, score) for case_id, score in best.items()]


async def search_cases(
    conn: Conn, principal: Principal, text: str, first: int = 20
) -> list[CaseRecord]:
    """The caller's cases that match ``text``, best first (ties: the newest case first)."""
    query = _checked(text, first)
    where, params = _scope(principal)
    hits = []
    if any(ch.isdigit() for ch in query):
        hits = await _by_number_or_document(conn, where, params, query)
    if not hits:
        hits = await _by_name(conn, where, params, query)
    if not hits:
        return []
    # best first; among equals the most recent case (highest id) first
    hits = sorted(hits, key=lambda h: (-h.score, -h.case_id))[:first]
    sql = f"SELECT {CASE_COLUMNS} FROM case_file c {CASE_JOINS} WHERE c.id = ANY(%(ids)s)"
    found = await by_name(conn, case_record, sql, {"ids": [h.case_id for h in hits]})
    cases = {c.id: c for c in found}
    return [cases[h.case_id] for h in hits if h.case_id in cases]
