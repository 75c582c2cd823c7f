"""Which value a person gets when several rows say different things (the value rules,
with the reason recorded for each choice), and filling a known person's empty fields."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from models.core import Person
from services.importing import normalise as n
from services.importing.records import RowRecord
from services.importing.run_model import (
    PERSON_FIELDS,
    UNKNOWN_BIRTH_DATE,
    UNKNOWN_NATIONALITY,
    UNKNOWN_SEX,
    ImportOptions,
)

# value, source row (None: placeholder), candidates, alternatives not chosen
Pick = tuple[Any, RowRecord | None, int, str]


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def _accents(s: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", s) if unicodedata.combining(ch))


def choose(
    candidates: list[tuple[Any, int, str]],
    rule: str,
    priority: Sequence[str],
    common: Counter[str] | None = None,
) -> tuple[Any, int, str]:
    """Pick one of (value, order, file). Values equal up to case/accents count together; the
    written form kept is the one with accents (the sheets that drop them lose information)."""
    groups: dict[str, list[tuple[Any, int, str]]] = defaultdict(list)
    for c in candidates:
        v = c[0]
        k = n.key(v) if isinstance(v, str) else str(v)
        groups[k].append(c)
    if rule == "most_recent":
        best_key = max(groups, key=lambda k: max(c[1] for c in groups[k]))
    elif rule == "source_priority" and priority:

        def rank(c: tuple[Any, int, str]) -> int:
            for i, p in enumerate(priority):
                if p.lower() in c[2].lower():
                    return i
            return len(priority)

        best_key = min(groups, key=lambda k: (min(rank(c) for c in groups[k]), -len(groups[k])))
    else:
        support = agreement({k: len(g) for k, g in groups.items()}, common)
        best_key = max(
            groups,
            key=lambda k: (
                support[k],
                len(k.split()),
                max(_accents(str(c[0])) for c in groups[k]),
                max(c[1] for c in groups[k]),
            ),
        )
    group = groups[best_key]
    return max(group, key=lambda c: (_accents(str(c[0])), c[1]))


def _degraded(worse: str, better: str) -> bool:
    """``worse`` is what a clerk makes of ``better``: a name dropped, a compound joined, or
    a typo in a shortened copy."""
    tw, tb = worse.split(), better.split()
    if len(tw) >= len(tb):
        return False
    if set(tw) <= set(tb) or "".join(tw) == "".join(tb):
        return True
    return all(any(DamerauLevenshtein.distance(a, b) <= 1 for b in tb) for a in tw)


COMMON = 5  # a name token written this often across the import is not a typo


def agreement(counts: dict[str, int], common: Counter[str] | None = None) -> dict[str, float]:
    """How much the sources agree with each written form: its own count, half of each other
    form that is a shortened or joined copy of it, and up to 0.9 for words common across
    the whole import (a typo makes a word nobody else writes). A typo and its correct form
    support each other alike, so a typo never wins on that."""
    out: dict[str, float] = {}
    for k, c in counts.items():
        score = c + 0.5 * sum(m for h, m in counts.items() if h != k and _degraded(h, k))
        if common is not None and k.split():
            toks = k.split()
            score += 0.9 * sum(1 for t in toks if common[t] >= COMMON) / len(toks)
        out[k] = score
    return out


def name_words(records: Sequence[RowRecord]) -> Counter[str]:
    """How often each word of a name is written across the rows of an import."""
    out: Counter[str] = Counter()
    for r in records:
        for f in ("given_names", "paternal_surname", "maternal_surname"):
            v = r.values.get(f)
            if isinstance(v, str):
                out.update(n.key(v).split())
    return out


def alternatives(candidates: list[tuple[Any, int, str]], chosen: Any) -> str:
    """The values not chosen, with how many sources gave each (for the recorded reason)."""
    counts: dict[str, int] = defaultdict(int)
    shown: dict[str, str] = {}
    for v, _, _ in candidates:
        k = n.key(v) if isinstance(v, str) else str(v)
        counts[k] += 1
        shown.setdefault(k, v.isoformat() if isinstance(v, date) else str(v))
    ck = n.key(chosen) if isinstance(chosen, str) else str(chosen)
    rest = [f"{shown[k]} ({c})" for k, c in sorted(counts.items(), key=lambda x: -x[1]) if k != ck]
    return "; alternativas: " + ", ".join(rest) if rest else ""


REASONS = {
    "most_frequent": "valor más frecuente entre {n} fuentes",
    "most_recent": "valor de la fuente más reciente entre {n}",
    "source_priority": "valor de la fuente de mayor prioridad entre {n}",
}


def source_field(r: RowRecord, f: str) -> str:
    fields = {s.field for s in r.sources}
    if f in fields:
        return f
    if f in ("given_names", "paternal_surname", "maternal_surname"):
        return "full_name" if "full_name" in fields else "surnames"
    return f


def person_values(
    rows: list[RowRecord],
    options: ImportOptions,
    order: dict[int, int],
    common: Counter[str] | None = None,
) -> tuple[dict[str, Any], dict[str, Pick]]:
    """The person's values, and for each field the pick: value, source row (None for a
    placeholder), how many rows gave one, the alternatives not chosen. ``ubigeo`` is
    picked (kept in the provenance) but is not a column of the person."""
    values: dict[str, Any] = {}
    picks: dict[str, Pick] = {}
    for f in (*PERSON_FIELDS, "ubigeo"):
        src_rows = rows
        cands = [(r.values[f], _recency(r, order), r.file) for r in src_rows if r.values.get(f)]
        if not cands:
            continue
        names = f in ("given_names", "paternal_surname", "maternal_surname")
        val, o, _ = choose(
            cands, options.value_rule, options.source_priority, common if names else None
        )
        src = next(r for r in src_rows if _recency(r, order) == o)
        if f != "ubigeo":
            values[f] = val
        picks[f] = (val, src, len(cands), alternatives(cands, val))
    for f, default in (
        ("birth_date", UNKNOWN_BIRTH_DATE),
        ("nationality", UNKNOWN_NATIONALITY),
        ("sex", UNKNOWN_SEX),
        ("paternal_surname", ""),
    ):
        if f not in values:
            values[f] = default
            picks[f] = (default, None, 0, "")
    for f in PERSON_FIELDS:
        values.setdefault(f, None)
    return values, picks


def _recency(r: RowRecord, order: dict[int, int]) -> int:
    """Order for 'most recent': the row's latest date (filing/event), then its position."""
    dates = [r.values[f] for f in ("event_date", "filing_date", "entry_date") if r.values.get(f)]
    d = max(dates).toordinal() if dates else 0
    return d * 1_000_000 + order[id(r)]  # id-ok: the run's rows, alive while ordered


