"""Record linkage: Fellegi-Sunter with Splink (DuckDB backend), then constrained clustering.

Splink scores candidate pairs (blocking on documents, case numbers, names, dates). The
m/u probabilities start from stated priors (below); u is re-estimated from the data by
random sampling when there are enough records. Clustering, with its vetoes and the family
guard, is in ``services.importing.clustering``. Wrong merges are worse than missed ones, so
the merge threshold is high and the band below it goes to officers (the adjudication queue).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa

from services.importing import normalise as n

MERGE_THRESHOLD = 0.90
QUEUE_THRESHOLD = 0.50
PRIOR = 0.0005
ESTIMATE_U = False


@dataclass
class LinkRecord:
    """One thing to link: a new sheet row, a row imported before, or a person already in the hub."""

    uid: str
    given: str
    paternal: str | None
    maternal: str | None
    birth_date: date | None = None
    doc_number: str | None = None
    case_number: int | None = None
    nationality: str | None = None
    sex: str | None = None
    phone: str | None = None
    person_id: int | None = None  # known person (earlier import or hub record)
    source: str | None = None  # file and sheet of a new row


@dataclass
class Pair:
    a: str
    b: str
    probability: float
    weight: float
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None  # why it was queued and not merged (Spanish)


def _features(r: LinkRecord) -> dict[str, Any]:
    given = n.key(r.given)
    sur = n.key(" ".join(x for x in (r.paternal, r.maternal) if x))
    full = f"{given} {sur}".strip()
    toks = sorted(set(full.split()))
    d = r.birth_date
    return {
        "unique_id": r.uid,
        "fg": given.split()[0] if given else None,
        "given_k": given or None,
        "pat_k": n.key(r.paternal or "") or None,
        "mat_k": n.key(r.maternal or "") or None,
        "fg4": given.replace(" ", "")[:4] or None,
        "fg1": given[:1] or None,
        "full_k": full or None,
        "sorted_k": " ".join(toks) or None,
        "toks": toks,
        "dob": d.isoformat() if d else None,
        "dob_swap": (date(d.year, d.day, d.month).isoformat() if d and d.day <= 12 else None),
        "dob_y": d.year if d else None,
        "doc": n.doc_digits(r.doc_number),
        "case_no": str(r.case_number) if r.case_number else None,
        "nat": r.nationality,
        "sex": r.sex,
        "phone": r.phone,
    }


def _level(
    sql: str, label: str, m: float, u: float, null: bool = False, tf: str | None = None
) -> dict[str, Any]:
    lvl: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        lvl["is_null_level"] = True
    else:
        lvl["m_probability"] = m
        lvl["u_probability"] = u
    return lvl


def _comparisons() -> list[dict[str, Any]]:
    name = {
        "output_column_name": "name",
        "comparison_levels": [
            _level("fg_l IS NULL OR fg_r IS NULL", "null", 0, 0, null=True),
            _level(
                "(full_k_l = full_k_r OR sorted_k_l = sorted_k_r) AND len(toks_l) >= 4",
                "exact, four or more names",
                0.45,
                0.00002,
            ),
            _level(
                "(full_k_l = full_k_r OR sorted_k_l = sorted_k_r) AND len(toks_l) = 3",
                "exact, three names",
                0.20,
                0.0001,
            ),
            _level("full_k_l = full_k_r OR sorted_k_l = sorted_k_r", "exact", 0.15, 0.0005),
            _level(
                "fg_l = fg_r AND (list_has_all(toks_l, toks_r) OR list_has_all(toks_r, toks_l))",
                "subset (dropped surname or second name)",
                0.10,
                0.002,
            ),
            _level(
                "damerau_levenshtein(full_k_l, full_k_r) <= 2 OR "
                "damerau_levenshtein(sorted_k_l, sorted_k_r) <= 2",
                "typo",
                0.07,
                0.0001,
            ),
            _level(
                "damerau_levenshtein(fg_l, fg_r) <= 2 AND pat_k_l = pat_k_r "
                "AND (len(toks_l) = len(list_intersect(toks_l, toks_r)) + 1 "
                "OR len(toks_r) = len(list_intersect(toks_l, toks_r)) + 1)",
                "typo and a dropped name",
                0.03,
                0.0003,
            ),
            _level(
                "(fg_l = fg_r OR damerau_levenshtein(fg_l, fg_r) <= 1) AND "
                "len(list_intersect(toks_l, toks_r)) >= 2",
                "first name and a surname",
                0.02,
                0.01,
            ),
            _level("ELSE", "different", 0.01, 0.9865),
        ],
    }
    dob = {
        "output_column_name": "birth_date",
        "comparison_levels": [
            _level("dob_l IS NULL OR dob_r IS NULL", "null", 0, 0, null=True),
            _level("dob_l = dob_r", "exact", 0.90, 0.0003),
            _level("dob_l = dob_swap_r", "day/month swapped", 0.02, 0.0002),
            _level("damerau_levenshtein(dob_l, dob_r) <= 1", "one digit", 0.04, 0.003),
            _level("ELSE", "different", 0.04, 0.9965),
        ],
    }
    doc = {
        "output_column_name": "document",
        "comparison_levels": [
            _level("doc_l IS NULL OR doc_r IS NULL", "null", 0, 0, null=True),
            _level("doc_l = doc_r", "exact", 0.85, 0.0002),
            _level("damerau_levenshtein(doc_l, doc_r) <= 1", "one digit", 0.03, 0.0005),
            _level("ELSE", "different", 0.12, 0.9993),
        ],
    }
    # exact-or-not comparisons: (output name, column, m and u of agreement)
    simple = [
        ("case_number", "case_no", 0.90, 0.002),
        ("nationality", "nat", 0.97, 0.6),
        ("sex", "sex", 0.97, 0.5),
        ("phone", "phone", 0.6, 0.001),
    ]
    rest = [
        {
            "output_column_name": out,
            "comparison_levels": [
                _level(f"{c}_l IS NULL OR {c}_r IS NULL", "null", 0, 0, null=True),
                _level(f"{c}_l = {c}_r", "exact", m, u),
                _level("ELSE", "different", 1 - m, 1 - u),
            ],
        }
        for out, c, m, u in simple
    ]
    return [name, dob, doc, *rest]


# Blocking: a pair is compared when it agrees on every (left, right) feature of one rule.
BLOCKING_RULES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("doc", "doc"),),
    (("case_no", "case_no"),),
    (("sorted_k", "sorted_k"),),
    (("fg", "fg"), ("dob", "dob")),
    (("pat_k", "pat_k"), ("dob_y", "dob_y")),
    (("fg", "fg"), ("pat_k", "pat_k")),
    (("dob", "dob_swap"), ("fg", "fg")),
    (("dob", "dob"), ("mat_k", "mat_k")),
    (("dob", "dob"), ("fg4", "fg4")),
    (("phone", "phone"),),
    (("pat_k", "pat_k"), ("mat_k", "mat_k"), ("fg1", "fg1")),
    (("fg", "fg"), ("mat_k", "mat_k")),
)
BLOCKING = [" AND ".join(f"l.{a} = r.{b}" for a, b in rule) for rule in BLOCKING_RULES]


def features(r: LinkRecord) -> dict[str, Any]:
    return _features(r)


def compared(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether blocking puts the two records (their ``features``) in one candidate pair."""
    for rule in BLOCKING_RULES:
        for x, y in ((a, b), (b, a)):
            if all(x[ca] is not None and x[ca] == y[cb] for ca, cb in rule):
                return True
    return False


