"""Bulk writes of an import: COPY into a table inside the run's transaction (an import
writes tens of thousands of provenance values; one INSERT per batch of them was most of
the run's time)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection


async def copy_rows(
    conn: AsyncConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY ``rows`` into ``table`` on the connection's own transaction (psycopg)."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    async with driver.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            await copy.write_row(row)
