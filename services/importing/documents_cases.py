"""Writing what an import's rows say besides the person: identity documents, cases and
their members and needs, health profiles and consents."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from models.core import Case
from services.importing import normalise as n
from services.importing.records import RowRecord
from services.importing.run_model import UNKNOWN_NATIONALITY, ImportOptions, ImportReport


async def write_documents_cases(
    conn: AsyncConnection,
    valid: list[RowRecord],
    uid_of: dict[int, str],
    person_of_uid: dict[str, int],
    report: ImportReport,
    options: ImportOptions,
) -> None:
    docs: dict[tuple[int, str], dict[str, Any]] = {}
    health: dict[int, dict[str, Any]] = {}
    consents: set[int] = set()
    by_case: dict[int, list[tuple[int, RowRecord]]] = defaultdict(list)
    needs_of: dict[int, set[str]] = defaultdict(set)
    for r in valid:
        pid = person_of_uid[uid_of[id(r)]]  # id-ok: rows of `valid`, alive for the whole run
        v = r.values
        if v.get("doc_number"):
            # the same document twice on one person is stored once, with its stated type
            number = v["doc_number"][:32]
            known = docs.get((pid, number))
            if known is None or known["doc_type"] == "other":
                docs[(pid, number)] = {
                    "person_id": pid,
                    "doc_type": v.get("doc_type") or "other",
                    "number": number,
                    "issuing_country": v.get("nationality") or UNKNOWN_NATIONALITY,
                }
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
            list(docs.values()),
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
        filing = [r.values["filing_date"] for r in rows if r.values.get("filing_date")]
        if not filing:
            # no sheet gives the filing date: the earliest date a sheet recorded for the
            # case, else the import day; either way the report lists the case for review
            filing = [r.values["event_date"] for r in rows if r.values.get("event_date")]
            report.cases_without_filing_date.append(number)
        filing = filing or [today]
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
