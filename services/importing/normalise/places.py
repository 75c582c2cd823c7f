"""Places in Peru: a one-string address ("LIMA-LIMA-SAN JUAN DE LURIGANCHO", "Callao /
Ventanilla", "SJL, Lima") split into department, province and district and matched to the
INEI ubigeo codes of ``models/data/ubigeo.csv`` (the 25 departments and the provinces and
districts the commission's offices serve; a district not listed keeps its department)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from models.reference_data import read_csv
from services.importing.normalise._base import key, text

SEPARATORS = r"\s+-\s+|[-/|,;]"
ABBREVIATIONS = {
    "SJL": "SAN JUAN DE LURIGANCHO",
    "SMP": "SAN MARTIN DE PORRES",
    "VES": "VILLA EL SALVADOR",
    "SJM": "SAN JUAN DE MIRAFLORES",
}


@dataclass(frozen=True)
class Place:
    ubigeo: str
    department: str
    province: str | None
    district: str | None


@dataclass(frozen=True)
class _Index:
    departments: dict[str, Place]
    provinces: dict[tuple[str, str], Place]  # (department key, province key)
    districts: list[tuple[str, Place]]  # (district key, place)


@cache
def _index() -> _Index:
    deps: dict[str, Place] = {}
    provs: dict[tuple[str, str], Place] = {}
    dists: list[tuple[str, Place]] = []
    for r in read_csv("ubigeo.csv"):
        dep, prov, dist = r["department"] or "", r["province"], r["district"]
        place = Place(r["ubigeo"] or "", dep, prov, dist)
        if dist:
            dists.append((key(dist), place))
        elif prov:
            provs[(key(dep), key(prov))] = place
        else:
            deps[key(dep)] = place
    return _Index(deps, provs, dists)


def _match(k: str, choices: list[str]) -> str | None:
    if k in choices:
        return k
    found = process.extractOne(k, choices, scorer=fuzz.ratio, score_cutoff=88)
    return found[0] if found else None


def place(value: object) -> Place | None:
    """The most precise place the string names, or None when it names none."""
    s = text(value)
    return None if s is None else _place(s)


@lru_cache(maxsize=4096)
def _place(s: str) -> Place | None:
    parts = [ABBREVIATIONS.get(k, k) for k in (key(p) for p in re.split(SEPARATORS, s)) if k]
    if not parts:
        return None
    idx = _index()
    dep_keys = list(idx.departments)
    prov_keys = sorted({pk for _, pk in idx.provinces})
    named = {m for p in parts if (m := _match(p, dep_keys))}
    dist_keys = sorted({d for d, _ in idx.districts})
    for i in reversed(range(len(parts))):
        p = parts[i]
        only_region = _match(p, dep_keys) or _match(p, prov_keys)
        if only_region and not (len(parts) >= 3 and i == len(parts) - 1):
            continue  # "LIMA" in "Lima / Lima" is the department or the province
        m = _match(p, dist_keys)
        if m is None:
            continue
        candidates = [pl for d, pl in idx.districts if d == m]
        inside = [pl for pl in candidates if key(pl.department) in named]
        if inside or not named:
            return (inside or candidates)[0]
    if len(parts) >= 2:
        for p in parts[1:]:
            for (dk, pk), pl in idx.provinces.items():
                if (not named or dk in named) and _match(p, [pk]):
                    return pl
    if named:
        first = next(m for p in parts if (m := _match(p, dep_keys)))
        return idx.departments[first]
    return None
