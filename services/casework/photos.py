"""The photo taken at biometric enrolment (``enrolBiometrics(photo:)``), for the persons
an officer compares or identifies. A photograph is ``identity`` data (ACCESS-POLICY.md):
the GraphQL layer checks each person's row condition before it calls this.

A photo may be up to 2 MiB, so the photos of one level of a query are bounded together
(``MAX_BATCH_BYTES``): PostgreSQL adds up their sizes in the same statement and sends
none of them when the sum is over, and the caller is told to ask for fewer persons.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection

from services.errors import DomainError

MAX_BATCH_BYTES = 24 * 1024 * 1024


def data_url(photo: bytes) -> str:
    """The photo as a ``data:`` URL an ``<img>`` shows (JPEG or PNG, as enrolment took it)."""
    kind = "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(photo).decode()}"


async def _bounded(conn: AsyncConnection[Any], sql: str, keys: Sequence[int]) -> dict[int, str]:
    rows = await (
        await conn.execute(
            "SELECT k, CASE WHEN sum(octet_length(p)) OVER () <= %s THEN p END,"
            f" sum(octet_length(p)) OVER () FROM ({sql}) s(k, p)",
            (MAX_BATCH_BYTES, list(set(keys))),
        )
    ).fetchall()
    if rows and rows[0][2] > MAX_BATCH_BYTES:
        raise DomainError(
            f"Las fotografías pedidas suman {rows[0][2] // (1024 * 1024)} MiB en una sola"
            f" consulta (máximo {MAX_BATCH_BYTES // (1024 * 1024)} MiB): pida menos personas"
            " a la vez.",
            "TOO_MANY_PHOTOS",
        )
    return {r[0]: data_url(bytes(r[1])) for r in rows}


async def photos_by_review(
    conn: AsyncConnection[Any], review_ids: Sequence[int]
) -> list[str | None]:
    """The photo taken at the enrolment that raised each possible-duplicate review."""
    found = await _bounded(
        conn,
        "SELECT id, photo FROM possible_duplicate WHERE id = ANY(%s) AND photo IS NOT NULL",
        review_ids,
    )
    return [found.get(i) for i in review_ids]


async def photos_by_person(
    conn: AsyncConnection[Any], person_ids: Sequence[int]
) -> list[str | None]:
    """Each person's enrolment photo as a data URL, or None (one statement)."""
    found = await _bounded(
        conn,
        "SELECT person_id, photo FROM biometric_enrolment"
        " WHERE person_id = ANY(%s) AND photo IS NOT NULL",
        person_ids,
    )
    return [found.get(p) for p in person_ids]
