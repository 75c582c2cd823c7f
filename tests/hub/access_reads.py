"""The read entries an operation left in the access log (tests of issue 12)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def reads_logged(
    engine: AsyncEngine, operation: str, who: Literal["role", "agency"] = "role"
) -> list[tuple[str, list[str], list[int]]]:
    """(role or agency, categories, person ids) of each read entry of ``operation``,
    oldest first, lists sorted."""
    column = {"role": "role", "agency": "agency"}[who]
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    f"SELECT {column}, categories, person_ids FROM access_log"
                    " WHERE operation = :o AND action = 'read' ORDER BY id"
                ),
                {"o": operation},
            )
        ).all()
    return [(r[0], sorted(r[1]), sorted(r[2])) for r in rows]
