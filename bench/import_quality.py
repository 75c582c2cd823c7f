"""Import quality: pairwise precision / recall of the person clusters against the truth,
automatic merges of two members of one family, the share of true pairs blocking never
compares, queued pairs, and time — on spreadsheets made by the project's generator with
layout sets the linker was not tuned on (B, C), and on the development set when
``../shared/data/spreadsheets-dev`` is there (skipped otherwise).

    .venv/bin/python -m bench.import_quality [--record] [--only NAME]

The truth is read here only, never by the importer.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import os
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, pool, text

from hub.db import create_engine as create_async
from hub.embedded import sqlalchemy_url, start_embedded
from hub.migrations import upgrade
from hub.settings import load_settings
from services.importing import normalise as n
from services.importing.hub_records import link_record
from services.importing.linkage import compared, features
from services.importing.service import ImportOptions, read_sources, run_import
from services.importing.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
DEV_DATA = ROOT.parent / "shared" / "data" / "spreadsheets-dev"
# (name, seed, layout set): sets whose header wordings and value styles the tests do not use
GENERATED = (("generado-B", 101, "B"), ("generado-C", 202, "C"), ("generado-D", 303, "D"))
Key = tuple[str, str, int]


def fresh_database() -> tuple[str, str]:
    server = start_embedded(Path(os.environ.get("QHUB_BENCH_PG_DIR", ROOT / "var" / "bench-pg")))
    admin_url = sqlalchemy_url(server, "postgres")
    name = f"qhub_import_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    base, _, query = admin_url.partition("?")
    url = base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")
    upgrade(url)
    return admin_url, url


def drop(admin_url: str, url: str) -> None:
    name = url.split("?")[0].rsplit("/", 1)[1]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pairs_of(groups: dict[object, list[Key]]) -> set[tuple[Key, Key]]:
    out: set[tuple[Key, Key]] = set()
    for members in groups.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def read_truth(path: Path) -> dict[Key, tuple[str, bool]]:
    with path.open(encoding="utf-8") as fh:
        return {
            (t["file"], t["sheet"], int(t["row_number"])): (t["person_id"], t["is_invalid"] == "1")
            for t in csv.DictReader(fh)
        }


def never_compared(files: list[Path], truth: dict[Key, tuple[str, bool]]) -> tuple[int, int]:
    """(true pairs no blocking rule puts together, true pairs) over the valid rows."""
    _, records, _ = read_sources(files, ImportOptions())
    feats = {
        (r.file, r.sheet, r.row): features(link_record("x", r.values, None))
        for r in records
        if r.valid
    }
    by_person: dict[str, list[Key]] = defaultdict(list)
    for k in feats:
        if k in truth:
            by_person[truth[k][0]].append(k)
    missed = total = 0
    for keys in by_person.values():
        for a, b in itertools.combinations(keys, 2):
            total += 1
            missed += not compared(feats[a], feats[b])
    return missed, total


async def measure(
    files: list[Path],
    truth: dict[Key, tuple[str, bool]],
    url: str,
    names: dict[str, str] | None = None,
) -> dict[str, float]:
    engine = create_async(url, load_settings())
    t0 = time.perf_counter()
    report = await run_import(engine, files, ImportOptions())
    seconds = time.perf_counter() - t0
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT file_name, sheet_name, row_number, person_id, "
                    "\"values\"->>'case_number' FROM import_row WHERE status = 'imported'"
                )
            )
        ).all()
        queued = (
            await conn.execute(
                text("SELECT person_a_id, person_b_id FROM import_pair WHERE status = 'open'")
            )
        ).all()
    await engine.dispose()
    predicted: dict[object, list[Key]] = defaultdict(list)
    actual: dict[object, list[Key]] = defaultdict(list)
    person_truth: dict[int, set[str]] = defaultdict(set)
    cases_of: dict[tuple[int, str], set[str]] = defaultdict(set)
    for f, s, r, pid, case in rows:
        k = (f, s, int(r))
        predicted[pid].append(k)
        actual[truth[k][0]].append(k)
        person_truth[pid].add(truth[k][0])
        if case:
            cases_of[(pid, truth[k][0])].add(case)
    pred, true = pairs_of(predicted), pairs_of(actual)
    tp = len(pred & true)
    # a wrong merge of two true persons whose rows share a case number: relatives
    family = sum(
        1
        for pid, ts in person_truth.items()
        for a, b in itertools.combinations(sorted(ts), 2)
        if cases_of[(pid, a)] & cases_of[(pid, b)]
    )
    q_right = sum(
        1 for a, b in queued for ta in person_truth[a] for tb in person_truth[b] if ta == tb
    )
    typo_chosen, checked = await names_chosen(url, predicted, truth, names) if names else (0, 0)
    invalid = {k for k, (_, bad) in truth.items() if bad}
    rejected = {(x.file, x.sheet, x.row) for x in report.rejected}
    missed, total = never_compared(files, truth)
    return {
        "rows": report.rows_read,
        "rejected": len(rejected),
        "invalid": len(invalid),
        "same_rejected": float(rejected == invalid),
        "persons": report.persons_created,
        "true_persons": len(actual),
        "precision": tp / len(pred) if pred else 1.0,
        "recall": tp / len(true) if true else 1.0,
        "wrong_pairs": len(pred - true),
        "family_merges": family,
        "never_compared": missed / total if total else 0.0,
        "never_compared_pairs": missed,
        "true_pairs": len(true),
        "queued": len(queued),
        "queued_same": q_right,
        "seconds": seconds,
        "name_wrong": typo_chosen / checked if checked else -1.0,
        "name_checked": checked,
    }


async def names_chosen(
    url: str,
    predicted: dict[object, list[Key]],
    truth: dict[Key, tuple[str, bool]],
    names: dict[str, str],
) -> tuple[int, int]:
    """Persons made of three rows or more of one true person: how many got a given name or
    paternal surname other than the truth's (accents and case aside)."""
    engine = create_async(url, load_settings())
    async with engine.connect() as conn:
        got: dict[int, str] = dict(
            (
                await conn.execute(
                    text("SELECT id, given_names || ' ' || paternal_surname FROM person")
                )
            ).all()
        )
    await engine.dispose()
    wrong = checked = 0
    for pid, keys in predicted.items():
        ids = {truth[k][0] for k in keys}
        if len(keys) < 3 or len(ids) != 1:
            continue
        checked += 1
        wrong += n.key(str(got[int(str(pid))])) != n.key(names[ids.pop()])
    return wrong, checked


