"""What the running hub holds for its lifetime: settings, engine, schemas, keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.settings import Settings


@dataclass
class HubState:
    settings: Settings
    database_url: str
    # SQLAlchemy: in a serving process, only the import adjudication (services.importing)
    engine: AsyncEngine
    pool: Any = None  # psycopg_pool.AsyncConnectionPool for hot reads (hub.readpool)
    # The statements that lookups of several requests share (resolvers.coalescing);
    # without it (None) each request looks up on its own connection.
    lookup_pool: Any = None
    # Filled by the areas at start-up (schemas per role, key store, ...).
    services: dict[str, Any] = field(default_factory=dict)
