"""Running an import: read, validate, link against the hub, write persons with provenance.

Everything a run writes happens in one transaction (all or nothing). Rows already imported
(same content hash) are skipped, so importing the same files again changes nothing.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from models.core import Person
from models.importing import ImportBatch, ImportRow
from services.importing import normalise as n
from services.importing.adjudication import queue_pairs
from services.importing.bulk import copy_rows
from services.importing.clustering import cluster
from services.importing.documents_cases import write_documents_cases
from services.importing.hub_records import known_link_records, link_record
from services.importing.linkage import score_pairs
from services.importing.mapping import (
    load_override,
    map_columns,
    recognise,
    without_non_names,
)
from services.importing.person_values import (
    REASONS,
    Pick,
    fill_missing,
    jsonable,
    name_words,
    person_values,
    source_field,
)
from services.importing.reading import (
    HeaderScorer,
    Sheet,
    UnreadableFile,
    expand_paths,
    read_file,
)
from services.importing.records import RowRecord, build_records, collect_evidence
from services.importing.run_model import (
    ADVISORY_LOCK,
    NAME_FIELDS,
    VALUE_RULES,
    ImportOptions,
    ImportReport,
    Progress,
    Rejection,
    SheetInfo,
)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def read_sources(
    paths: Sequence[Path],
    options: ImportOptions,
    progress: Progress = _noop,
    problems: list[tuple[str, str]] | None = None,
) -> tuple[list[Sheet], list[RowRecord], list[SheetInfo]]:
    """Read, map, normalise and validate every row of every file (no database). A file
    that cannot be read, or holds no person data, adds (file, reason) to ``problems`` and
    nothing of it is read."""
    problems = [] if problems is None else problems
    override = load_override(options.mapping_file)
    scorer = HeaderScorer(lambda h: recognise(h) or n.key(h) in override)
    sheets: list[Sheet] = []
    files = expand_paths(paths)
    for i, p in enumerate(files):
        try:
            found = read_file(p, scorer)
        except UnreadableFile as bad:
            problems.append((p.name, bad.reason))
            continue
        if not found:
            problems.append((p.name, "no tiene filas con datos"))
        sheets.extend(found)
        progress("lectura", i + 1, len(files))
    mappings = [without_non_names(s, map_columns(s.headers, override)) for s in sheets]
    evidence = collect_evidence(sheets, mappings)
    records: list[RowRecord] = []
    infos: list[SheetInfo] = []
    for s, m in zip(sheets, mappings, strict=True):
        skipped = None
        if not NAME_FIELDS & set(m.values()):
            # a summary / notes sheet: no column names a person; reported, not read as rows
            skipped = "sin columnas de nombre: la hoja no describe personas"
        else:
            records.extend(build_records(s, m, evidence, options.today))
        infos.append(
            SheetInfo(
                s.file,
                s.sheet,
                s.header_row,
                len(s.rows),
                {s.headers[i]: f for i, f in m.items()},
                [h for i, h in enumerate(s.headers) if i not in m and h],
                s.encoding,
                s.delimiter,
                skipped,
            )
        )
    for file in sorted({i.file for i in infos}):
        mine = [i for i in infos if i.file == file]
        if all(i.skipped for i in mine):
            problems.append((file, "no contiene datos de personas (ninguna columna de nombres)"))
    return sheets, records, infos


async def run_import(
    engine: AsyncEngine,
    paths: Sequence[Path],
    options: ImportOptions | None = None,
    progress: Progress = _noop,
) -> ImportReport:
    options = options or ImportOptions()
    if options.value_rule not in VALUE_RULES:
        raise ValueError(f"regla desconocida: {options.value_rule}")
    t0 = time.perf_counter()
    problems: list[tuple[str, str]] = []
    _, records, infos = read_sources(paths, options, progress, problems)
    report = ImportReport(
        files=sorted({i.file for i in infos}), sheets=infos, dry_run=options.dry_run
    )
    report.file_problems = problems
    if problems and options.all_or_nothing:
        # one bad file and the flag: nothing at all is written
        report.seconds = time.perf_counter() - t0
        return report
    bad = {f for f, _ in problems}
    records = [r for r in records if r.file not in bad]
    report.rows_read = len(records)
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            await _import(conn, records, options, report, progress)
            if options.dry_run:
                await trans.rollback()
            else:
                await trans.commit()
        except BaseException:
            await trans.rollback()
            raise
        if not options.dry_run:
            # A bulk load leaves the planner without statistics until autovacuum runs;
            # plans made without them scan whole tables per row.
            await conn.execute(text("ANALYZE person, identity_document, case_file, case_member"))
            await conn.commit()
    report.seconds = time.perf_counter() - t0
    return report


async def _import(
    conn: AsyncConnection,
    records: list[RowRecord],
    options: ImportOptions,
    report: ImportReport,
    progress: Progress,
) -> None:
    # a batch job: not bound by the hub's per-statement timeout for requests
    await conn.execute(text("SET LOCAL statement_timeout = 0"))
    await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
    hashes = [r.content_hash for r in records]
    known: set[str] = set()
    for i in range(0, len(hashes), 5000):
        res = await conn.execute(
            select(ImportRow.content_hash).where(ImportRow.content_hash.in_(hashes[i : i + 5000]))
        )
        known.update(res.scalars())
    new = [r for r in records if r.content_hash not in known]
    report.rows_already_imported = len(records) - len(new)
    for r in new:
        for p in r.problems:
            report.rejected.append(Rejection(r.file, r.sheet, r.row, p.field, p.column, p.message))
    if not new:
        return
    valid = [r for r in new if r.valid]

    link = await known_link_records(conn)
    uid_of = {id(r): f"n{i}" for i, r in enumerate(valid)}  # id-ok
    by_uid = {uid_of[id(r)]: r for r in valid}  # id-ok
    for r in valid:
        link.append(link_record(uid_of[id(r)], r.values, None, f"{r.file}|{r.sheet}"))  # id-ok
    progress("vinculación", 0, 1)
    pairs = score_pairs(link)
    result = cluster(link, pairs, options.merge_threshold, options.queue_threshold)
    progress("vinculación", 1, 1)
    link_by_uid = {lr.uid: lr for lr in link}

    batch_id = (
        await conn.execute(
            insert(ImportBatch).returning(ImportBatch.id),
            {"actor": options.actor, "files": report.files, "value_rule": options.value_rule},
        )
    ).scalar_one()
    report.batch_id = batch_id

    # persons: existing (cluster holds a known person) or new
    person_of_uid: dict[str, int] = {}
    new_persons: list[list[RowRecord]] = []
    existing_updates: list[tuple[int, list[RowRecord]]] = []
    order = {id(r): i for i, r in enumerate(new)}  # id-ok: rows of `new`, alive for the run
    for members in result.clusters:
        new_rows = [by_uid[u] for u in members if u in by_uid]
        known_ids = {link_by_uid[u].person_id for u in members if link_by_uid[u].person_id}
        if not new_rows:
            continue
        if known_ids:
            pid = min(pid for pid in known_ids if pid is not None)
            for u in members:
                person_of_uid[u] = pid
            report.rows_linked_to_existing += len(new_rows)
            existing_updates.append((pid, new_rows))
        else:
            new_persons.append(new_rows)
            report.rows_merged += len(new_rows) - 1

    common = name_words(valid)
    person_rows: list[dict[str, Any]] = []
    chosen: list[dict[str, Pick]] = []
    for rows in new_persons:
        values, picks = person_values(rows, options, order, common)
        person_rows.append(values)
        chosen.append(picks)
    new_ids: list[int] = []
    if person_rows:
        person_res = await conn.execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), person_rows
        )
        new_ids = [int(person_id) for (person_id,) in person_res]
    for rows, pid in zip(new_persons, new_ids, strict=True):
        for r in rows:
            person_of_uid[uid_of[id(r)]] = pid  # id-ok
    report.persons_created = len(new_ids)
    report.persons_incomplete = sum(
        1 for picks in chosen if any(p[1] is None for p in picks.values())
    )
    report.missing_by_field = dict(
        Counter(f for picks in chosen for f, p in picks.items() if p[1] is None)
    )
    for pid, rows in existing_updates:
        await fill_missing(conn, pid, rows, options, order)

    # source rows and per-value provenance
    row_rows: list[tuple[Any, ...]] = []
    for r in new:
        row_pid: int | None = person_of_uid.get(uid_of[id(r)]) if r.valid else None  # id-ok
        row_rows.append(
            (
                batch_id,
                r.file,
                r.sheet,
                r.row,
                r.content_hash,
                "imported" if r.valid else "rejected",
                json.dumps([p.__dict__ for p in r.problems], ensure_ascii=False),
                json.dumps(r.raw, ensure_ascii=False),
                json.dumps(jsonable(r.values), ensure_ascii=False),
                row_pid,
            )
        )
        if row_pid is not None:
            report.row_person[(r.file, r.sheet, r.row)] = row_pid
    await copy_rows(conn, "import_row", ROW_COLUMNS, row_rows)
    id_of_hash: dict[str, int] = dict(
        (
            await conn.execute(
                text("SELECT content_hash, id FROM import_row WHERE batch_id = :b"),
                {"b": batch_id},
            )
        ).all()
    )
    row_ids = [int(id_of_hash[r.content_hash]) for r in new]
    row_id_of = {id(r): rid for r, rid in zip(new, row_ids, strict=True)}  # id-ok
    report.rows_imported = len(valid)
    progress("escritura", 1, 4)

    value_rows: list[tuple[Any, ...]] = []
    for r in new:
        value_pid = person_of_uid.get(uid_of[id(r)]) if r.valid else None  # id-ok
        for s in r.sources:
            row_id = row_id_of[id(r)]  # id-ok
            value_rows.append((row_id, value_pid, s.field, s.column, s.raw, s.value))
    value_id: dict[tuple[int, str], int] = {}
    if value_rows:
        columns = ("row_id", "person_id", "field", "column_name", "raw_value", "normalised_value")
        await copy_rows(conn, "import_value", columns, value_rows)
        record_of_row = {rid: rec for rec, rid in row_id_of.items()}
        written = await conn.execute(
            text("SELECT id, row_id, field FROM import_value WHERE row_id = ANY(:r) ORDER BY id"),
            {"r": row_ids},
        )
        for vid, rid, fld in written:
            value_id.setdefault((record_of_row[rid], fld), int(vid))
    progress("escritura", 2, 4)

    choice_params = []
    for new_pid, picks in zip(new_ids, chosen, strict=True):
        for f, (val, src, count, alts) in picks.items():
            key = (id(src), source_field(src, f)) if src is not None else None  # id-ok: run-long
            chosen_vid = value_id.get(key) if key is not None else None
            if src is None:
                rule, reason = "missing", "sin dato en las planillas: valor de reemplazo"
            else:
                rule = options.value_rule
                reason = (
                    REASONS[rule].format(n=count)
                    + f" ({src.file} {src.sheet} fila {src.row})"
                    + alts
                )
            choice_params.append(
                {
                    "person_id": new_pid,
                    "field": f,
                    "value": None if val is None else str(val),
                    "value_id": chosen_vid,
                    "rule": rule,
                    "reason": reason,
                    "candidates": count,
                }
            )
    if choice_params:
        # new persons only, one choice per field: nothing to conflict with
        keys = ("person_id", "field", "value", "value_id", "rule", "reason", "candidates")
        await copy_rows(
            conn, "import_field_choice", keys, ([c[k] for k in keys] for c in choice_params)
        )

    await write_documents_cases(conn, valid, uid_of, person_of_uid, report, options)
    progress("escritura", 3, 4)

    report.pairs_queued = await queue_pairs(
        conn,
        batch_id,
        result.queued,
        lambda uid: person_of_uid.get(uid) or link_by_uid[uid].person_id,
        lambda uid: _row_id(uid, by_uid, row_id_of),
    )
    report.queue_reasons = dict(Counter(p.reason or "" for p in result.queued))
    stats = {
        "rows_read": report.rows_read,
        "rows_imported": report.rows_imported,
        "rejected": len(report.rejected),
        "persons_created": report.persons_created,
        "rows_linked_to_existing": report.rows_linked_to_existing,
        "rows_merged": report.rows_merged,
        "pairs_queued": report.pairs_queued,
        "cases_created": report.cases_created,
        "cases_without_filing_date": sorted(report.cases_without_filing_date),
    }
    await conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(stats=stats, finished_at=text("now()"))
    )
    progress("escritura", 4, 4)


ROW_COLUMNS = (
    "batch_id",
    "file_name",
    "sheet_name",
    "row_number",
    "content_hash",
    "status",
    "problems",
    "raw",
    '"values"',
    "person_id",
)


def _row_id(uid: str, by_uid: dict[str, RowRecord], row_id_of: dict[int, int]) -> int | None:
    if uid in by_uid:
        return row_id_of[id(by_uid[uid])]
    if uid.startswith("r"):
        return int(uid[1:])
    return None


# What callers import from here (the command, the report, the tests).
__all__ = [
    "VALUE_RULES",
    "ImportOptions",
    "ImportReport",
    "read_sources",
    "run_import",
]
