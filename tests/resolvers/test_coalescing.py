"""Lookups of many requests share one statement; each caller still gets its own value, its
own error, and its own cancellation.

The connection here is a stand-in object: what is under test is the scheduling (which keys
go out together, who gets what); the statements themselves are tested against PostgreSQL
in tests/hub/test_migration_view.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from resolvers.coalescing import Coalescer


class Database:
    """Records each batch; a batch can be held open until ``release`` is set."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.connections = 0
        self.release = asyncio.Event()
        self.release.set()
        self.fail_next: Exception | None = None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[object]:
        self.connections += 1
        yield object()

    async def fetch(self, conn: object, keys: list[str]) -> list[str]:
        self.batches.append(list(keys))
        await self.release.wait()
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        return [f"value of {key}" for key in keys]


def held(in_flight: int = 2) -> tuple[Database, Coalescer[str, str]]:
    """A coalescer over a database whose statements wait until ``release`` is set."""
    db = Database()
    db.release.clear()
    return db, Coalescer(db.connection, db.fetch, in_flight=in_flight)


async def test_lookups_made_together_go_out_in_one_statement() -> None:
    # Given 50 requests asking at the same moment
    db = Database()
    coalescer = Coalescer(db.connection, db.fetch)
    # When they ask
    values = await asyncio.gather(*(coalescer.get(f"k{i}") for i in range(50)))
    # Then one statement (one connection) answered all of them, each with its own value
    assert db.batches == [[f"k{i}" for i in range(50)]]
    assert db.connections == 1
    assert values == [f"value of k{i}" for i in range(50)]


async def test_a_lone_lookup_goes_out_at_once() -> None:
    db = Database()
    coalescer = Coalescer(db.connection, db.fetch)
    assert await asyncio.wait_for(coalescer.get("solo"), timeout=5) == "value of solo"
    assert db.batches == [["solo"]]


async def test_lookups_arriving_during_a_statement_go_out_together_in_the_next() -> None:
    # Given one statement in flight (and no second one allowed)
    db, coalescer = held(in_flight=1)
    first = asyncio.ensure_future(coalescer.get("a"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    # When three more arrive while it runs
    later = [asyncio.ensure_future(coalescer.get(k)) for k in ("b", "c", "d")]
    await asyncio.sleep(0)
    db.release.set()
    # Then they wait for it and go out in one statement after it
    assert await first == "value of a"
    assert [await f for f in later] == ["value of b", "value of c", "value of d"]
    assert db.batches == [["a"], ["b", "c", "d"]]


async def test_a_burst_is_split_at_the_batch_limit() -> None:
    db = Database()
    coalescer = Coalescer(db.connection, db.fetch, in_flight=1, max_batch=4)
    values = await asyncio.gather(*(coalescer.get(str(i)) for i in range(10)))
    assert [len(batch) for batch in db.batches] == [4, 4, 2]
    assert values == [f"value of {i}" for i in range(10)]


async def test_a_failed_statement_fails_its_callers_only() -> None:
    # Given a statement that fails (the database refused it)
    db = Database()
    coalescer = Coalescer(db.connection, db.fetch)
    db.fail_next = RuntimeError("se cayó la conexión")
    results = await asyncio.gather(coalescer.get("x"), coalescer.get("y"), return_exceptions=True)
    # Then both of its callers get the error...
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert str(results[0]) == "se cayó la conexión"
    # ...and the next lookup runs normally
    assert await coalescer.get("z") == "value of z"
    assert db.batches == [["x", "y"], ["z"]]


async def test_a_cancelled_caller_does_not_cancel_the_others_statement() -> None:
    # Given three callers in one statement that is still running
    db, coalescer = held()
    callers = [asyncio.ensure_future(coalescer.get(k)) for k in ("p", "q", "r")]
    await asyncio.sleep(0.01)
    assert db.batches == [["p", "q", "r"]]
    # When one of them is cancelled (its deadline passed, its client left)
    callers[1].cancel()
    db.release.set()
    # Then the other two still get their values
    assert await callers[0] == "value of p"
    assert await callers[2] == "value of r"
    with pytest.raises(asyncio.CancelledError):
        await callers[1]


async def test_a_caller_cancelled_before_its_statement_is_not_looked_up() -> None:
    db, coalescer = held(in_flight=1)
    first = asyncio.ensure_future(coalescer.get("a"))
    await asyncio.sleep(0.01)
    gone = asyncio.ensure_future(coalescer.get("gone"))
    kept = asyncio.ensure_future(coalescer.get("kept"))
    await asyncio.sleep(0)
    gone.cancel()
    db.release.set()
    assert (await first, await kept) == ("value of a", "value of kept")
    assert db.batches == [["a"], ["kept"]]


async def test_a_fetch_that_answers_the_wrong_number_of_rows_answers_nobody() -> None:
    async def short(conn: object, keys: list[str]) -> list[str]:
        return keys[:-1]

    db = Database()
    coalescer = Coalescer(db.connection, short)
    results = await asyncio.gather(coalescer.get("a"), coalescer.get("b"), return_exceptions=True)
    assert [str(r) for r in results] == ["1 values for 2 keys", "1 values for 2 keys"]
