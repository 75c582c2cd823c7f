"""Identity and access records: applicant self-service accounts and the access log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ApplicantAccount(Base):
    """Self-service credentials of an applicant (activated with the code given at filing)."""

    __tablename__ = "applicant_account"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    login: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    activation_code_hash: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # services/accounts.py: codes expire, a reset code is single-use, failures lock a while
    activation_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reset_code_hash: Mapped[str | None] = mapped_column(Text)
    reset_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApplicantMessage(Base):
    """A message to an applicant (e-mail or SMS) waiting for the commission's mail/SMS
    gateway: password-reset codes. Not in the write log (it carries the code)."""

    __tablename__ = "applicant_message"
    __table_args__ = (CheckConstraint("channel IN ('email', 'sms')", name="channel"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccessLogEntry(Base):
    """One append-only, hash-chained entry: who read or changed whose data, and why.

    ``entry_hash`` = SHA-256 over the previous entry's hash and this entry's canonical
    content, so altering or removing a past entry breaks every hash after it. The log is
    several chains (``chain``; ``seq`` is the entry's 1-based position in it): each hub
    instance appends to chains it leases (``AccessChain``), so no lock is shared.
    """

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_persons", "person_ids", postgresql_using="gin"),
        Index("ix_access_log_chain_seq", "chain", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    chain: Mapped[str] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    client_id: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str | None] = mapped_column(String(32))
    operation: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(8))  # read | write
    person_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    categories: Mapped[list[str]] = mapped_column(ARRAY(Text))
    changes: Mapped[dict[str, object] | None] = mapped_column(JSONB)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary)
    entry_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)


class AccessChain(Base):
    """One chain of the access log and its lease: the instance (``lease_owner``) that may
    append to it until ``lease_until``, and its head (entries, last hash). An append
    advances the head with a compare-and-set on this row, so two writers never extend one
    chain; a chain whose lease ran out (its instance died or froze) is taken over by
    another. Rows are never deleted (a trigger; see migration 0016)."""

    __tablename__ = "access_chain"

    chain_id: Mapped[str] = mapped_column(Text, primary_key=True)
    entries: Mapped[int] = mapped_column(BigInteger, server_default="0")
    head_hash: Mapped[bytes] = mapped_column(LargeBinary)
    lease_owner: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("'-infinity'")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    taken_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WriteChange(Base):
    """A row a request's mutation changed, staged by a trigger until the request's write
    entry takes it into the access log (and removes it here, in the same transaction).

    Rows are captured only while the connection names a request (``qhub.request``);
    ``before``/``after`` hold the changed columns only, with secrets, templates and
    bulky values left out (``qhub_redact_row``).
    """

    __tablename__ = "write_change"
    __table_args__ = (Index("ix_write_change_request", "request_key"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    request_key: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    table_name: Mapped[str] = mapped_column(Text)
    operation: Mapped[str] = mapped_column(String(8))
    row_key: Mapped[dict[str, object]] = mapped_column(JSONB)
    before: Mapped[dict[str, object] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, object] | None] = mapped_column(JSONB)
