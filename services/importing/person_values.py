"""Which value a person gets when several rows say different things (the value rules,
with the reason recorded for each choice), and filling a known person's empty fields."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

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


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def _accents(s: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", s) if unicodedata.combining(ch))


def choose(
    candidates: list[tuple[Any, int, str]], rule: str, priority: Sequence[str]
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
        best_key = max(groups, key=lambda k: (len(groups[k]), max(c[1] for c in groups[k])))
    group = groups[best_key]
    return max(group, key=lambda c: (_accents(str(c[0])), c[1]))


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
    rows: list[RowRecord], options: ImportOptions, order: dict[int, int]
) -> tuple[dict[str, Any], dict[str, tuple[Any, RowRecord | None, int]]]:
    values: dict[str, Any] = {}
    picks: dict[str, tuple[Any, RowRecord | None, int]] = {}
    by_order = {order[id(r)]: r for r in rows}
    # names are chosen together, from the rows whose given/surname split is certain when any
    name_rows = [r for r in rows if r.values.get("name_order_known")] or rows
    for f in PERSON_FIELDS:
        src_rows = (
            name_rows if f in ("given_names", "paternal_surname", "maternal_surname") else rows
        )
        cands = [(r.values[f], _recency(r, order), r.file) for r in src_rows if r.values.get(f)]
        if not cands:
            continue
        val, o, _ = choose(cands, options.value_rule, options.source_priority)
        src = next(r for r in src_rows if _recency(r, order) == o)
        values[f] = val
        picks[f] = (val, src, len(cands))
        _ = by_order
    for f, default in (
        ("birth_date", UNKNOWN_BIRTH_DATE),
        ("nationality", UNKNOWN_NATIONALITY),
        ("sex", UNKNOWN_SEX),
        ("paternal_surname", ""),
    ):
        if f not in values:
            values[f] = default
            picks[f] = (default, None, 0)
    for f in PERSON_FIELDS:
        values.setdefault(f, None)
    return values, picks


def _recency(r: RowRecord, order: dict[int, int]) -> int:
    """Order for 'most recent': the row's latest date (filing/event), then its position."""
    dates = [r.values[f] for f in ("event_date", "filing_date", "entry_date") if r.values.get(f)]
    d = max(dates).toordinal() if dates else 0
    return d * 1_000_000 + order[id(r)]


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
