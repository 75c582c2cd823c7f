"""State the hub instances of one deployment share (issue 18): the counters of the
pre-registration rate limit (services.casework.rate_window), one row per key and minute
(unlogged: counters need no crash safety, and skipping the WAL keeps each request's one
UPSERT cheap); the texts of automatic persisted queries (hub.graphql.persisted_queries)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RateWindow(Base):
    """How many requests one key (scope and client address) made in one fixed window."""

    __tablename__ = "rate_window"
    __table_args__ = {"prefixes": ["UNLOGGED"]}  # noqa: RUF012

    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)


class PersistedQuery(Base):
    """A GraphQL text registered by its SHA-256 (Apollo APQ) on any instance."""

    __tablename__ = "persisted_query"

    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
