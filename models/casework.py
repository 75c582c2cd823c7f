"""Case work records: online pre-registration requests (idempotency)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class PreRegistrationRequest(Base):
    """One accepted online submission: a retried submission with the same key returns the
    same case, never a second one."""

    __tablename__ = "pre_registration_request"

    idempotency_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    client_address: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    case_number: Mapped[int] = mapped_column(BigInteger)
