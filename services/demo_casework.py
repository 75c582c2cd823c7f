"""The demo data's case work, as the casework services would leave it: the rule version
in force with each open case's priority and assignment records, and cases already
assessed (interview and assessment sealed under each case's data key, as
``services.sealing`` requires), waiting for the Executive Secretary's decision with the
eligibility officer's recommendation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import Connection

from services.casework import claim_records as claim
from services.casework.assignment import CHILD_CATEGORIES
from services.sealing import CaseKey, keyring

ASSESSED_PER_OFFICE = 2

# (interview summary, grounds, credibility, analysis, recommendation), in turn
ASSESSMENTS: tuple[tuple[str, list[str], str, str, str], ...] = (
    (
        "Relata amenazas de un grupo armado que cobra cupos en su barrio y el asesinato de"
        " su hermano; presenta la denuncia policial y recortes de prensa.",
        ["social_group"],
        "Relato coherente, detallado y consistente con la información del país de origen.",
        "Temor fundado de persecución por pertenencia a un grupo social (comerciantes"
        " extorsionados); el Estado no brinda protección efectiva.",
        "recognise",
    ),
    (
        "Declara que salió de su país por la falta de empleo y para reunirse con familiares"
        " en Lima; no refiere amenazas ni persecución.",
        [],
        "Relato coherente, sin elementos de persecución.",
        "Motivos económicos y de reunificación familiar: no se configuran los elementos de"
        " la definición de refugiado ni de la definición ampliada.",
        "reject",
    ),
)


def write_priorities(
    conn: Connection[Any],
    rules: dict[str, Any],
    priority_rows: list[tuple[Any, ...]],
    assignment_rows: list[tuple[Any, ...]],
) -> None:
    """The rule version in force, each open case's score with its reasons, and the
    assignment record of every assigned case (as the casework services would leave them)."""
    conn.execute(
        "INSERT INTO priority_rule_set (version, rules, active, created_by)"
        " VALUES (%s, %s, true, 'demo') ON CONFLICT (version) DO NOTHING",
        (rules["version"], json.dumps(rules)),
    )
    copy_rows(
        conn,
        "case_priority",
        ["case_id", "score", "rule_version", "reasons", "computed_at"],
        priority_rows,
    )
    copy_rows(
        conn,
        "case_assignment",
        ["case_id", "officer_id", "rule_version", "reason", "actor", "at"],
        assignment_rows,
    )


def copy_rows(
    conn: Connection[Any], table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _new_case_key(conn: Connection[Any], case_id: int) -> CaseKey:
    """A fresh data key for the case, stored wrapped under the current KEK."""
    ring = keyring()
    kek_id = ring.current()
    data_key = AESGCM.generate_key(bit_length=256)
    conn.execute(
        "INSERT INTO claim_data_key (case_id, kek_id, wrapped) VALUES (%s, %s, %s)",
        (case_id, kek_id, ring.wrap(kek_id, data_key, case_id)),
    )
    return CaseKey(case_id, AESGCM(data_key))


def assess_demo_cases(conn: Connection[Any], now: datetime) -> list[int]:
    """Give the ``ASSESSED_PER_OFFICE`` most recently filed assigned cases under review of
    each office (the top of the Secretary's list) an interview and an assessment by their
    officer (recommendations in turn), so the Secretary has cases waiting for a decision
    with a recommendation; their numbers."""
    cases = conn.execute(
        "SELECT id, number, username FROM (SELECT c.id, c.number, o.username,"
        " row_number() OVER (PARTITION BY c.office_id ORDER BY c.filing_date DESC, c.id DESC)"
        " AS k"
        " FROM case_file c JOIN officer o ON o.id = c.assigned_officer_id"
        " WHERE c.status = 'under_review') s WHERE k <= %s ORDER BY number",
        (ASSESSED_PER_OFFICE,),
    ).fetchall()
    for turn, (case_id, _, officer) in enumerate(cases):
        summary, grounds, credibility, analysis, recommendation = ASSESSMENTS[turn % 2]
        key = _new_case_key(conn, case_id)
        actor = f"cepr:cepr-eligibility:{officer}"
        conn.execute(
            "INSERT INTO interview_record (case_id, mode, held_at, summary, language,"
            " interviewer, created_at) VALUES (%s, 'in_person', %s, %s, 'spa', %s, %s)",
            (
                case_id,
                now - timedelta(days=3),
                key.seal(summary, claim.INTERVIEW_SUMMARY),
                actor,
                now - timedelta(days=3, hours=-2),
            ),
        )
        conn.execute(
            "INSERT INTO eligibility_assessment (case_id, grounds, credibility, analysis,"
            " recommendation, assessor, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                case_id,
                key.seal(json.dumps(grounds), claim.ASSESSMENT_GROUNDS),
                key.seal(credibility, claim.ASSESSMENT_CREDIBILITY),
                key.seal(analysis, claim.ASSESSMENT_ANALYSIS),
                key.seal(recommendation, claim.ASSESSMENT_RECOMMENDATION),
                actor,
                now - timedelta(days=1),
            ),
        )
    return [number for _, number, _ in cases]


def respect_profiles(
    case_rows: list[tuple[Any, ...]],
    assignment_rows: list[tuple[Any, ...]],
    need_rows: list[tuple[Any, ...]],
    need_categories: dict[str, str],
    officers: list[tuple[Any, ...]],
) -> None:
    """Leave unassigned (in place) the demo's cases with a child's need whose drawn officer
    does not work with children, as the assignment rule would (a supervisor then sees
    why automatic assignment cannot take them: no officer of that profile)."""
    children_officers = {o[0] for o in officers if "children" in str(o[5])}
    child_cases = {
        case_id for case_id, _, code in need_rows if need_categories.get(code) in CHILD_CATEGORIES
    }
    dropped = set()
    for i, row in enumerate(case_rows):
        case_id, assigned = row[0], row[5]
        if assigned is not None and case_id in child_cases and assigned not in children_officers:
            case_rows[i] = (*row[:5], None, *row[6:])
            dropped.add(case_id)
    assignment_rows[:] = [a for a in assignment_rows if a[0] not in dropped]
