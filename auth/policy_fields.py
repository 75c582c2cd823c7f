"""The category of every field the hub serves (half of the access-policy declaration; the
other half, which role may read or write each category, is ``auth.policy.MATRIX``).

One entry per field: a long table by nature. Enforcement reads it through
``auth.policy.field_category``."""

from __future__ import annotations

from auth.categories import Category

C = Category

# The category of every field the hub serves: {GraphQL type: {GraphQL field: category}}.
# Root fields: reading a Query field needs read on its category; a Mutation field, write.
FIELDS: dict[str, dict[str, str]] = {
    "Query": {
        "offices": C.REFERENCE,
        "priorityRules": C.REFERENCE,
        "officerQueue": C.CASE_ADMIN,  # a work list of cases; its entries are needs
        "appointmentSlots": C.REFERENCE,
        "specificNeedCodes": C.REFERENCE,
        "person": C.IDENTITY,
        "case": C.STATUS,
        "cases": C.CASE_ADMIN,
        "searchCases": C.CASE_ADMIN,  # the officers' search box: the cases they may list
        "_service": C.FEDERATION,
        "_entities": C.FEDERATION,
        "explainAccess": C.REFERENCE,
        "whoami": C.REFERENCE,
        "accessLog": C.AUDIT,
        "whoReadMyData": C.AUDIT_SELF,
        "protectionStatus": C.STATUS,
        "protectionStatuses": C.STATUS,
        "protectionCandidates": C.IDENTITY_CANDIDATES,
        "protectionChanges": C.STATUS,
        "protectionAssertion": C.STATUS,
        "verifyProtectionAssertion": C.VERIFICATION,
        "statistics": C.STATISTICS,
        "statisticsRelease": C.STATISTICS,
        "healthProfessionals": C.PROFESSION_DIRECTORY,
        "verifyDocument": C.VERIFICATION,
        "myWorkPermit": C.STATUS_SELF_SERVICE,
        "myAsylumCard": C.STATUS_SELF_SERVICE,
        "unhcrCases": C.NEEDS,
        "unhcrNeedsExport": C.NEEDS_EXPORT,
        "possibleDuplicates": C.BIOMETRICS_MATCH,
        "identityCandidates": C.IDENTITY_SEARCH,
    },
    "Mutation": {
        "preRegister": C.REGISTRATION,
        "changeCaseStatus": C.STATUS_WORKFLOW,
        "overridePriority": C.NEEDS_PRIORITY,
        "assignCases": C.CASE_ADMIN,
        "createAppointmentSlot": C.CASE_ADMIN_SLOTS,
        "bookAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "rescheduleAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "cancelAppointment": C.CASE_ADMIN_APPOINTMENTS,
        "recordInterview": C.CLAIM,
        "recordAssessment": C.CLAIM,
        "decideCase": C.STATUS_DECISION,
        "fileAppeal": C.CLAIM,  # an appeal's grounds are claim data (rule 10)
        "registerCase": C.STATUS_REGISTRATION,
        "enrolBiometrics": C.BIOMETRICS,
        "issueWorkPermit": C.STATUS_SIGNING,
        "issueAsylumCard": C.STATUS_SIGNING,
        "revokeAsylumCard": C.STATUS_SIGNING,
        "renewMyWorkPermit": C.STATUS_SELF_SERVICE,
        "updateMyContact": C.CONTACT,
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
    "MyAsylumCard": {
        "number": C.STATUS_SELF_SERVICE,
        "issuedOn": C.STATUS_SELF_SERVICE,
        "status": C.STATUS_SELF_SERVICE,
        "pdfBase64": C.STATUS_SELF_SERVICE,
    },
    "MyContact": {
        "phone": C.CONTACT,
        "email": C.CONTACT,
        "department": C.CONTACT,
        "province": C.CONTACT,
        "district": C.CONTACT,
        "street": C.CONTACT,
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
        "revokedOn": C.VERIFICATION,
        "revokedReason": C.VERIFICATION,
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
        "holdsValidWorkPermit": C.STATUS_WORK_PERMIT,
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
            "undoneBy",
            "undoneAt",
            "undoNote",
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
        "margin95": C.STATISTICS,
        "release": C.STATISTICS,
    },
    "StatRelease": {
        f: C.STATISTICS
        for f in (
            "version",
            "referenceDate",
            "publishedAt",
            "method",
            "methodExplanationEs",
            "threshold",
            "protectionInterval",
            "tables",
            "dimensions",
            "audit",
            "privacy",
        )
    },
    "StatPrivacy": {
        f: C.STATISTICS
        for f in ("rho", "rhoYear", "rhoSpentYear", "delta", "epsilon", "epsilonYear", "noiseSd")
    },
    "StatAudit": {
        f: C.STATISTICS
        for f in ("cells", "hidden", "primary", "lpSolves", "rounds", "buildSeconds")
    },
    "StatDimensionValues": {f: C.STATISTICS for f in ("dimension", "labelEs", "values")},
    "StatValue": {"code": C.STATISTICS, "labelEs": C.STATISTICS},
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
        "familyMembers": C.FAMILY_PROTECTION,
    },
    "LinkedProtection": {
        "relationship": C.FAMILY_PROTECTION,
        "protected": C.FAMILY_PROTECTION,
        "basis": C.FAMILY_PROTECTION,
        "since": C.FAMILY_PROTECTION,
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
        "photo": C.IDENTITY,  # ACCESS-POLICY.md: a photograph is identity
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
        # The link to the principal applicant: the Person's own fields are logged against
        # that person alone (not the whole family, as a Case field would).
        "principal": C.PERSON_LINK,
        "members": C.FAMILY,
        "needs": C.NEEDS,
        "priorityScore": C.NEEDS,
        "office": C.CASE_ADMIN_OFFICE,
        "assignedOfficer": C.CASE_ADMIN,
        "history": C.CASE_ADMIN,
        "appointments": C.CASE_ADMIN_APPOINTMENTS,
        "claim": C.CLAIM,
        "decisionLetters": C.CLAIM_DECISION_LETTER,
        "notes": C.CLAIM,  # "interview records and notes" are claim (ACCESS-POLICY.md)
        # The record of what was issued is the commission's administration (not another
        # agency's); each document's signed PDF is signing data.
        "issuedDocuments": C.CASE_ADMIN,
    },
    # A case's claim read back (issue 12): claim data wherever it is shown (rule 10).
    "ClaimFile": dict.fromkeys(("interviews", "assessments", "decisions", "appeals"), C.CLAIM),
    "ClaimInterview": dict.fromkeys(
        ("mode", "heldAt", "language", "interpreter", "summary", "interviewer", "recordedAt"),
        C.CLAIM,
    ),
    "ClaimAssessment": dict.fromkeys(
        ("grounds", "credibility", "analysis", "recommendation", "assessor", "recordedAt"),
        C.CLAIM,
    ),
    "ClaimDecision": dict.fromkeys(
        ("instance", "outcome", "reasons", "decidedBy", "decidedAt"), C.CLAIM
    ),
    "ClaimAppeal": dict.fromkeys(("grounds", "filedBy", "filedAt"), C.CLAIM),
    "DecisionLetter": dict.fromkeys(
        ("caseNumber", "instance", "outcome", "reasons", "decidedAt"), C.CLAIM_DECISION_LETTER
    ),
    "IdentityCandidate": dict.fromkeys(
        ("personId", "score", "givenNames", "surnames", "birthDate", "nationality"),
        C.IDENTITY_SEARCH,
    ),
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
        # Every reason in the history is claim (rule 10): a decision's reasons and an
        # appeal's grounds are stored there, and a workflow move's reason may tell of the
        # claim too; the more protective reading.
        "reason": C.CLAIM,
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

# The console's casework (issue 14): manual assignment and the officers' load (case_admin),
# undoing a "same person" decision (biometrics.review), case notes (claim), a case's
# issued documents (case_admin; the PDF status.signing), why a case was not assigned.
FIELDS["Query"]["eligibilityOfficers"] = C.CASE_ADMIN
FIELDS["Mutation"].update(
    assignCase=C.CASE_ADMIN, undoDuplicateDecision=C.BIOMETRICS_REVIEW, addCaseNote=C.CLAIM
)
FIELDS["AssignmentResult"]["notAssigned"] = C.CASE_ADMIN
# the photo of the person whose enrolment raised the review: identity, as photographs are
FIELDS["PossibleDuplicate"]["photo"] = C.IDENTITY
FIELDS["UnassignedCase"] = dict.fromkeys(("caseNumber", "code", "reason"), C.CASE_ADMIN)
FIELDS["OfficerLoad"] = dict.fromkeys(
    ("username", "fullName", "officeCode", "profiles", "capacity", "load", "available"),
    C.CASE_ADMIN,
)
FIELDS["CaseNote"] = dict.fromkeys(("id", "text", "author", "createdAt"), C.CLAIM)
FIELDS["IssuedDocument"] = {
    **dict.fromkeys(
        ("kind", "id", "number", "status", "validFrom", "validTo", "issuedAt", "issuedBy"),
        C.CASE_ADMIN,
    ),
    "revokedReason": C.CASE_ADMIN,
    "revokedAt": C.CASE_ADMIN,
    "pdfBase64": C.STATUS_SIGNING,
}
