"""A case's claim as it is shown: the records opened by ``claim_records`` (issue 17's
plaintext helpers), shaped for reading, and the applicant's decision letters. The policy
(``claim`` read: assigned eligibility officer, supervisors, the Secretary;
``claim.decision_letter``: the applicant, self) is checked and the read logged by the
GraphQL layer before these run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from services.casework.claim_records import read_claim_records_many


@dataclass(frozen=True)
class ClaimFileView:
    interviews: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    appeals: list[dict[str, Any]]


async def claim_files(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, ClaimFileView]:
    """Every case's claim records, oldest first (one round trip for all the cases)."""
    records = await read_claim_records_many(conn, case_ids)
    return {
        case_id: ClaimFileView(
            [
                {
                    "mode": i.mode,
                    "held_at": i.held_at,
                    "language": i.language,
                    "interpreter": i.interpreter,
                    "summary": i.summary,
                    "interviewer": i.interviewer,
                    "recorded_at": i.created_at,
                }
                for i in r.interviews
            ],
            [
                {
                    "grounds": a.grounds,
                    "credibility": a.credibility,
                    "analysis": a.analysis,
                    "recommendation": a.recommendation,
                    "assessor": a.assessor,
                    "recorded_at": a.created_at,
                }
                for a in r.assessments
            ],
            [_decision(d) for d in r.decisions],
            [
                {"grounds": a.grounds, "filed_by": a.filed_by, "filed_at": a.filed_at}
                for a in r.appeals
            ],
        )
        for case_id, r in records.items()
    }


def _decision(d: Any) -> dict[str, Any]:
    return {
        "instance": d.instance,
        "outcome": d.outcome,
        "reasons": d.reasons,
        "decided_by": d.decided_by,
        "decided_at": d.decided_at,
    }


async def decision_letters(
    conn: AsyncConnection[Any], case_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """The decisions notified on each case (outcome, date, reasons), oldest first: what a
    decision letter tells the applicant; not the assessment, the interviews nor who
    decided."""
    records = await read_claim_records_many(conn, case_ids)
    numbers = dict(
        await (
            await conn.execute(
                "SELECT id, number FROM case_file WHERE id = ANY(%s::bigint[])",
                (sorted(records),),
            )
        ).fetchall()
    )
    return {
        case_id: [
            {
                "case_number": numbers.get(case_id),
                "instance": d.instance,
                "outcome": d.outcome,
                "reasons": d.reasons,
                "decided_at": d.decided_at,
            }
            for d in r.decisions
        ]
        for case_id, r in records.items()
    }
