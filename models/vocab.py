"""Closed vocabularies shared by the database constraints, the services and the schema.

Kept in one place so a CHECK constraint, a Python enum and a GraphQL enum can
never disagree.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    PRE_REGISTERED = "pre_registered"
    APPOINTMENT_SCHEDULED = "appointment_scheduled"
    REGISTERED = "registered"
    UNDER_REVIEW = "under_review"
    RECOGNISED = "recognised"
    REJECTED = "rejected"
    APPEAL = "appeal"
    REJECTED_FINAL = "rejected_final"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    ABANDONED = "abandoned"


# A person is protected from removal while the claim is pending or after recognition.
PENDING_STATUSES = frozenset(
    {
        CaseStatus.PRE_REGISTERED,
        CaseStatus.APPOINTMENT_SCHEDULED,
        CaseStatus.REGISTERED,
        CaseStatus.UNDER_REVIEW,
        CaseStatus.REJECTED,  # appealable: still pending until final
        CaseStatus.APPEAL,
    }
)
RECOGNISED_STATUSES = frozenset({CaseStatus.RECOGNISED})


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    OTHER = "X"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    OTHER = "other"


class Relationship(StrEnum):
    PRINCIPAL = "principal"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class EducationLevel(StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TECHNICAL = "technical"
    UNIVERSITY = "university"
    POSTGRADUATE = "postgraduate"


class OfficeKind(StrEnum):
    HEADQUARTERS = "headquarters"
    DECENTRALISED = "decentralised"
    BORDER = "border"


class AppointmentMode(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"


class AppointmentPurpose(StrEnum):
    REGISTRATION_INTERVIEW = "registration_interview"
    BIOMETRIC_ENROLMENT = "biometric_enrolment"
    CARD_PICKUP = "card_pickup"
    ELIGIBILITY_INTERVIEW = "eligibility_interview"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    MISSED = "missed"


class Role(StrEnum):
    """Role names of ACCESS-POLICY.md, as they appear in tokens."""

    CEPR_REGISTRAR = "cepr-registrar"
    CEPR_ELIGIBILITY = "cepr-eligibility"
    CEPR_SUPERVISOR = "cepr-supervisor"
    CEPR_SECRETARY = "cepr-secretary"
    MIGRACIONES = "migraciones"
    MINSA = "minsa"
    ACNUR = "acnur"
    APPLICANT = "applicant"
    PUBLIC = "public"


class Purpose(StrEnum):
    CASE_MANAGEMENT = "case-management"
    DEPORTATION_PROTECTION = "deportation-protection"
    HEALTH_WORKFORCE = "health-workforce"
    PROTECTION_ASSISTANCE = "protection-assistance"


class Agency(StrEnum):
    CEPR = "cepr"
    MIGRACIONES = "migraciones"
    MINSA = "minsa"
    ACNUR = "acnur"
    APPLICANT = "applicant"
    PUBLIC = "public"


class HealthProfession(StrEnum):
    PHYSICIAN = "physician"
    NURSE = "nurse"
    OBSTETRICIAN = "obstetrician"
    DENTIST = "dentist"
    PHARMACIST = "pharmacist"
    MEDICAL_TECHNOLOGIST = "medical_technologist"
    PSYCHOLOGIST = "psychologist"


class RecognitionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    RECOGNISED = "recognised"
    DENIED = "denied"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


class DuplicateStatus(StrEnum):
    """A possible duplicate under review, or the supervisor's decision on it."""

    OPEN = "open"
    DUPLICATE = "duplicate"
    DISTINCT = "distinct"
