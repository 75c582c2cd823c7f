"""The commission's core records: offices, officers, persons, documents, cases and their parts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, check_in
from models.vocab import (
    AppointmentMode,
    AppointmentPurpose,
    AppointmentStatus,
    CaseStatus,
    DocumentType,
    EducationLevel,
    OfficeKind,
    Purpose,
    RecognitionStatus,
    Relationship,
    Role,
    Sex,
    values,
)

CASE_NUMBER_SEQ = Sequence("case_number_seq", start=100000, metadata=Base.metadata)


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class Office(Base):
    """An office where cases are filed and handled. Which offices exist is data."""

    __tablename__ = "office"
    __table_args__ = (CheckConstraint(check_in("kind", values(OfficeKind)), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)


class Officer(Base):
    """A commission staff member; ``role`` is one of the CEPR roles of the access policy."""

    __tablename__ = "officer"
    __table_args__ = (
        CheckConstraint(
            check_in(
                "role",
                (
                    Role.CEPR_REGISTRAR,
                    Role.CEPR_ELIGIBILITY,
                    Role.CEPR_SUPERVISOR,
                    Role.CEPR_SECRETARY,
                ),
            ),
            name="role",
        ),
        CheckConstraint("capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    # Profiles an eligibility officer handles (e.g. "general", "children", "VEN").
    profiles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{general}")
    capacity: Mapped[int] = mapped_column(Integer, server_default="40")
    available: Mapped[bool] = mapped_column(Boolean, server_default="true")
    password_hash: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """A human being known to the commission: applicant or dependant."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(check_in("sex", values(Sex)), name="sex"),
        CheckConstraint(check_in("education_level", values(EducationLevel)), name="education"),
        CheckConstraint("birth_date <= CURRENT_DATE", name="birth_not_future"),
        CheckConstraint("length(given_names) > 0", name="given_names"),
        Index("ix_person_names_birth", "paternal_surname", "given_names", "birth_date"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    given_names: Mapped[str] = mapped_column(Text)
    paternal_surname: Mapped[str] = mapped_column(Text)
    maternal_surname: Mapped[str | None] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    country_of_birth: Mapped[str | None] = mapped_column(String(2))
    nationality: Mapped[str] = mapped_column(String(2), index=True)
    entry_date: Mapped[date | None] = mapped_column(Date)
    department: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    education_level: Mapped[str | None] = mapped_column(String(16))
    profession: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()


class IdentityDocument(Base):
    """A document from the country of origin (or a passport). Numbers are stored normalised."""

    __tablename__ = "identity_document"
    __table_args__ = (
        UniqueConstraint("issuing_country", "doc_type", "number", name="uq_document"),
        CheckConstraint(check_in("doc_type", values(DocumentType)), name="doc_type"),
        CheckConstraint("length(number) > 0", name="number"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(32))
    issuing_country: Mapped[str] = mapped_column(String(2))


class Case(Base):
    """An asylum case (expediente): a principal applicant and dependants."""

    __tablename__ = "case_file"
    __table_args__ = (
        CheckConstraint(check_in("status", values(CaseStatus)), name="status"),
        Index("ix_case_office_status", "office_id", "status"),
        Index("ix_case_filing", "filing_date", "id"),
        Index("ix_case_priority", "priority_score", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[int] = mapped_column(
        Integer, CASE_NUMBER_SEQ, server_default=CASE_NUMBER_SEQ.next_value(), unique=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    status: Mapped[str] = mapped_column(String(24))
    filing_date: Mapped[date] = mapped_column(Date)
    assigned_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    priority_score: Mapped[float | None] = mapped_column(Numeric(8, 2))
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()


class CaseMember(Base):
    """Membership of a person in a case; the principal applicant is one member."""

    __tablename__ = "case_member"
    __table_args__ = (
        CheckConstraint(check_in("relationship", values(Relationship)), name="relationship"),
        Index(
            "uq_case_member_one_principal",
            "case_id",
            unique=True,
            postgresql_where="relationship = 'principal'",
        ),
    )

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relationship: Mapped[str] = mapped_column(String(16))


class SpecificNeedCode(Base):
    """UNHCR specific-needs codes (e.g. ``CR-CS`` child at risk), kept as data."""

    __tablename__ = "specific_need_code"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(8))
    label_es: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)


class CaseNeed(Base):
    """A specific need recorded for a member of a case."""

    __tablename__ = "case_need"
    __table_args__ = (UniqueConstraint("case_id", "person_id", "code", name="uq_case_need"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(ForeignKey("specific_need_code.code"))
    detail: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = _now()


class Appointment(Base):
    """A citación: a time at an office, in person or by video link, for a purpose."""

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint(check_in("mode", values(AppointmentMode)), name="mode"),
        CheckConstraint(check_in("purpose", values(AppointmentPurpose)), name="purpose"),
        CheckConstraint(check_in("status", values(AppointmentStatus)), name="status"),
        CheckConstraint("mode <> 'remote' OR video_link IS NOT NULL", name="remote_link"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    mode: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), server_default="booked")
    video_link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now()


class StatusChange(Base):
    """One transition of a case's status: who, when, why."""

    __tablename__ = "status_change"
    __table_args__ = (
        CheckConstraint(
            f"from_status IS NULL OR {check_in('from_status', values(CaseStatus))}",
            name="from_status",
        ),
        CheckConstraint(check_in("to_status", values(CaseStatus)), name="to_status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    # a decision's reasons are claim data: sealed (services.sealing), ``reason`` says so
    sealed_reason: Mapped[bytes | None] = mapped_column(LargeBinary)
    at: Mapped[datetime] = _now()


class Consent(Base):
    """A person's consent to share their data for one purpose; withdrawal ends it."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(check_in("purpose", values(Purpose)), name="purpose"),
        Index(
            "uq_consent_active",
            "person_id",
            "purpose",
            unique=True,
            postgresql_where="withdrawn_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime] = _now()
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HealthProfile(Base):
    """Professional profile of a person trained in a health profession."""

    __tablename__ = "health_profile"
    __table_args__ = (
        CheckConstraint(check_in("recognition_status", values(RecognitionStatus)), name="recog"),
        CheckConstraint("years_experience >= 0", name="experience"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    profession: Mapped[str] = mapped_column(String(32))
    specialty: Mapped[str | None] = mapped_column(Text)
    degree: Mapped[str | None] = mapped_column(Text)
    degree_country: Mapped[str | None] = mapped_column(String(2))
    recognition_status: Mapped[str] = mapped_column(String(16), server_default="not_started")
    licence_number: Mapped[str | None] = mapped_column(Text)
    years_experience: Mapped[int | None] = mapped_column(Integer)


class AgencyClient(Base):
    """A system of another agency (or the commission) allowed the client_credentials grant."""

    __tablename__ = "agency_client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(String(16))
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text))
    purposes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    description: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = _now()
