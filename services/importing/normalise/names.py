"""Names: capitalisation with particles, surnames, full-name order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from services.importing.normalise._base import is_error_value, key, text

PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "DA", "DOS", "DI", "VAN", "VON", "Y", "MC", "SAN"}


def _smart_title(s: str) -> str:
    words: list[str] = []
    for w in s.split(" "):
        lw = w.lower()
        if key(w) in PARTICLES and words:
            words.append(lw)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in lw.split("-")))
    return " ".join(words)


def clean_name(value: object) -> str | None:
    """A name part: collapsed spaces, title case (accents kept as written)."""
    s = text(value)
    if s is None or is_error_value(s):
        return None
    return _clean_name(s)


@lru_cache(maxsize=8192)
def _clean_name(s: str) -> str | None:
    s = re.sub(r"[^\w\s'\-]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if not s or not re.search(r"[^\W\d_]", s):
        return None
    return _smart_title(s)


def _group_particles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    pending: list[str] = []
    for t in tokens:
        if key(t) in PARTICLES:
            pending.append(t)
            continue
        out.append(" ".join([*pending, t]))
        pending = []
    if pending:
        if out:
            out[-1] = out[-1] + " " + " ".join(pending)
        else:
            out.append(" ".join(pending))
    return out


@dataclass
class NameParts:
    given: str
    paternal: str | None
    maternal: str | None
    order_known: bool  # given/surname split is certain (separate columns or "Apellidos, Nombres")


class GivenNameEvidence:
    """Counts of tokens seen as given names / surnames in split columns, to split full names."""

    def __init__(self) -> None:
        self.given: dict[str, int] = {}
        self.surname: dict[str, int] = {}

    def add(self, given: str | None, surnames: Iterable[str | None]) -> None:
        for t in key(given or "").split():
            self.given[t] = self.given.get(t, 0) + 1
        for s in surnames:
            for t in key(s or "").split():
                self.surname[t] = self.surname.get(t, 0) + 1

    def given_score(self, token: str) -> float:
        k = key(token)
        g, s = self.given.get(k, 0), self.surname.get(k, 0)
        return (g + 0.5) / (g + s + 1.0)


def split_surnames(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    toks = _group_particles(value.split(" "))
    if len(toks) == 1:
        return toks[0], None
    return toks[0], " ".join(toks[1:])


def full_name_order(values: Iterable[object], evidence: GivenNameEvidence) -> str | None:
    """'GS' (Nombres Apellidos) or 'SG' (Apellidos Nombres, no comma) for a whole column, from
    the evidence of split name columns: is the first or the last word more often a given name?"""
    first = last = 0.0
    for v in values:
        raw = text(v)
        if raw is None or "," in raw:
            continue
        toks = key(raw).split()
        if len(toks) < 2:
            continue
        first += evidence.given_score(toks[0]) - 0.5
        last += evidence.given_score(toks[-1]) - 0.5
    if last > first and last > 0:
        return "SG"
    if first > last and first > 0:
        return "GS"
    return None


def parse_full_name(
    value: object, evidence: GivenNameEvidence | None = None, order: str = "GS"
) -> NameParts | None:
    """'Apellidos, Nombres', 'Nombres Apellidos' or (``order='SG'``) 'Apellidos Nombres'."""
    raw = text(value)
    if raw is None or is_error_value(raw):
        return None
    if "," in raw:
        sur, _, giv = raw.partition(",")
        given, surnames = clean_name(giv), clean_name(sur)
        if given is None:
            return None
        pat, mat = split_surnames(surnames)
        return NameParts(given, pat, mat, True)
    s = clean_name(raw)
    if s is None:
        return None
    toks = _group_particles(s.split(" "))
    n = len(toks)
    if order == "SG" and n >= 2:
        if n == 2:
            return NameParts(toks[1], toks[0], None, False)
        if n == 3:
            second_given = evidence.given_score(toks[1]) if evidence else 0.5
            if second_given > 0.5:
                return NameParts(" ".join(toks[1:]), toks[0], None, False)
            return NameParts(toks[2], toks[0], toks[1], False)
        return NameParts(" ".join(toks[2:]), toks[0], toks[1], False)
    if n == 1:
        return NameParts(toks[0], None, None, False)
    if n == 2:
        return NameParts(toks[0], toks[1], None, False)
    if n == 3:
        second_given = evidence.given_score(toks[1]) if evidence else 0.5
        if second_given > 0.5:
            return NameParts(" ".join(toks[:2]), toks[2], None, False)
        return NameParts(toks[0], toks[1], toks[2], False)
    return NameParts(" ".join(toks[:-2]), toks[-2], toks[-1], False)
