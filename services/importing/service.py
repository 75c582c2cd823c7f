"""Running an import: read, validate, link against the hub, write persons with provenance.

Everything a run writes happens in one transaction (all or nothing). Rows already imported
(same content hash) are skipped, so importing the same files again changes nothing.
"""

from __future__ import annotations

import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from models.core import Case, Person
from models.importing import ImportBatch, ImportPair, ImportRow, ImportValue
from services.importing import normalise as n
from services.importing.linkage import (
    MERGE_THRESHOLD,
    QUEUE_THRESHOLD,
    LinkRecord,
    Pair,
    cluster,
    score_pairs,
)
from services.importing.mapping import load_override, map_columns, recognise
from services.importing.reading import HeaderScorer, Sheet, read_file
from services.importing.records import RowRecord, build_records, collect_evidence

# Placeholders for person columns the core table requires but a sheet may not have.
UNKNOWN_BIRTH_DATE = date(1900, 1, 1)
UNKNOWN_NATIONALITY = "XX"
UNKNOWN_SEX = "X"
VALUE_RULES = ("most_frequent", "most_recent", "source_priority")
PERSON_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "country_of_birth",
    "nationality",
    "entry_date",
    "department",
    "province",
    "district",
    "street",
    "phone",
    "email",
    "profession",
)
ADVISORY_LOCK = 7_000_007
NAME_FIELDS = {"given_names", "full_name", "surnames", "paternal_surname"}

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOptions:
    dry_run: bool = False
    mapping_file: Path | None = None
    value_rule: str = "most_frequent"
    source_priority: tuple[str, ...] = ()
    actor: str = "qhub import"
    merge_threshold: float = MERGE_THRESHOLD
    queue_threshold: float = QUEUE_THRESHOLD
    today: date | None = None


@dataclass
class Rejection:
    file: str
    sheet: str
    row: int
    field: str
    column: str | None
    message: str


@dataclass
class SheetInfo:
    file: str
    sheet: str
    header_row: int
    rows: int
    columns: dict[str, str]
    unmapped: list[str]
    encoding: str | None
    delimiter: str | None
    skipped: str | None = None


@dataclass
class ImportReport:
    files: list[str]
    sheets: list[SheetInfo] = field(default_factory=list)
    rows_read: int = 0
    rows_already_imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    rows_imported: int = 0
    persons_created: int = 0
    # created with a placeholder for a required column no sheet had (birth date, nationality,
    # sex): to be completed by an officer; the placeholder is marked in import_field_choice
    persons_incomplete: int = 0
    missing_by_field: dict[str, int] = field(default_factory=dict)
    rows_linked_to_existing: int = 0
    rows_merged: int = 0
    pairs_queued: int = 0
    cases_created: int = 0
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    row_person: dict[tuple[str, str, int], int] = field(default_factory=dict)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def read_sources(
    paths: Sequence[Path], options: ImportOptions, progress: Progress = _noop
) -> tuple[list[Sheet], list[RowRecord], list[SheetInfo]]:
    """Read, map, normalise and validate every row of every file (no database)."""
    override = load_override(options.mapping_file)
    scorer = HeaderScorer(lambda h: recognise(h) or n.key(h) in override)
    sheets: list[Sheet] = []
    files = _expand(paths)
    for i, p in enumerate(files):
        sheets.extend(read_file(p, scorer))
        progress("lectura", i + 1, len(files))
    mappings = [map_columns(s.headers, override) for s in sheets]
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
    return sheets, records, infos


def _expand(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    q
                    for q in p.iterdir()
                    if q.suffix.lower() in {".xlsx", ".xlsm", ".csv", ".txt", ".tsv"}
                )
            )
        else:
            out.append(p)
    return out


