"""GraphQL enums generated from the closed vocabularies of ``models/vocab.py``."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from models import vocab
from services.casework import eligibility as eligibility_vocab

CaseStatus = strawberry.enum(vocab.CaseStatus, name="CaseStatus")
Ground = strawberry.enum(eligibility_vocab.Ground, name="ClaimGround")
Recommendation = strawberry.enum(eligibility_vocab.Recommendation, name="Recommendation")
DecisionOutcome = strawberry.enum(eligibility_vocab.Outcome, name="DecisionOutcome")
Sex = strawberry.enum(vocab.Sex, name="Sex")
DocumentType = strawberry.enum(vocab.DocumentType, name="DocumentType")
Relationship = strawberry.enum(vocab.Relationship, name="Relationship")
EducationLevel = strawberry.enum(vocab.EducationLevel, name="EducationLevel")
OfficeKind = strawberry.enum(vocab.OfficeKind, name="OfficeKind")
AppointmentMode = strawberry.enum(vocab.AppointmentMode, name="AppointmentMode")
AppointmentPurpose = strawberry.enum(vocab.AppointmentPurpose, name="AppointmentPurpose")
AppointmentStatus = strawberry.enum(vocab.AppointmentStatus, name="AppointmentStatus")


class _ProtectionBasis(StrEnum):
    PENDING_CLAIM = "pending_claim"
    RECOGNISED_REFUGEE = "recognised_refugee"


ProtectionBasis = strawberry.enum(_ProtectionBasis, name="ProtectionBasis")
HealthProfession = strawberry.enum(vocab.HealthProfession, name="HealthProfession")
RecognitionStatus = strawberry.enum(vocab.RecognitionStatus, name="RecognitionStatus")
DuplicateStatus = strawberry.enum(vocab.DuplicateStatus, name="DuplicateStatus")


class _DuplicateDecision(StrEnum):
    DUPLICATE = "duplicate"
    DISTINCT = "distinct"


DuplicateDecision = strawberry.enum(_DuplicateDecision, name="DuplicateDecision")
