"""The request context gives its connection back only once no resolver uses it, and a
resolver that runs after the request ended gets none (graphql-core lets the siblings of a
failed non-null field run on after the answer is complete)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Agency, Principal, Role
from hub.readpool import libpq_url
from hub.settings import load_settings
from hub.state import HubState
from resolvers.context import RequestContext, RequestFinished

REGISTRAR = Principal(role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="LIM")


@pytest.fixture
async def hub_state(database_url: str, engine: AsyncEngine) -> AsyncIterator[HubState]:
    """A hub whose pool holds one connection: whether it is free says who holds it."""
    state = HubState(load_settings(), database_url, engine)
    state.pool = AsyncConnectionPool(libpq_url(database_url), min_size=1, max_size=1, open=False)
    await state.pool.open(wait=True)
    yield state
    await state.pool.close()


async def in_use(state: HubState) -> int:
    """1 when the pool's one connection is leased, else 0."""
    try:
        async with state.pool.connection(timeout=0.2):
            return 0
    except PoolTimeout:
        return 1


async def test_close_waits_for_a_resolver_still_running_and_later_ones_get_no_connection(
    hub_state: HubState,
) -> None:
    # Given a request whose resolver is in the middle of a statement
    before = 0
    assert await in_use(hub_state) == 0
    ctx = RequestContext(hub_state, REGISTRAR)
    started, finish = asyncio.Event(), asyncio.Event()

    async def slow(conn: Any) -> int:
        started.set()
        await finish.wait()
        row = await (await conn.execute("SELECT 1")).fetchone()
        return int(row[0])

    running = asyncio.create_task(ctx.run(slow))
    await started.wait()
    # When the request ends meanwhile
    closing = asyncio.create_task(ctx.close())
    await asyncio.sleep(0.05)
    # Then the connection is not given back under the running statement
    assert not closing.done()
    assert await in_use(hub_state) == before + 1
    finish.set()
    assert await running == 1
    await closing
    assert await in_use(hub_state) == before
    # and a resolver that runs after the end is refused without leasing a connection
    with pytest.raises(RequestFinished):
        await ctx.run(slow)
    assert await in_use(hub_state) == before


async def test_a_request_cancelled_while_closing_still_gives_its_connection_back(
    hub_state: HubState,
) -> None:
    # Given a request holding a connection
    before = 0
    assert await in_use(hub_state) == 0
    ctx = RequestContext(hub_state, REGISTRAR)
    await ctx.run(lambda conn: conn.execute("SELECT 1"))
    assert await in_use(hub_state) == before + 1
    # When the task closing it is cancelled (a request deadline) right away
    closing = asyncio.create_task(ctx.close())
    await asyncio.sleep(0)
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    # Then the connection still goes back
    for _ in range(20):
        if await in_use(hub_state) == before:
            break
    assert await in_use(hub_state) == before


async def test_a_finished_request_and_what_it_loaded_are_freed_without_the_cyclic_collector(
    hub_state: HubState, engine: AsyncEngine
) -> None:
    """Its loaders hold the context weakly: a cycle between them kept every record a case
    list loaded (~1,800 objects) until the cyclic collector ran, a third of the request."""
    import gc
    import weakref

    from tests.factories import make_cases

    made = (await make_cases(engine, 1, family_size=2))[0]
    # Given a request that loaded persons through its loaders, with the collector off
    ctx = RequestContext(hub_state, REGISTRAR)
    gc.collect()
    gc.disable()
    try:
        persons = await ctx.loaders.person.many(list(made.person_ids))
        assert [p.id for p in persons if p is not None] == list(made.person_ids)
        loader = weakref.ref(ctx.loaders.person)  # it holds every record it loaded
        context = weakref.ref(ctx)
        await ctx.close()
        # When the request lets go of them
        del ctx, persons
        # Then reference counting alone frees the context and the records it loaded
        assert (context(), loader()) == (None, None)
    finally:
        gc.enable()


async def test_a_request_that_leased_nothing_closes_at_once_and_refuses_later_work(
    hub_state: HubState,
) -> None:
    # Given a request that never needed its connection (its lookups were shared)
    ctx = RequestContext(hub_state, REGISTRAR)
    # When it ends
    await ctx.close()
    # Then a resolver running after it gets no connection, and none is leased
    with pytest.raises(RequestFinished):
        await ctx.run(lambda conn: conn.execute("SELECT 1"))
    with pytest.raises(RequestFinished):
        await ctx.lookup(lambda conn, keys: conn.execute("SELECT 1"), 1)
    assert await in_use(hub_state) == 0