def render(name: str, m: dict[str, float]) -> str:
    ok = (
        m["precision"] >= 0.999
        and m["recall"] >= 0.97
        and m["family_merges"] == 0
        and m["never_compared"] <= 0.005
        and m["seconds"] < 30
    )
    return (
        f"[{name}] rows {m['rows']:.0f}, rejected {m['rejected']:.0f} (truth {m['invalid']:.0f}, "
        f"same set: {'yes' if m['same_rejected'] else 'NO'}); persons {m['persons']:.0f} "
        f"(truth {m['true_persons']:.0f})\n"
        f"  precision {m['precision']:.4f}  recall {m['recall']:.4f}  wrong pairs "
        f"{m['wrong_pairs']:.0f}  family merges {m['family_merges']:.0f}  never compared "
        f"{100 * m['never_compared']:.2f} % ({m['never_compared_pairs']:.0f} of "
        f"{m['true_pairs']:.0f} true pairs)\n"
        + (
            f"  name chosen differs from the truth: {100 * m['name_wrong']:.1f} % of "
            f"{m['name_checked']:.0f} persons with 3+ rows\n"
            if m["name_checked"]
            else ""
        )
        + f"  queue {m['queued']:.0f} pairs ({m['queued_same']:.0f} same person); "
        f"{m['seconds']:.1f} s; targets {'met' if ok else 'NOT met'}"
    )


Dataset = tuple[str, list[Path], dict[Key, tuple[str, bool]], dict[str, str] | None]


def datasets(workdir: Path) -> list[Dataset]:
    out: list[Dataset] = []
    if (DEV_DATA / "truth.csv").exists():
        files = sorted(
            p for p in DEV_DATA.iterdir() if p.suffix in {".xlsx", ".csv"} and p.name != "truth.csv"
        )
        out.append(("desarrollo", files, read_truth(DEV_DATA / "truth.csv"), None))
    else:
        print(f"(development set not found at {DEV_DATA}: skipped)")
    for name, seed, layouts in GENERATED:
        s = generate(workdir / name, seed=seed, cases=1200, files=16, layouts=layouts)
        truth = {k: (t.person_id, t.is_invalid) for k, t in s.truth.items()}
        names = {p.id: f"{p.given} {p.paternal}" for p in s.population.persons}
        out.append((name, s.files, truth, names))
    return out


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, files, truth, names in datasets(Path(tmp)):
            if only and name != only:
                continue
            admin_url, url = fresh_database()
            try:
                m = asyncio.run(measure(files, truth, url, names))
            finally:
                drop(admin_url, url)
            results.append(render(name, m))
            print(results[-1], flush=True)
    if "--record" in sys.argv:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(
                "\n## Import on unseen layouts (issue 16) — `bench/import_quality.py`\n\n"
                f"{time.strftime('%Y-%m-%d')}, 2 cores shared, fresh embedded PostgreSQL per "
                "set; generated sets: 1,200 families in 16 files each.\n\n```\n"
                + "\n".join(results)
                + "\n```\n"
            )


if __name__ == "__main__":
    main()
