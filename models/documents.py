"""Documents people carry: work permits (and, later, asylum-seeker cards)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, check_in

PERMIT_STATUSES = ("active", "revoked", "replaced")


class WorkPermit(Base):
    """An issued work permit: what was signed (bytes and hash) and its current status."""

    __tablename__ = "work_permit"
    __table_args__ = (
        CheckConstraint(check_in("status", PERMIT_STATUSES), name="status"),
        CheckConstraint("valid_to >= valid_from", name="validity"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    replaced_by: Mapped[str | None] = mapped_column(ForeignKey("work_permit.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    issued_by: Mapped[str] = mapped_column(Text)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class AsylumCard(Base):
    """An issued asylum-seeker card: no expiry; active until revoked or replaced."""

    __tablename__ = "asylum_card"
    __table_args__ = (CheckConstraint(check_in("status", PERMIT_STATUSES), name="status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    replaced_by: Mapped[str | None] = mapped_column(ForeignKey("asylum_card.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    issued_by: Mapped[str] = mapped_column(Text)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