def _link_record(uid: str, v: dict[str, Any], person_id: int | None) -> LinkRecord:
    bd = v.get("birth_date")
    if isinstance(bd, str):
        bd = date.fromisoformat(bd)
    if bd == UNKNOWN_BIRTH_DATE:
        bd = None
    nat = v.get("nationality")
    return LinkRecord(
        uid=uid,
        given=v.get("given_names") or "",
        paternal=v.get("paternal_surname"),
        maternal=v.get("maternal_surname"),
        birth_date=bd,
        doc_number=v.get("doc_number"),
        case_number=v.get("case_number"),
        nationality=None if nat == UNKNOWN_NATIONALITY else nat,
        sex=v.get("sex") if v.get("sex") in ("F", "M") else None,
        phone=v.get("phone"),
        person_id=person_id,
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
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
    _, records, infos = read_sources(paths, options, progress)
    report = ImportReport(
        files=sorted({i.file for i in infos}), sheets=infos, dry_run=options.dry_run
    )
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

    # what the hub already knows: earlier imported rows, and persons not from an import
    link: list[LinkRecord] = []
    earlier = await conn.execute(
        text(
            "SELECT id, person_id, \"values\" FROM import_row WHERE status = 'imported' "
            "AND person_id IS NOT NULL"
        )
    )
    for erow in earlier:
        row_id, person_id, values = erow[0], erow[1], erow[2]
        link.append(_link_record(f"r{row_id}", values, person_id))
    hub_res = await conn.execute(
        text(
            "SELECT p.id, p.given_names, p.paternal_surname, p.maternal_surname, p.birth_date, "
            "p.nationality, p.sex, p.phone, "
            "(SELECT d.number FROM identity_document d WHERE d.person_id = p.id ORDER BY d.id "
            "LIMIT 1), "
            "(SELECT c.number FROM case_member m JOIN case_file c ON c.id = m.case_id "
            " WHERE m.person_id = p.id ORDER BY c.id LIMIT 1) "
            "FROM person p WHERE NOT EXISTS (SELECT 1 FROM import_row r WHERE r.person_id = p.id)"
        )
    )
    for hrow in hub_res:
        pid, given, pat, mat, bd, nat, sex, phone, doc, case = tuple(hrow)
        link.append(
            _link_record(
                f"p{pid}",
                {
                    "given_names": given,
                    "paternal_surname": pat,
                    "maternal_surname": mat,
                    "birth_date": bd,
                    "nationality": nat,
                    "sex": sex,
                    "phone": phone,
                    "doc_number": doc,
                    "case_number": case,
                },
                pid,
            )
        )
    uid_of = {id(r): f"n{i}" for i, r in enumerate(valid)}
    by_uid = {uid_of[id(r)]: r for r in valid}
    for r in valid:
        link.append(_link_record(uid_of[id(r)], r.values, None))
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
    order = {id(r): i for i, r in enumerate(new)}
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

    person_rows: list[dict[str, Any]] = []
    chosen: list[dict[str, tuple[Any, RowRecord | None, int]]] = []
    for rows in new_persons:
        values, picks = _person_values(rows, options, order)
        person_rows.append(values)
        chosen.append(picks)
    new_ids: list[int] = []
    if person_rows:
        person_res = await conn.execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), person_rows
        )
        new_ids = [int(x[0]) for x in person_res]
    for rows, pid in zip(new_persons, new_ids, strict=True):
        for r in rows:
            person_of_uid[uid_of[id(r)]] = pid
    report.persons_created = len(new_ids)
    report.persons_incomplete = sum(
        1 for picks in chosen if any(src is None for _, src, _ in picks.values())
    )
    report.missing_by_field = dict(
        Counter(f for picks in chosen for f, (_, src, _) in picks.items() if src is None)
    )
    for pid, rows in existing_updates:
        await _fill_missing(conn, pid, rows, options, order)

    # source rows and per-value provenance
    row_params = []
    for r in new:
        pid = person_of_uid.get(uid_of[id(r)]) if r.valid else None
        row_params.append(
            {
                "batch_id": batch_id,
                "file_name": r.file,
                "sheet_name": r.sheet,
                "row_number": r.row,
                "content_hash": r.content_hash,
                "status": "imported" if r.valid else "rejected",
                "problems": [p.__dict__ for p in r.problems],
                "raw": r.raw,
                "values": _jsonable(r.values),
                "person_id": pid,
            }
        )
        if pid is not None:
            report.row_person[(r.file, r.sheet, r.row)] = pid
    res = await conn.execute(
        insert(ImportRow).returning(ImportRow.id, sort_by_parameter_order=True), row_params
    )
    row_ids = [int(x[0]) for x in res]
    row_id_of = {id(r): rid for r, rid in zip(new, row_ids, strict=True)}
    report.rows_imported = len(valid)
    progress("escritura", 1, 4)

    value_params: list[dict[str, Any]] = []
    value_key: list[tuple[int, str]] = []
    for r in new:
        pid = person_of_uid.get(uid_of[id(r)]) if r.valid else None
        for s in r.sources:
            value_params.append(
                {
                    "row_id": row_id_of[id(r)],
                    "person_id": pid,
                    "field": s.field,
                    "column_name": s.column,
                    "raw_value": s.raw,
                    "normalised_value": s.value,
                }
            )
            value_key.append((id(r), s.field))
    value_id: dict[tuple[int, str], int] = {}
    if value_params:
        value_res = await conn.execute(
            insert(ImportValue).returning(ImportValue.id, sort_by_parameter_order=True),
            value_params,
        )
        for k, vrow in zip(value_key, value_res, strict=True):
            value_id.setdefault(k, int(vrow[0]))
    progress("escritura", 2, 4)

    choice_params = []
    for new_pid, picks in zip(new_ids, chosen, strict=True):
        for f, (val, src, count) in picks.items():
            chosen_vid = value_id.get((id(src), _source_field(src, f))) if src is not None else None
            if src is None:
                rule, reason = "missing", "sin dato en las planillas: valor de reemplazo"
            else:
                rule = options.value_rule
                reason = REASONS[rule].format(n=count) + f" ({src.file} {src.sheet} fila {src.row})"
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
        await conn.execute(
            text(
                "INSERT INTO import_field_choice (person_id, field, value, value_id, rule, reason, "
                "candidates) VALUES (:person_id, :field, :value, :value_id, :rule, :reason, "
                ":candidates) ON CONFLICT DO NOTHING"
            ),
            choice_params,
        )

    await _write_documents_cases(conn, valid, uid_of, person_of_uid, report, options)
    progress("escritura", 3, 4)

    # adjudication queue
    pair_params = []
    for qp in result.queued:
        pa, pb = (
            person_of_uid.get(qp.a) or _pid(link_by_uid[qp.a]),
            person_of_uid.get(qp.b) or _pid(link_by_uid[qp.b]),
        )
        if pa is None or pb is None or pa == pb:
            continue
        ra, rb = _row_id(qp.a, by_uid, row_id_of), _row_id(qp.b, by_uid, row_id_of)
        if pa > pb:
            pa, pb, ra, rb = pb, pa, rb, ra
        pair_params.append(
            {
                "batch_id": batch_id,
                "person_a_id": pa,
                "person_b_id": pb,
                "row_a_id": ra,
                "row_b_id": rb,
                "probability": qp.probability,
                "detail": _detail(qp),
            }
        )
    if pair_params:
        await conn.execute(pg_insert(ImportPair).on_conflict_do_nothing(), pair_params)
        report.pairs_queued = (
            await conn.execute(
                text("SELECT count(*) FROM import_pair WHERE batch_id = :b"), {"b": batch_id}
            )
        ).scalar_one()
    stats = {
        "rows_read": report.rows_read,
        "rows_imported": report.rows_imported,
        "rejected": len(report.rejected),
        "persons_created": report.persons_created,
        "rows_linked_to_existing": report.rows_linked_to_existing,
        "rows_merged": report.rows_merged,
        "pairs_queued": report.pairs_queued,
        "cases_created": report.cases_created,
    }
    await conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(stats=stats, finished_at=text("now()"))
    )
    progress("escritura", 4, 4)


