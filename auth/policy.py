"""THE access policy: ACCESS-POLICY.md as data. Declared once; enforced by ``auth.enforce``.

Three declarations live here and nowhere else:

* ``MATRIX`` — for each role, the data categories it may read / write and under which
  row condition (``Scope``). Categories are dotted: a role's grant for ``status`` covers
  ``status.work_permit`` unless the role declares the narrower category itself, and a
  grant for ``status.work_permit`` alone does not open ``status``.
* ``FIELDS`` — the category of every field of every GraphQL type the hub serves,
  root fields included. A field that is not declared is served to no one.
* ``ROLE_PURPOSES`` — the purposes of each role's data-sharing agreement.

Everything else (contracts per agency, field checks, federation directives,
``explainAccess``) is derived from these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from models.vocab import Purpose, Role


class Scope(StrEnum):
    """Row condition under which a grant applies."""

    ALL = "all"
    OWN_OFFICE = "own-office"
    ASSIGNED = "assigned"
    CONSENT_HEALTH = "consent:health-workforce"
    SELF = "self"


@dataclass(frozen=True, slots=True)
class Grant:
    read: Scope | None = None
    write: Scope | None = None


def r(scope: Scope = Scope.ALL) -> Grant:
    return Grant(read=scope)


def w(scope: Scope = Scope.ALL) -> Grant:
    return Grant(write=scope)


def rw(scope: Scope = Scope.ALL, write: Scope | None = None) -> Grant:
    return Grant(read=scope, write=write or scope)


A, OWN, ASG, CONSENT, SELF = (
    Scope.ALL,
    Scope.OWN_OFFICE,
    Scope.ASSIGNED,
    Scope.CONSENT_HEALTH,
    Scope.SELF,
)


class Category(StrEnum):
    """Data categories of ACCESS-POLICY.md, with the narrower ones the matrix needs."""

    IDENTITY = "identity"
    IDENTITY_SEARCH = "identity.search"  # nationwide de-duplication candidates
    CONTACT = "contact"
    STATUS = "status"
    STATUS_WORK_PERMIT = "status.work_permit"  # holds a valid work permit, yes/no
    STATUS_SIGNING = "status.signing"  # issuing / revoking signed documents
    STATUS_SELF_SERVICE = "status.self_service"  # my permit: download and renewal
    STATUS_NOTIFICATIONS = "status.notifications"  # every case's protection changes, live
    STATUS_DETAILED = "status.detailed"  # the detailed workflow status (reveals decisions)
    CLAIM = "claim"
    CLAIM_DECISION_LETTER = "claim.decision_letter"
    NEEDS = "needs"
    NEEDS_EXPORT = "needs.export"  # the nationwide specific-needs file (UNHCR's codes)
    BIOMETRICS = "biometrics"  # enrolment records (write), template references
    BIOMETRICS_MATCH = "biometrics.match"  # match results only
    BIOMETRICS_REVIEW = "biometrics.review"  # deciding a possible duplicate
    FAMILY = "family"
    FAMILY_PROTECTION = "family.protection"  # protection status of linked members
    PROFESSION = "profession"
    # The directory of consenting health professionals (a list across all persons).
    PROFESSION_DIRECTORY = "profession.directory"
    CASE_ADMIN = "case_admin"
    CASE_ADMIN_OFFICE = "case_admin.office"
    CASE_ADMIN_APPOINTMENTS = "case_admin.appointments"
    AUDIT = "audit"
    AUDIT_SELF = "audit.self"  # who read my data
    # Not personal data:
    REFERENCE = "reference"  # offices, needs codes, policy explanations
    STATISTICS = "statistics"  # aggregates with small-cell suppression
    VERIFICATION = "verification"  # what a card / permit QR shows anyone
    REGISTRATION = "registration"  # online pre-registration (anyone may submit)
    FEDERATION = "federation"  # _service / _entities plumbing
    # The shape of a result (connections, edges, page info): no data of its own, and only
    # reachable through a root field whose own category is checked.
    STRUCTURE = "structure"


# Categories whose reads by another agency are personal data (logged).
PERSONAL_CATEGORIES = frozenset(
    {
        "identity",
        "contact",
        "status",
        "claim",
        "needs",
        "biometrics",
        "family",
        "profession",
        "case_admin",
    }
)

_PUBLIC: dict[str, Grant] = {
    Category.REFERENCE: r(),
    Category.STATISTICS: r(),
    Category.VERIFICATION: r(),
    Category.REGISTRATION: rw(),  # submit, and read the answer to the submission
    Category.FEDERATION: r(),
    Category.STRUCTURE: r(),
}

MATRIX: dict[Role, dict[str, Grant]] = {
    Role.CEPR_REGISTRAR: {
        **_PUBLIC,
        Category.IDENTITY: rw(OWN),
        Category.IDENTITY_SEARCH: r(A),
        Category.STATUS_SIGNING: Grant(),
        Category.STATUS_NOTIFICATIONS: Grant(),
        Category.CONTACT: rw(OWN),
        Category.STATUS: rw(OWN),
        Category.NEEDS: rw(OWN),
        Category.NEEDS_EXPORT: Grant(),  # a file of every office's needs: not an office's job
        Category.BIOMETRICS: w(OWN),
        Category.BIOMETRICS_MATCH: r(OWN),
        Category.BIOMETRICS_REVIEW: Grant(),  # raises reviews; a supervisor decides them
        Category.FAMILY: rw(OWN),
        Category.PROFESSION: rw(OWN),
        Category.PROFESSION_DIRECTORY: Grant(),
        Category.CASE_ADMIN: r(OWN),
        Category.CASE_ADMIN_APPOINTMENTS: rw(OWN),  # books the office's appointments
    },
    Role.CEPR_ELIGIBILITY: {
        **_PUBLIC,
        Category.IDENTITY: r(ASG),
        Category.CONTACT: r(ASG),
        Category.STATUS: r(ASG),
        Category.STATUS_NOTIFICATIONS: Grant(),
        Category.CLAIM: rw(ASG),
        Category.NEEDS: r(ASG),
        Category.NEEDS_EXPORT: Grant(),
        Category.FAMILY: r(ASG),
        Category.PROFESSION: r(ASG),
        Category.PROFESSION_DIRECTORY: Grant(),
        Category.CASE_ADMIN: r(ASG),
    },
    Role.CEPR_SUPERVISOR: {
        **_PUBLIC,
        Category.IDENTITY: rw(),
        Category.CONTACT: rw(),
        Category.STATUS: rw(),
        Category.STATUS_SIGNING: Grant(read=Scope.ALL),  # sees issued permits; does not sign
        Category.CLAIM: r(),
        Category.NEEDS: rw(),
        Category.BIOMETRICS_MATCH: r(),
        Category.BIOMETRICS_REVIEW: rw(),
        Category.FAMILY: r(),
        Category.PROFESSION: r(),
        Category.CASE_ADMIN: rw(),
        Category.AUDIT: r(),
        Category.AUDIT_SELF: Grant(),  # "who read my data" is the applicant's own view
    },
    Role.CEPR_SECRETARY: {
        **_PUBLIC,
        Category.IDENTITY: r(),
        Category.STATUS: rw(),
        Category.STATUS_SIGNING: rw(),  # the Executive Secretary signs permits and cards
        Category.CLAIM: r(),
        Category.NEEDS: r(),
        Category.FAMILY: r(),
        Category.CASE_ADMIN: r(),
        Category.AUDIT: r(),
        Category.AUDIT_SELF: Grant(),
    },
    Role.MIGRACIONES: {
        **_PUBLIC,
        Category.IDENTITY: r(),
        Category.STATUS: r(),
        Category.STATUS_DETAILED: Grant(),  # coarse status only: protected or not, and why
        Category.FAMILY_PROTECTION: r(),
    },
    Role.MINSA: {
        **_PUBLIC,
        Category.IDENTITY: r(CONSENT),
        Category.CONTACT: r(CONSENT),
        Category.STATUS_WORK_PERMIT: r(CONSENT),
        Category.PROFESSION: r(CONSENT),
    },
    Role.ACNUR: {
        **_PUBLIC,
        Category.IDENTITY: r(),
        Category.CONTACT: r(),
        Category.STATUS: r(),
        Category.NEEDS: r(),
        Category.FAMILY: r(),
        Category.PROFESSION: r(),
        Category.CASE_ADMIN_OFFICE: r(),
        Category.CASE_ADMIN_APPOINTMENTS: r(),
    },
    Role.APPLICANT: {
        **_PUBLIC,
        Category.IDENTITY: rw(SELF),
        Category.CONTACT: rw(SELF),
        Category.STATUS: r(SELF),
        Category.STATUS_SELF_SERVICE: rw(SELF),
        Category.STATUS_NOTIFICATIONS: Grant(),
        Category.CLAIM_DECISION_LETTER: r(SELF),
        Category.FAMILY: r(SELF),
        Category.PROFESSION: rw(SELF),
        Category.PROFESSION_DIRECTORY: Grant(),
        # online appointments: book, move or cancel those of their own case
        Category.CASE_ADMIN_APPOINTMENTS: rw(SELF),
        Category.AUDIT_SELF: r(SELF),
    },
    Role.PUBLIC: dict(_PUBLIC),
}

# A person's own permit (download, renewal) is the person's alone: no role inherits it
# from its grant on ``status``.
for _role, _grants in MATRIX.items():
    if _role is not Role.APPLICANT:
        _grants.setdefault(Category.STATUS_SELF_SERVICE, Grant())

ROLE_PURPOSES: dict[Role, frozenset[Purpose]] = {
    Role.CEPR_REGISTRAR: frozenset({Purpose.CASE_MANAGEMENT}),
    Role.CEPR_ELIGIBILITY: frozenset({Purpose.CASE_MANAGEMENT}),
    Role.CEPR_SUPERVISOR: frozenset({Purpose.CASE_MANAGEMENT}),
    Role.CEPR_SECRETARY: frozenset({Purpose.CASE_MANAGEMENT}),
    Role.MIGRACIONES: frozenset({Purpose.DEPORTATION_PROTECTION}),
    Role.MINSA: frozenset({Purpose.HEALTH_WORKFORCE}),
    Role.ACNUR: frozenset({Purpose.PROTECTION_ASSISTANCE}),
    Role.APPLICANT: frozenset(),
    Role.PUBLIC: frozenset(),
}

# Roles of other agencies: every read of personal data they make is logged.
AGENCY_ROLES = frozenset({Role.MIGRACIONES, Role.MINSA, Role.ACNUR})

C = Category

# The category of every field the hub serves: {GraphQL type: {GraphQL field: category}}.
# Root fields: reading a Query field needs read on its category; a Mutation field, write.
FIELDS: dict[str, dict[str, str]] = {
    "Query": {
        "offices": C.REFERENCE,
        "priorityRules": C.REFERENCE,
        "officerQueue": C.NEEDS,
        "appointmentSlots": C.REFERENCE,
        "specificNeedCodes": C.REFERENCE,
        "person": C.IDENTITY,
        "case": C.STATUS,
        "cases": C.CASE_ADMIN,
        "_service": C.FEDERATION,
        "_entities": C.FEDERATION,
        "explainAccess": C.REFERENCE,
        "whoami": C.REFERENCE,
        "accessLog": C.AUDIT,
        "whoReadMyData": C.AUDIT_SELF,
        "protectionStatus": C.STATUS,
        "protectionStatuses": C.STATUS,
        "protectionCandidates": C.IDENTITY,
        "protectionChanges": C.STATUS,
        "protectionAssertion": C.STATUS,
        "verifyProtectionAssertion": C.VERIFICATION,
        "statistics": C.STATISTICS,
        "healthProfessionals": C.PROFESSION_DIRECTORY,
        "verifyDocument": C.VERIFICATION,
        "myWorkPermit": C.STATUS_SELF_SERVICE,
        "unhcrCases": C.NEEDS,
        "unhcrNeedsExport": C.NEEDS_EXPORT,
        "possibleDuplicates": C.BIOMETRICS_MATCH,
    },
    "Mutation": {
        "preRegister": C.REGISTRATION,
        "changeCaseStatus": C.STATUS,
        "overridePriority": C.NEEDS,
        "assignCases": C.CASE_ADMIN,
        "createAppointmentSlot": C.CASE_ADMIN,
        "bookAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "rescheduleAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "cancelAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "recordInterview": C.CLAIM,
        "recordAssessment": C.CLAIM,
        "decideCase": C.STATUS,
        "fileAppeal": C.STATUS,
        "registerCase": C.STATUS,
        "enrolBiometrics": C.BIOMETRICS,
        "issueWorkPermit": C.STATUS_SIGNING,
        "issueAsylumCard": C.STATUS_SIGNING,
        "revokeAsylumCard": C.STATUS_SIGNING,
        "renewMyWorkPermit": C.STATUS_SELF_SERVICE,
        "revokeWorkPermit": C.STATUS_SIGNING,
        "resolvePossibleDuplicate": C.BIOMETRICS_REVIEW,
    },
    "Subscription": {
        "protectionStatusChanged": C.STATUS_NOTIFICATIONS,
    },
    "ProtectionStatusEvent": {
        "caseNumber": C.STATUS,
        "protected": C.STATUS,
        "basis": C.STATUS,
        "at": C.STATUS,
    },
    "PriorityRules": {"version": C.REFERENCE, "description": C.REFERENCE, "rules": C.REFERENCE},
    "PriorityRule": {"rule": C.REFERENCE, "points": C.REFERENCE, "explanation": C.REFERENCE},
    "PriorityReason": {"rule": C.NEEDS, "points": C.NEEDS, "explanation": C.NEEDS},
    "QueueEntry": {
        "caseNumber": C.NEEDS,
        "officeCode": C.NEEDS,
        "filingDate": C.NEEDS,
        "score": C.NEEDS,
        "computedScore": C.NEEDS,
        "ruleVersion": C.NEEDS,
        "reasons": C.NEEDS,
        "overrideReason": C.NEEDS,
        "overrideBy": C.NEEDS,
    },
    "AssignmentResult": {
        "ruleVersion": C.CASE_ADMIN,
        "assigned": C.CASE_ADMIN,
        "unassigned": C.CASE_ADMIN,
    },
    "AppointmentBooking": {
        "appointmentId": C.CASE_ADMIN_APPOINTMENTS,
        "caseNumber": C.CASE_ADMIN_APPOINTMENTS,
        "officeCode": C.CASE_ADMIN_APPOINTMENTS,
        "startsAt": C.CASE_ADMIN_APPOINTMENTS,
        "mode": C.CASE_ADMIN_APPOINTMENTS,
        "purpose": C.CASE_ADMIN_APPOINTMENTS,
        "videoLink": C.CASE_ADMIN_APPOINTMENTS,
    },
    "AppointmentSlot": {
        "id": C.REFERENCE,
        "officeCode": C.REFERENCE,
        "startsAt": C.REFERENCE,
        "minutes": C.REFERENCE,
        "mode": C.REFERENCE,
        "purpose": C.REFERENCE,
        "capacity": C.REFERENCE,
        "booked": C.REFERENCE,
    },
    "CaseRecord": {"id": C.STATUS, "caseNumber": C.STATUS, "at": C.STATUS},
    "RegistrationResult": {
        "caseNumber": C.STATUS,
        "status": C.STATUS_DETAILED,
        "memberIds": C.FAMILY,
    },
    "EnrolmentResult": {
        "outcome": C.BIOMETRICS_MATCH,
        "personId": C.BIOMETRICS_MATCH,
        "duplicateId": C.BIOMETRICS_MATCH,
        "score": C.BIOMETRICS_MATCH,
    },
    "AssignedCase": {"caseNumber": C.CASE_ADMIN, "officerId": C.CASE_ADMIN, "reason": C.CASE_ADMIN},
    "StatusTransition": {
        "caseNumber": C.STATUS,
        "fromStatus": C.STATUS_DETAILED,
        "toStatus": C.STATUS_DETAILED,
    },
    "PreRegistrationResult": {
        "caseNumber": C.REGISTRATION,
        "replayed": C.REGISTRATION,
        "activationLogin": C.REGISTRATION,
        "activationCode": C.REGISTRATION,
        "instructions": C.REGISTRATION,
    },
    "IssuedWorkPermit": {
        "id": C.STATUS_SIGNING,
        "caseNumber": C.STATUS_SIGNING,
        "validFrom": C.STATUS_SIGNING,
        "validTo": C.STATUS_SIGNING,
        "verificationUrl": C.STATUS_SIGNING,
        "sha256": C.STATUS_SIGNING,
        "pdfBase64": C.STATUS_SIGNING,
    },
    "IssuedAsylumCard": {
        "id": C.STATUS_SIGNING,
        "number": C.STATUS_SIGNING,
        "caseNumber": C.STATUS_SIGNING,
        "verificationUrl": C.STATUS_SIGNING,
        "sha256": C.STATUS_SIGNING,
        "pdfBase64": C.STATUS_SIGNING,
    },
    "MyWorkPermit": {
        "id": C.STATUS_SELF_SERVICE,
        "validFrom": C.STATUS_SELF_SERVICE,
        "validTo": C.STATUS_SELF_SERVICE,
        "status": C.STATUS_SELF_SERVICE,
        "pdfBase64": C.STATUS_SELF_SERVICE,
    },
    "DocumentVerification": {
        "status": C.VERIFICATION,
        "message": C.VERIFICATION,
        "givenNames": C.VERIFICATION,
        "surnames": C.VERIFICATION,
        "birthDate": C.VERIFICATION,
        "countryOfBirth": C.VERIFICATION,
        "nationality": C.VERIFICATION,
        "document": C.VERIFICATION,
        "validFrom": C.VERIFICATION,
        "validTo": C.VERIFICATION,
    },
    "HealthProfessional": {
        "person": C.IDENTITY,
        "profession": C.PROFESSION,
        "specialty": C.PROFESSION,
        "degree": C.PROFESSION,
        "degreeCountry": C.PROFESSION,
        "recognitionStatus": C.PROFESSION,
        "licenceNumber": C.PROFESSION,
        "yearsExperience": C.PROFESSION,
        "region": C.CONTACT,
    },
    # A review shows match results; its persons' own fields keep their categories.
    "PossibleDuplicate": dict.fromkeys(
        (
            "id",
            "score",
            "source",
            "status",
            "raisedBy",
            "raisedAt",
            "resolvedBy",
            "resolvedAt",
            "resolutionNote",
            "person",
            "matchedPerson",
        ),
        C.BIOMETRICS_MATCH,
    ),
    # The export's rows hold needs, status, family and coarse identity; the service
    # refuses anyone who does not read all of them nationwide.
    "NeedsExportFile": {
        "filename": C.STRUCTURE,
        "contentType": C.STRUCTURE,
        "rowCount": C.NEEDS_EXPORT,
        "csv": C.NEEDS_EXPORT,
    },
    "HealthProfessionalPage": {
        "items": C.STRUCTURE,
        "endCursor": C.STRUCTURE,
        "hasMore": C.STRUCTURE,
    },
    "StatTable": {
        "dimensions": C.STATISTICS,
        "threshold": C.STATISTICS,
        "cells": C.STATISTICS,
        "csvUrl": C.STATISTICS,
    },
    "StatCell": {
        "values": C.STATISTICS,
        "count": C.STATISTICS,
        "suppressed": C.STATISTICS,
        "reason": C.STATISTICS,
    },
    "ProtectionStatus": {
        "document": C.STATUS,
        "found": C.STATUS,
        "protected": C.STATUS,
        "basis": C.STATUS,
        "since": C.STATUS,
        "documentHeld": C.STATUS,
        "person": C.IDENTITY,
    },
    "HeldDocument": {
        "kind": C.STATUS,
        "number": C.STATUS,
        "status": C.STATUS,
        "validTo": C.STATUS,
    },
    "ProtectedDocument": {
        "type": C.STATUS,
        "number": C.STATUS,
        "issuingCountry": C.STATUS,
    },
    "ProtectionCandidate": {
        "score": C.IDENTITY,
        "givenNames": C.IDENTITY,
        "surnames": C.IDENTITY,
        "birthDate": C.IDENTITY,
        "nationality": C.IDENTITY,
        "protection": C.STATUS,
    },
    "ProtectionChange": {
        "cursor": C.STRUCTURE,
        "at": C.STATUS,
        "protection": C.STATUS,
        "documents": C.STATUS,
    },
    "ProtectionChangePage": {
        "changes": C.STRUCTURE,
        "endCursor": C.STRUCTURE,
        "hasMore": C.STRUCTURE,
    },
    "ProtectionAssertion": {
        "token": C.STATUS,
        "keyId": C.STATUS,
        "protection": C.STATUS,
    },
    "AssertionVerification": {
        "valid": C.VERIFICATION,
        "code": C.VERIFICATION,
        "message": C.VERIFICATION,
        "protected": C.VERIFICATION,
        "basis": C.VERIFICATION,
        "since": C.VERIFICATION,
        "issuedAt": C.VERIFICATION,
        "documentNumber": C.VERIFICATION,
    },
    "AccessLogLine": {
        "id": C.AUDIT,
        "at": C.AUDIT,
        "agency": C.AUDIT,
        "role": C.AUDIT,
        "subject": C.AUDIT,
        "purpose": C.AUDIT,
        "operation": C.AUDIT,
        "action": C.AUDIT,
        "categories": C.AUDIT,
        "personIds": C.AUDIT,
    },
    "MyDataRead": {
        "at": C.AUDIT_SELF,
        "agency": C.AUDIT_SELF,
        "purpose": C.AUDIT_SELF,
        "categories": C.AUDIT_SELF,
    },
    "FieldAccess": {
        "typeName": C.REFERENCE,
        "fieldName": C.REFERENCE,
        "category": C.REFERENCE,
        "allowed": C.REFERENCE,
        "condition": C.REFERENCE,
        "reason": C.REFERENCE,
    },
    "CallerInfo": {
        "role": C.REFERENCE,
        "agency": C.REFERENCE,
        "officeCode": C.REFERENCE,
        "purpose": C.REFERENCE,
        "purposes": C.REFERENCE,
    },
    "Office": {
        "code": C.REFERENCE,
        "name": C.REFERENCE,
        "kind": C.REFERENCE,
        "department": C.REFERENCE,
        "address": C.REFERENCE,
    },
    "SpecificNeedCode": {
        "code": C.REFERENCE,
        "category": C.REFERENCE,
        "labelEs": C.REFERENCE,
        "labelEn": C.REFERENCE,
    },
    "Person": {
        "id": C.IDENTITY,
        "givenNames": C.IDENTITY,
        "paternalSurname": C.IDENTITY,
        "maternalSurname": C.IDENTITY,
        "fullName": C.IDENTITY,
        "sex": C.IDENTITY,
        "birthDate": C.IDENTITY,
        "countryOfBirth": C.IDENTITY,
        "nationality": C.IDENTITY,
        "documents": C.IDENTITY,
        "entryDate": C.STATUS,
        "address": C.CONTACT,
        "phone": C.CONTACT,
        "email": C.CONTACT,
        "educationLevel": C.PROFESSION,
        "profession": C.PROFESSION,
        "languages": C.PROFESSION,
        "cases": C.STATUS,
    },
    "IdentityDocument": {
        "type": C.IDENTITY,
        "number": C.IDENTITY,
        "issuingCountry": C.IDENTITY,
    },
    "Address": {
        "department": C.CONTACT,
        "province": C.CONTACT,
        "district": C.CONTACT,
        "street": C.CONTACT,
    },
    "Case": {
        "number": C.STATUS,
        "filingDate": C.STATUS,
        "status": C.STATUS_DETAILED,
        "protectedFromRemoval": C.STATUS,
        "protectionBasis": C.STATUS,
        "principal": C.IDENTITY,
        "members": C.FAMILY,
        "needs": C.NEEDS,
        "priorityScore": C.NEEDS,
        "office": C.CASE_ADMIN_OFFICE,
        "assignedOfficer": C.CASE_ADMIN,
        "history": C.CASE_ADMIN,
        "appointments": C.CASE_ADMIN_APPOINTMENTS,
    },
    "CaseMember": {
        "relationship": C.FAMILY,
        "person": C.FAMILY,
    },
    "CaseMembership": {
        "relationship": C.STATUS,
        "case": C.STATUS,
    },
    "SpecificNeed": {
        "code": C.NEEDS,
        "category": C.NEEDS,
        "label": C.NEEDS,
        "detail": C.NEEDS,
        "personId": C.NEEDS,
    },
    "Officer": {
        "username": C.CASE_ADMIN,
        "fullName": C.CASE_ADMIN,
        "officeCode": C.CASE_ADMIN,
    },
    "StatusChange": {
        "fromStatus": C.CASE_ADMIN,
        "toStatus": C.CASE_ADMIN,
        "actor": C.CASE_ADMIN,
        "reason": C.CASE_ADMIN,
        "at": C.CASE_ADMIN,
    },
    "Appointment": {
        "id": C.CASE_ADMIN_APPOINTMENTS,
        "officeCode": C.CASE_ADMIN_APPOINTMENTS,
        "startsAt": C.CASE_ADMIN_APPOINTMENTS,
        "mode": C.CASE_ADMIN_APPOINTMENTS,
        "purpose": C.CASE_ADMIN_APPOINTMENTS,
        "status": C.CASE_ADMIN_APPOINTMENTS,
        "videoLink": C.CASE_ADMIN_APPOINTMENTS,
    },
    "CaseConnection": {
        "edges": C.STRUCTURE,
        "pageInfo": C.STRUCTURE,
    },
    "CaseEdge": {
        "cursor": C.STRUCTURE,
        "node": C.STRUCTURE,
    },
    "PageInfo": {
        "hasNextPage": C.STRUCTURE,
        "endCursor": C.STRUCTURE,
    },
    "_Service": {"sdl": C.FEDERATION},
}

# Import (issue 7): officers see the adjudication queue of candidate duplicates and where a
# person's data came from; resolving the queue (confirm, reject, undo a merge) is a
# case_admin write, i.e. the supervisor's.
_IMPORT_FIELDS = {
    "Query": "importPairs personProvenance",
    "Mutation": "confirmImportPair rejectImportPair undoImportMerge",
    "ImportPair": "id probability status personA personB decidedBy decidedAt",
    "ImportPersonSummary": "id givenNames paternalSurname maternalSurname birthDate nationality "
    "documents caseNumbers sources",
    "ImportMerge": "mergeId keptPersonId mergedPersonId",
    "PersonProvenance": "personId values choices",
    "ValueProvenance": "field file sheet row column rawValue normalisedValue chosen",
    "FieldChoice": "field value rule reason candidates",
}
for _type, _names in _IMPORT_FIELDS.items():
    FIELDS.setdefault(_type, {}).update(dict.fromkeys(_names.split(), C.CASE_ADMIN))


def grant_for(role: Role, category: str) -> Grant | None:
    """The role's grant for ``category``: the category itself, else its nearest parent."""
    grants = MATRIX.get(role, {})
    name = category
    while True:
        grant = grants.get(name)
        if grant is not None:
            return grant
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]


def read_scope(role: Role, category: str) -> Scope | None:
    grant = grant_for(role, category)
    return grant.read if grant else None


def write_scope(role: Role, category: str) -> Scope | None:
    grant = grant_for(role, category)
    return grant.write if grant else None


@cache
def role_has_row_conditions(role: Role) -> bool:
    """Whether any of the role's read grants depends on the record (office, case, consent)."""
    return any(g.read not in (None, Scope.ALL) for g in MATRIX.get(role, {}).values())


def field_category(type_name: str, field_name: str) -> str | None:
    """The declared category of a field, or None (then nobody may read it)."""
    return FIELDS.get(type_name, {}).get(field_name)


@dataclass(slots=True, eq=False)
class RowScope:
    """Facts about one record that row conditions are checked against.

    Built by the services that load the record (in the same SQL), inherited by the
    objects nested under it. Identity-compared and cached per request.
    """

    person_ids: tuple[int, ...] = ()
    office_codes: frozenset[str] = frozenset()
    assigned_officer_ids: frozenset[int] = frozenset()
    consents: frozenset[str] = frozenset()


UNRESTRICTED = RowScope()
