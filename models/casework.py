"""Case work records: online pre-registration requests (idempotency), appointment slots,
case assignments, priorities and their rule versions,
biometric enrolments (references only) possible duplicates,
agency webhook subscriptions and the notification outbox, eligibility (interviews,
assessments, decisions, appeals)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, check_in
from models.vocab import AppointmentMode, AppointmentPurpose, values


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


class AppointmentSlot(Base):
    """A bookable time at an office, for one mode and purpose, with a capacity. ``booked``
    never exceeds ``capacity`` (CHECK, and bookings use a conditional UPDATE)."""

    __tablename__ = "appointment_slot"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
        CheckConstraint(check_in("mode", values(AppointmentMode)), name="mode"),
        CheckConstraint(check_in("purpose", values(AppointmentPurpose)), name="purpose"),
        UniqueConstraint("office_id", "starts_at", "mode", "purpose"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    minutes: Mapped[int] = mapped_column(Integer, server_default="30")
    mode: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(32))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, server_default="0")


class SlotBooking(Base):
    """Which slot an appointment holds (one row per booked appointment)."""

    __tablename__ = "slot_booking"

    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), primary_key=True
    )
    slot_id: Mapped[int] = mapped_column(ForeignKey("appointment_slot.id"), index=True)


class CaseAssignment(Base):
    """Each assignment of a case to an eligibility officer, with the rule version applied."""

    __tablename__ = "case_assignment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    previous_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    rule_version: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PriorityRuleSet(Base):
    """One version of the prioritisation rules (immutable); exactly one is active."""

    __tablename__ = "priority_rule_set"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    rules: Mapped[dict[str, object]] = mapped_column(JSONB)
    active: Mapped[bool] = mapped_column(Boolean, server_default="false")
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CasePriority(Base):
    """A case's computed priority with its reasons and rule version, and any override."""

    __tablename__ = "case_priority"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    rule_version: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    override_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[str | None] = mapped_column(Text)
    override_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BiometricEnrolment(Base):
    """A person's enrolment: the matcher's reference to the template (never the template)."""

    __tablename__ = "biometric_enrolment"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    matcher: Mapped[str] = mapped_column(String(32))
    template_ref: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_by: Mapped[str] = mapped_column(Text)
    enrolled_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)  # JPEG/PNG taken at enrolment


class LocalBiometricTemplate(Base):
    """The demo/test matcher's own store: a SimHash fingerprint per reference."""

    __tablename__ = "local_biometric_template"

    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger)


class PossibleDuplicate(Base):
    """A match between two persons raised for review instead of registering twice."""

    __tablename__ = "possible_duplicate"
    __table_args__ = (
        UniqueConstraint("person_id", "matched_person_id"),
        CheckConstraint("status IN ('open', 'duplicate', 'distinct')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    matched_person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    raised_by: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The review: a supervisor decides 'duplicate' or 'distinct', and says why.
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # The last "same person" decision undone (the review open again), by whom and why.
    undone_by: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undo_note: Mapped[str | None] = mapped_column(Text)
    # The photo taken at the enrolment that raised the review (nothing was enrolled), so
    # the reviewer can compare it with the matched person's.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)


class CaseNote(Base):
    """An officer's note on a case (claim data: ``body`` sealed, services.sealing)."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AgencySubscription(Base):
    """An agency's webhook: where to post which events, and the HMAC key to sign them."""

    __tablename__ = "agency_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default="{protection_status_changed}"
    )
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NotificationOutbox(Base):
    """One notification to one subscription, written with the change it reports."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        Index(
            "ix_notification_outbox_due",
            "next_attempt_at",
            postgresql_where=text("delivered_at IS NULL AND dead_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("agency_subscription.id", ondelete="CASCADE")
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dead_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class InterviewRecord(Base):
    """An eligibility interview (claim data; ``summary`` sealed, services.sealing)."""

    __tablename__ = "interview_record"
    __table_args__ = (CheckConstraint(check_in("mode", values(AppointmentMode)), name="mode"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(8))
    interpreter: Mapped[bool] = mapped_column(Boolean, server_default="false")
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    interviewer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EligibilityAssessment(Base):
    """The eligibility officer's assessment and recommendation (claim data, all sealed:
    the grounds as a JSON list, the recommendation as its word)."""

    __tablename__ = "eligibility_assessment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    grounds: Mapped[bytes] = mapped_column(LargeBinary)
    credibility: Mapped[bytes] = mapped_column(LargeBinary)
    analysis: Mapped[bytes] = mapped_column(LargeBinary)
    recommendation: Mapped[bytes] = mapped_column(LargeBinary)
    assessor: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CaseDecision(Base):
    """A decision on the claim with its reasons (first instance or appeal)."""

    __tablename__ = "case_decision"
    __table_args__ = (CheckConstraint("instance IN ('first', 'appeal')", name="instance"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    instance: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[bytes] = mapped_column(LargeBinary)  # sealed
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ClaimAppeal(Base):
    """An appeal against a first-instance rejection."""

    __tablename__ = "claim_appeal"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    grounds: Mapped[bytes] = mapped_column(LargeBinary)  # sealed
    filed_by: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