def _pid(lr: LinkRecord) -> int | None:
    return lr.person_id


def _row_id(uid: str, by_uid: dict[str, RowRecord], row_id_of: dict[int, int]) -> int | None:
    if uid in by_uid:
        return row_id_of[id(by_uid[uid])]
    if uid.startswith("r"):
        return int(uid[1:])
    return None


def _detail(p: Pair) -> dict[str, Any]:
    return {"weight": round(p.weight, 3), **{k: int(v) for k, v in p.detail.items()}}


def _source_field(r: RowRecord, f: str) -> str:
    fields = {s.field for s in r.sources}
    if f in fields:
        return f
    if f in ("given_names", "paternal_surname", "maternal_surname"):
        return "full_name" if "full_name" in fields else "surnames"
    return f


def _person_values(
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


async def _fill_missing(
    conn: AsyncConnection,
    pid: int,
    rows: list[RowRecord],
    options: ImportOptions,
    order: dict[int, int],
) -> None:
    """A person already in the hub keeps its values; empty fields are filled from the sheets."""
    values, picks = _person_values(rows, options, order)
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


async def _write_documents_cases(
    conn: AsyncConnection,
    valid: list[RowRecord],
    uid_of: dict[int, str],
    person_of_uid: dict[str, int],
    report: ImportReport,
    options: ImportOptions,
) -> None:
    docs = []
    health: dict[int, dict[str, Any]] = {}
    consents: set[int] = set()
    by_case: dict[int, list[tuple[int, RowRecord]]] = defaultdict(list)
    needs_of: dict[int, set[str]] = defaultdict(set)
    for r in valid:
        pid = person_of_uid[uid_of[id(r)]]
        v = r.values
        if v.get("doc_number"):
            docs.append(
                {
                    "person_id": pid,
                    "doc_type": v.get("doc_type") or "other",
                    "number": v["doc_number"][:32],
                    "issuing_country": v.get("nationality") or UNKNOWN_NATIONALITY,
                }
            )
        if v.get("case_number"):
            by_case[v["case_number"]].append((pid, r))
        for code in v.get("needs") or []:
            needs_of[pid].add(code)
        if v.get("health_profession"):
            health.setdefault(
                pid,
                {
                    "person_id": pid,
                    "profession": v["health_profession"],
                    "specialty": v.get("specialty"),
                    "degree_country": v.get("nationality"),
                    "years_experience": v.get("years_experience"),
                },
            )
        if v.get("consent") == "yes" and v.get("health_profession"):
            consents.add(pid)
    if docs:
        await conn.execute(
            text(
                "INSERT INTO identity_document (person_id, doc_type, number, issuing_country) "
                "VALUES (:person_id, :doc_type, :number, :issuing_country) ON CONFLICT DO NOTHING"
            ),
            docs,
        )
    if health:
        await conn.execute(
            text(
                "INSERT INTO health_profile (person_id, profession, specialty, degree_country, "
                "years_experience) VALUES (:person_id, :profession, :specialty, :degree_country, "
                ":years_experience) ON CONFLICT DO NOTHING"
            ),
            list(health.values()),
        )
    for pid in consents:
        await conn.execute(
            text(
                "INSERT INTO consent (person_id, purpose) SELECT :p, 'health-workforce' WHERE "
                "NOT EXISTS "
                "(SELECT 1 FROM consent WHERE person_id = :p AND purpose = 'health-workforce' "
                "AND withdrawn_at IS NULL)"
            ),
            {"p": pid},
        )
    if not by_case:
        return
    offices: dict[str, int] = {
        str(c): int(i) for c, i in (await conn.execute(text("SELECT code, id FROM office"))).all()
    }
    existing = dict(
        (
            await conn.execute(
                text("SELECT number, id FROM case_file WHERE number = ANY(:n)"),
                {"n": list(by_case)},
            )
        ).all()
    )
    today = options.today or date.today()
    case_params = []
    for number, members in by_case.items():
        if number in existing:
            continue
        rows = [r for _, r in members]
        office_vals = [r.values["office"] for r in rows if r.values.get("office")]
        if not office_vals:
            office_vals = [
                n.office(r.values["department"]) for r in rows if r.values.get("department")
            ]
        code = Counter(office_vals).most_common(1)[0][0] if office_vals else "LIM"
        statuses = [r.values["status"] for r in rows if r.values.get("status")]
        filing = (
            [r.values["filing_date"] for r in rows if r.values.get("filing_date")]
            or [r.values["event_date"] for r in rows if r.values.get("event_date")]
            or [today]
        )
        case_params.append(
            {
                "number": number,
                "office_id": offices.get(code, offices.get("LIM")),
                "status": Counter(statuses).most_common(1)[0][0] if statuses else "registered",
                "filing_date": min(filing),
            }
        )
    if case_params:
        res = await conn.execute(
            insert(Case).returning(Case.number, Case.id, sort_by_parameter_order=True),
            case_params,
        )
        existing.update({number: cid for number, cid in res})
        report.cases_created = len(case_params)
        # legacy numbers were inserted explicitly: keep the sequence ahead of them
        await conn.execute(
            text(
                "SELECT setval('case_number_seq', GREATEST((SELECT max(number) FROM case_file), "
                "(SELECT last_value FROM case_number_seq)))"
            )
        )
    principals = dict(
        (
            await conn.execute(
                text(
                    "SELECT case_id, person_id FROM case_member WHERE relationship = 'principal' "
                    "AND case_id = ANY(:c)"
                ),
                {"c": list(existing.values())},
            )
        ).all()
    )
    member_params = []
    need_params = []
    for number, members in by_case.items():
        case_id = existing[number]
        rel: dict[int, str] = {}
        for pid, r in members:
            got = r.values.get("relationship")
            if got and rel.get(pid) in (None, "other"):
                rel[pid] = got
            rel.setdefault(pid, "other")
        if case_id not in principals:
            explicit = [p for p, x in rel.items() if x == "principal"]
            if explicit:
                principals[case_id] = explicit[0]
            else:
                # no stated principal: the eldest member with a known birth date
                ages = [
                    (r.values["birth_date"], p) for p, r in members if r.values.get("birth_date")
                ]
                principals[case_id] = min(ages)[1] if ages else members[0][0]
        for pid in rel:
            if principals.get(case_id) == pid:
                rel[pid] = "principal"
            elif rel[pid] == "principal":
                rel[pid] = "other"
            member_params.append({"c": case_id, "p": pid, "r": rel[pid]})
            for code in sorted(needs_of.get(pid, ())):
                need_params.append({"c": case_id, "p": pid, "code": code})
    await conn.execute(
        text(
            "INSERT INTO case_member (case_id, person_id, relationship) VALUES (:c, :p, :r) "
            "ON CONFLICT DO NOTHING"
        ),
        member_params,
    )
    if need_params:
        await conn.execute(
            text(
                "INSERT INTO case_need (case_id, person_id, code) VALUES (:c, :p, :code) "
                "ON CONFLICT DO NOTHING"
            ),
            need_params,
        )
