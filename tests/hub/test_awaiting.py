"""The plan executor's waiting gives what ``asyncio.gather(..., return_exceptions=True)`` and
graphql-core's ``is_awaitable`` give, with less work (hub/graphql/awaiting.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from hub.graphql.awaiting import AwaitableTypes, gather_all


async def _value(value: object) -> object:
    await asyncio.sleep(0)
    return value


async def _fail(message: str) -> object:
    await asyncio.sleep(0)
    raise ValueError(message)


async def test_one_or_many_awaitables_give_their_values_and_errors_in_order() -> None:
    (alone,) = await gather_all([_value(1)])
    assert alone == 1
    (failed,) = await gather_all([_fail("no")])
    assert isinstance(failed, ValueError) and str(failed) == "no"
    many = await gather_all([_value("a"), _fail("b"), _value("c")])
    assert many[0] == "a" and isinstance(many[1], ValueError) and many[2] == "c"
    assert await gather_all([]) == []


async def test_a_cancelled_lone_awaitable_cancels_the_wait() -> None:
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.Event().wait()

    waiting = asyncio.ensure_future(gather_all([forever()]))
    await started.wait()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting


@dataclass(slots=True)
class Record:
    id: int


async def test_awaitability_is_that_of_graphql_core_per_type() -> None:
    types = AwaitableTypes()
    coroutine = _value(1)
    future = asyncio.get_running_loop().create_future()
    future.set_result(None)
    assert [types.test(v) for v in (Record(1), Record(2), [1], None, "x")] == [False] * 5
    assert types.test(coroutine) and types.test(future)
    coroutine.close()