async def fill_missing(
    conn: AsyncConnection,
    pid: int,
    rows: list[RowRecord],
    options: ImportOptions,
    order: dict[int, int],
) -> None:
    """A person already in the hub keeps its values; empty fields are filled from the sheets."""
    values, picks = person_values(rows, options, order)
    cur = (await conn.execute(select(Person).where(Person.id == pid))).mappings().one()
    updates: dict[str, Any] = {}
    for f in PERSON_FIELDS:
        if f not in picks or picks[f][1] is None:
            continue
        old = cur[f]
        if (
            old in (None, "")
            or (f == "birth_date" and old == UNKNOWN_BIRTH_DATE)
            or (f == "nationality" and old == UNKNOWN_NATIONALITY)
            or (f == "sex" and old == UNKNOWN_SEX)
        ):
            updates[f] = values[f]
    if updates:
        await conn.execute(update(Person).where(Person.id == pid).values(**updates))
        for f, v in updates.items():
            src = picks[f][1]
            assert src is not None
            await conn.execute(
                text(
                    "INSERT INTO import_field_choice (person_id, field, value, rule, reason, "
                    "candidates) "
                    "VALUES (:p, :f, :v, :r, :why, :c) ON CONFLICT (person_id, field) DO "
                    "UPDATE SET "
                    "value = EXCLUDED.value, rule = EXCLUDED.rule, reason = EXCLUDED.reason"
                ),
                {
                    "p": pid,
                    "f": f,
                    "v": str(v),
                    "r": options.value_rule,
                    "c": picks[f][2],
                    "why": f"campo vacío completado desde {src.file} {src.sheet} fila {src.row}",
                },
            )
