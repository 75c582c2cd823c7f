"""The protection status of a person's linked family members (``family.protection``: the
Migration Office reads it, ACCESS-POLICY.md): for each person, the other members of their
cases, with the relationship and whether each is protected from removal. Each entry
carries the member's own row scope, so a read is logged against that member alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from auth.policy import RowScope
from services.protection import ProtectionRecord, protection_of_persons


@dataclass(slots=True)
class LinkedMember:
    person_id: int
    relationship: str  # the member's relationship in the shared case
    protection: ProtectionRecord
    row_scope: RowScope

    @property
    def protected(self) -> bool:
        return self.protection.protected

    @property
    def basis(self) -> str | None:
        return self.protection.basis

    @property
    def since(self) -> Any:
        return self.protection.since


async def linked_members(
    conn: AsyncConnection[Any], person_ids: Sequence[int]
) -> dict[int, list[LinkedMember]]:
    """The other members of each person's cases (each member once, by id), with their
    protection; two statements whatever the number of persons."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = await (
        await conn.execute(
            "SELECT DISTINCT ON (me.person_id, other.person_id) me.person_id,"
            " other.person_id, other.relationship"
            " FROM case_member me JOIN case_member other"
            "   ON other.case_id = me.case_id AND other.person_id <> me.person_id"
            " WHERE me.person_id = ANY(%(ids)s::bigint[])"
            " ORDER BY me.person_id, other.person_id, other.case_id",
            {"ids": ids},
        )
    ).fetchall()
    statuses = await protection_of_persons(conn, sorted({other for _, other, _ in rows}))
    out: dict[int, list[LinkedMember]] = {i: [] for i in ids}
    for me, other, relationship in rows:
        record = statuses[other]
        out[me].append(LinkedMember(other, relationship, record, record.row_scope))
    return out