def score_pairs(records: Sequence[LinkRecord], threshold: float = 0.01) -> list[Pair]:
    """Candidate pairs with their match probability (Splink, DuckDB)."""
    if len(records) < 2:
        return []
    from splink import Linker
    from splink.internals.duckdb.database_api import DuckDBAPI

    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.WARNING)
    rows = [_features(r) for r in records]
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("unique_id", pa.string()),
                ("fg", pa.string()),
                ("given_k", pa.string()),
                ("pat_k", pa.string()),
                ("mat_k", pa.string()),
                ("fg4", pa.string()),
                ("fg1", pa.string()),
                ("full_k", pa.string()),
                ("sorted_k", pa.string()),
                ("toks", pa.list_(pa.string())),
                ("dob", pa.string()),
                ("dob_swap", pa.string()),
                ("dob_y", pa.int32()),
                ("doc", pa.string()),
                ("case_no", pa.string()),
                ("nat", pa.string()),
                ("sex", pa.string()),
                ("phone", pa.string()),
            ]
        ),
    )
    db = DuckDBAPI()
    sdf = db.register(table)
    settings: dict[str, Any] = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": b, "sql_dialect": "duckdb"} for b in BLOCKING
        ],
        "comparisons": _comparisons(),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    if ESTIMATE_U and len(records) >= 1000:
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=7)
    result = linker.inference.predict(threshold_match_probability=threshold)
    out: list[Pair] = []
    for row in result.as_record_list():
        out.append(
            Pair(
                a=str(row["unique_id_l"]),
                b=str(row["unique_id_r"]),
                probability=float(row["match_probability"]),
                weight=float(row["match_weight"]),
                detail={k: row[k] for k in row if k.startswith("gamma_")},
            )
        )
    result.drop_table_from_database_and_remove_from_cache()
    return out
