"""GraphQL enums generated from the closed vocabularies of ``models/vocab.py``."""

from __future__ import annotations

from enum import Enum, StrEnum

import strawberry

from models import vocab
from services.casework import eligibility as eligibility_vocab

# Each GraphQL enum is the vocabulary's own class, registered with Strawberry under its
# GraphQL name (``strawberry.enum`` marks the class and returns it): mypy sees classes.
CaseStatus = vocab.CaseStatus
Ground = eligibility_vocab.Ground
Recommendation = eligibility_vocab.Recommendation
DecisionOutcome = eligibility_vocab.Outcome
Sex = vocab.Sex
DocumentType = vocab.DocumentType
Relationship = vocab.Relationship
EducationLevel = vocab.EducationLevel
OfficeKind = vocab.OfficeKind
AppointmentMode = vocab.AppointmentMode
AppointmentPurpose = vocab.AppointmentPurpose
AppointmentStatus = vocab.AppointmentStatus
HealthProfession = vocab.HealthProfession
RecognitionStatus = vocab.RecognitionStatus
DuplicateStatus = vocab.DuplicateStatus


class ProtectionBasis(StrEnum):
    PENDING_CLAIM = "pending_claim"
    RECOGNISED_REFUGEE = "recognised_refugee"


class DuplicateDecision(StrEnum):
    DUPLICATE = "duplicate"
    DISTINCT = "distinct"


_GRAPHQL_NAMES: dict[type[Enum], str] = {
    CaseStatus: "CaseStatus",
    Ground: "ClaimGround",
    Recommendation: "Recommendation",
    DecisionOutcome: "DecisionOutcome",
    Sex: "Sex",
    DocumentType: "DocumentType",
    Relationship: "Relationship",
    EducationLevel: "EducationLevel",
    OfficeKind: "OfficeKind",
    AppointmentMode: "AppointmentMode",
    AppointmentPurpose: "AppointmentPurpose",
    AppointmentStatus: "AppointmentStatus",
    ProtectionBasis: "ProtectionBasis",
    HealthProfession: "HealthProfession",
    RecognitionStatus: "RecognitionStatus",
    DuplicateStatus: "DuplicateStatus",
    DuplicateDecision: "DuplicateDecision",
}
for _enum, _name in _GRAPHQL_NAMES.items():
    strawberry.enum(_enum, name=_name)
