"""Published releases of the open statistics (services.statistics): one row per release,
its tables as one flat array of published counts (NULL where a cell is suppressed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, Date, DateTime, Float, Integer, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class StatisticsRelease(Base):
    """A release: every table at one reference date, protected together. Immutable."""

    __tablename__ = "statistics_release"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_date: Mapped[date] = mapped_column(Date, unique=True)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    method: Mapped[str] = mapped_column(Text)
    threshold: Mapped[int] = mapped_column(Integer)
    protection: Mapped[int] = mapped_column(Integer)
    # {"sex": ["F", "M", "X"], ...} and [["sex"], ["sex", "nationality"], ...]
    domains: Mapped[dict[str, Any]] = mapped_column(JSONB)
    tables: Mapped[list[Any]] = mapped_column(JSONB)
    cells: Mapped[list[int | None]] = mapped_column(ARRAY(Integer))
    audit: Mapped[dict[str, Any]] = mapped_column(JSONB)
    build_seconds: Mapped[float] = mapped_column(Float)
