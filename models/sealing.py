"""Sealed claim data: each case's data key, wrapped by a key-encryption key held outside
the database (services.sealing). The claim columns themselves are ``bytea`` in their own
tables (models.casework, models.core)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ClaimDataKey(Base):
    """A case's data key, wrapped (AES-256-GCM, case id as associated data) by KEK ``kek_id``."""

    __tablename__ = "claim_data_key"

    case_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    kek_id: Mapped[str] = mapped_column(String(64), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    rewrapped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
