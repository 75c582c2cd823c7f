"""The photo taken at biometric enrolment (``enrolBiometrics(photo:)``), for the persons
an officer compares or identifies. A photograph is ``identity`` data (ACCESS-POLICY.md):
the GraphQL layer checks each person's row condition before it calls this."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection


def data_url(photo: bytes) -> str:
    """The photo as a ``data:`` URL an ``<img>`` shows (JPEG or PNG, as enrolment took it)."""
    kind = "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(photo).decode()}"


async def photos_by_review(
    conn: AsyncConnection[Any], review_ids: Sequence[int]
) -> list[str | None]:
    """The photo taken at the enrolment that raised each possible-duplicate review."""
    rows = await (
        await conn.execute(
            "SELECT id, photo FROM possible_duplicate WHERE id = ANY(%s) AND photo IS NOT NULL",
            (list(set(review_ids)),),
        )
    ).fetchall()
    found = {r[0]: data_url(bytes(r[1])) for r in rows}
    return [found.get(i) for i in review_ids]


async def photos_by_person(
    conn: AsyncConnection[Any], person_ids: Sequence[int]
) -> list[str | None]:
    """Each person's enrolment photo as a data URL, or None (one statement)."""
    rows = await (
        await conn.execute(
            "SELECT person_id, photo FROM biometric_enrolment"
            " WHERE person_id = ANY(%s) AND photo IS NOT NULL",
            (list(set(person_ids)),),
        )
    ).fetchall()
    found = {r[0]: data_url(bytes(r[1])) for r in rows}
    return [found.get(p) for p in person_ids]
