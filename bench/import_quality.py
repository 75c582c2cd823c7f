"""Import of the development spreadsheets into a fresh database: pairwise precision / recall
of the person clusters against ``truth.csv`` (queued pairs counted separately), and time.

    .venv/bin/python -m bench.import_quality [DATA_DIR] [--record]

``truth.csv`` is read here only, never by the importer.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import os
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, pool, text

from hub.db import create_engine as create_async
from hub.embedded import sqlalchemy_url, start_embedded
from hub.migrations import upgrade
from hub.settings import load_settings
from services.importing.service import ImportOptions, run_import

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "spreadsheets-dev"


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


def pairs_of(groups: dict[object, list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


async def measure(data: Path, url: str) -> dict[str, float | int | str]:
    engine = create_async(url, load_settings())
    files = sorted(
        p for p in data.iterdir() if p.suffix in {".xlsx", ".csv"} and p.name != "truth.csv"
    )
    t0 = time.perf_counter()
    report = await run_import(engine, files, ImportOptions())
    seconds = time.perf_counter() - t0
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT file_name, sheet_name, row_number, person_id FROM import_row "
                    "WHERE status = 'imported'"
                )
            )
        ).all()
        queued = (
            await conn.execute(
                text("SELECT person_a_id, person_b_id FROM import_pair WHERE status = 'open'")
            )
        ).all()
    await engine.dispose()
    truth = {}
    with (data / "truth.csv").open(encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            truth[f"{t['file']}|{t['sheet']}|{t['row_number']}"] = t
    predicted: dict[object, list[str]] = defaultdict(list)
    actual: dict[object, list[str]] = defaultdict(list)
    person_truth: dict[int, set[str]] = defaultdict(set)
    for f, s, r, pid in rows:
        key = f"{f}|{s}|{r}"
        predicted[pid].append(key)
        actual[truth[key]["person_id"]].append(key)
        person_truth[pid].add(truth[key]["person_id"])
    pred, true = pairs_of(predicted), pairs_of(actual)
    tp = len(pred & true)
    # queued pairs of persons: row pairs that a confirmation would create, right or wrong
    q_right = q_wrong = 0
    for a, b in queued:
        for ta in person_truth[a]:
            for tb in person_truth[b]:
                if ta == tb:
                    q_right += 1
                else:
                    q_wrong += 1
    invalid = {k for k, t in truth.items() if t["is_invalid"] == "1"}
    rejected = {f"{x.file}|{x.sheet}|{x.row}" for x in report.rejected}
    return {
        "rows": report.rows_read,
        "rejected": len(rejected),
        "invalid_in_truth": len(invalid),
        "rejected_equal_invalid": int(rejected == invalid),
        "persons": report.persons_created,
        "incomplete": report.persons_incomplete,
        "missing": ", ".join(f"{k} {v}" for k, v in sorted(report.missing_by_field.items())),
        "true_persons": len(actual),
        "precision": tp / len(pred) if pred else 1.0,
        "recall": tp / len(true) if true else 1.0,
        "predicted_pairs": len(pred),
        "true_pairs": len(true),
        "queued": len(queued),
        "queued_same_person": q_right,
        "queued_different": q_wrong,
        "seconds": seconds,
    }


def render(m: dict[str, float | int | str]) -> str:
    return "\n".join(
        [
            f"rows read {m['rows']}, rejected {m['rejected']} (truth: {m['invalid_in_truth']} "
            "invalid; "
            f"same set: {'yes' if m['rejected_equal_invalid'] else 'NO'})",
            f"persons created {m['persons']} (truth: {m['true_persons']}); "
            f"{m['incomplete']} lack a birth date, nationality or sex in every sheet "
            f"({m['missing']})",
            f"pairwise precision {m['precision']:.4f}  recall {m['recall']:.4f}  "
            f"(predicted pairs {m['predicted_pairs']}, true pairs {m['true_pairs']})",
            f"adjudication queue {m['queued']} pairs: {m['queued_same_person']} would join "
            "the same "
            f"person, {m['queued_different']} different persons",
            f"wall time {m['seconds']:.1f} s (read, validate, link, write; fresh database)",
        ]
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    data = Path(args[0]) if args else DEFAULT_DATA
    admin_url, url = fresh_database()
    try:
        m = asyncio.run(measure(data, url))
    finally:
        drop(admin_url, url)
    out = render(m)
    print(out)
    if "--record" in sys.argv:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(
                "\n## Import (issue 7) — `bench/import_quality.py`\n\n"
                f"{time.strftime('%Y-%m-%d')}, 2 cores shared, development set "
                f"(`{data.name}`, 18 files), fresh embedded PostgreSQL.\n\n```\n{out}\n```\n"
            )


if __name__ == "__main__":
    main()
