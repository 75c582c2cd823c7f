"""The Starlette application factory. Areas contribute routes through ``ROUTE_MODULES``."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from hub.db import create_engine, sessionmaker
from hub.readpool import open_pool
from hub.settings import Settings, get_settings
from hub.state import HubState

# One line per module; each exposes ``routes() -> list[BaseRoute]`` and may expose
# ``async def startup(state: HubState) -> None`` / ``async def shutdown(state) -> None``.
ROUTE_MODULES = [
    "hub.routes_health",
    "hub.routes_auth",
    "hub.routes_graphql",
    "hub.routes_statistics",
    "hub.routes_documents",
    "hub.routes_console",
    "hub.routes_webhooks",
    "hub.routes_exports",
]


def create_app(database_url: str, settings: Settings | None = None) -> Starlette:
    """Build the hub for a database that is already migrated."""
    settings = settings or get_settings()
    modules = [importlib.import_module(name) for name in ROUTE_MODULES]
    routes: list[BaseRoute] = []
    # /graphql first: the router tries routes in order, and nearly every request is there.
    for module in sorted(modules, key=lambda m: m.__name__ != "hub.routes_graphql"):
        routes.extend(module.routes())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(database_url, settings)
        state = HubState(
            settings=settings,
            database_url=database_url,
            engine=engine,
            sessions=sessionmaker(engine),
        )
        state.pool = await open_pool(database_url, settings)
        app.state.hub = state
        for module in modules:
            hook: Callable[[HubState], Awaitable[Any]] | None = getattr(module, "startup", None)
            if hook is not None:
                await hook(state)
        try:
            yield
        finally:
            for module in reversed(modules):
                stop: Callable[[HubState], Awaitable[Any]] | None = getattr(
                    module, "shutdown", None
                )
                if stop is not None:
                    await stop(state)
            await state.pool.close()
            await engine.dispose()

    return Starlette(routes=routes, lifespan=lifespan)


def app_from_environment() -> Starlette:
    """The hub for ``QHUB_DATABASE_URL`` (uvicorn's factory when it runs several workers)."""
    settings = get_settings()
    if not settings.database_url:
        raise RuntimeError("QHUB_DATABASE_URL no está definido.")
    return create_app(settings.database_url, settings)


async def prime(app: Starlette) -> None:
    """Start and stop ``app`` once, so files made on first start (signing keys, the
    documents CA, the pseudonym key) exist before several workers start at once."""
    async with app.router.lifespan_context(app):
        pass
