"""The records the hub already holds, as the linkage compares them: the rows of earlier
imports, and the persons registered otherwise (with a document and a case number)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.importing.linkage import LinkRecord
from services.importing.run_model import UNKNOWN_BIRTH_DATE, UNKNOWN_NATIONALITY


def link_record(
    uid: str, v: dict[str, Any], person_id: int | None, source: str | None = None
) -> LinkRecord:
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
        source=source,
    )


async def known_link_records(conn: AsyncConnection) -> list[LinkRecord]:
    """Every earlier imported row with its person, and every person not from an import."""
    link: list[LinkRecord] = []
    earlier = await conn.execute(
        text(
            "SELECT id, person_id, \"values\" FROM import_row WHERE status = 'imported' "
            "AND person_id IS NOT NULL"
        )
    )
    for erow in earlier:
        row_id, person_id, values = erow
        link.append(link_record(f"r{row_id}", values, person_id))
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
            link_record(
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
    return link
