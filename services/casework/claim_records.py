"""Reading a case's claim data back: interviews, assessments, decisions, appeals, and the
decision reasons kept in the status history, opened (services.sealing) only here.

Call these only after the policy allowed the read of ``claim`` data and the read is
logged: the GraphQL layer checks, then calls. ``read_claim_records_many`` serves a whole
level of cases in five statements (one per table plus the keys) sent in one round trip
(pipeline mode), whatever their number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from services.sealing import key_from_row, open_value

# The field names bound into each sealed value (associated data): table.column
INTERVIEW_SUMMARY = "interview_record.summary"
ASSESSMENT_GROUNDS = "eligibility_assessment.grounds"
ASSESSMENT_CREDIBILITY = "eligibility_assessment.credibility"
ASSESSMENT_ANALYSIS = "eligibility_assessment.analysis"
ASSESSMENT_RECOMMENDATION = "eligibility_assessment.recommendation"
DECISION_REASONS = "case_decision.reasons"
APPEAL_GROUNDS = "claim_appeal.grounds"
STATUS_REASON = "status_change.sealed_reason"


@dataclass(frozen=True)
class Interview:
    id: int
    mode: str
    held_at: datetime
    language: str
    interpreter: bool
    summary: str
    interviewer: str
    created_at: datetime


@dataclass(frozen=True)
class Assessment:
    id: int
    grounds: list[str]
    credibility: str
    analysis: str
    recommendation: str  # 'recognise' | 'reject'
    assessor: str
    created_at: datetime


@dataclass(frozen=True)
class Decision:
    id: int
    instance: str  # 'first' | 'appeal'
    outcome: str  # the status the decision moved the case to
    reasons: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class Appeal:
    id: int
    grounds: str
    filed_by: str
    filed_at: datetime


@dataclass
class ClaimRecords:
    """Everything recorded on a case's claim, oldest first, in plain text."""

    case_id: int
    interviews: list[Interview] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)


KEYS_SQL = "SELECT case_id, kek_id, wrapped FROM claim_data_key WHERE case_id = ANY(%s::bigint[])"
# One statement per table, in the order read_claim_records_many maps them.
RECORDS_SQL = (
    "SELECT case_id, id, mode, held_at, language, interpreter, summary, interviewer,"
    " created_at FROM interview_record WHERE case_id = ANY(%s::bigint[]) ORDER BY id",
    "SELECT case_id, id, grounds, credibility, analysis, recommendation, assessor,"
    " created_at FROM eligibility_assessment WHERE case_id = ANY(%s::bigint[]) ORDER BY id",
    "SELECT case_id, id, instance, outcome, reasons, decided_by, decided_at"
    " FROM case_decision WHERE case_id = ANY(%s::bigint[]) ORDER BY id",
    "SELECT case_id, id, grounds, filed_by, filed_at FROM claim_appeal"
    " WHERE case_id = ANY(%s::bigint[]) ORDER BY id",
)


async def fetch_pipelined(
    conn: AsyncConnection[Any], statements: Sequence[str], ids: list[int]
) -> list[list[Any]]:
    """Each statement's rows for ``ids`` by column name, sent together (one round trip:
    pipeline mode)."""
    async with conn.pipeline():
        cursors = [
            await conn.cursor(row_factory=dict_row).execute(sql, (ids,)) for sql in statements
        ]
    return [await cursor.fetchall() for cursor in cursors]


def _opener(keys: list[dict[str, Any]]) -> Callable[[int, bytes, str], str]:
    """Opens a sealed value of a case with its key, from the rows of ``KEYS_SQL``."""
    by_case = {k["case_id"]: key_from_row(**k) for k in keys}
    return lambda case_id, blob, name: open_value(by_case.get(case_id), blob, name)


def opened_fields(
    row: dict[str, Any], opened: Callable[[int, bytes, str], str], **sealed: str
) -> dict[str, Any]:
    """The row's columns but ``case_id``, each one in ``sealed`` (column: the name bound
    into its sealed value) opened."""
    case_id = row["case_id"]
    fields = {column: value for column, value in row.items() if column != "case_id"}
    fields.update({column: opened(case_id, row[column], name) for column, name in sealed.items()})
    return fields


async def read_claim_records_many(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, ClaimRecords]:
    """The claim records of each case (by case id; a case with none has empty lists)."""
    ids = sorted(set(case_ids))
    out = {case_id: ClaimRecords(case_id) for case_id in ids}
    if not ids:
        return out
    keys, interviews, assessments, decisions, appeals = await fetch_pipelined(
        conn, (KEYS_SQL, *RECORDS_SQL), ids
    )
    opened = _opener(keys)
    for r in interviews:
        fields = opened_fields(r, opened, summary=INTERVIEW_SUMMARY)
        out[r["case_id"]].interviews.append(Interview(**fields))
    for r in assessments:
        fields = opened_fields(
            r,
            opened,
            grounds=ASSESSMENT_GROUNDS,
            credibility=ASSESSMENT_CREDIBILITY,
            analysis=ASSESSMENT_ANALYSIS,
            recommendation=ASSESSMENT_RECOMMENDATION,
        )
        fields["grounds"] = list(json.loads(fields["grounds"]))
        out[r["case_id"]].assessments.append(Assessment(**fields))
    for r in decisions:
        fields = opened_fields(r, opened, reasons=DECISION_REASONS)
        out[r["case_id"]].decisions.append(Decision(**fields))
    for r in appeals:
        out[r["case_id"]].appeals.append(Appeal(**opened_fields(r, opened, grounds=APPEAL_GROUNDS)))
    return out


async def read_claim_records(conn: AsyncConnection[Any], case_id: int) -> ClaimRecords:
    """One case's claim records, opened."""
    return (await read_claim_records_many(conn, [case_id]))[case_id]


async def read_history_reasons(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, str]:
    """The sealed reasons of the status history (decisions), opened, by status_change id.
    Other history entries keep their reason in plain ``status_change.reason``."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    keys, rows = await fetch_pipelined(
        conn,
        (
            KEYS_SQL,
            "SELECT case_id, id, sealed_reason FROM status_change"
            " WHERE case_id = ANY(%s::bigint[]) AND sealed_reason IS NOT NULL",
        ),
        ids,
    )
    opened = _opener(keys)
    return {r["id"]: opened(r["case_id"], r["sealed_reason"], STATUS_REASON) for r in rows}
