"""The category of every field the hub serves (half of the access-policy declaration; the
other half, which role may read or write each category, is ``auth.policy.MATRIX``).

One entry per field. The root fields are here; the types' fields are in
``auth.policy_fields_views`` (results and agencies' views) and ``auth.policy_fields_records``
(the commission's records). Enforcement reads the whole table through
``auth.policy.field_category``."""

from __future__ import annotations

from auth.categories import Category
from auth.policy_fields_records import RECORD_FIELDS
from auth.policy_fields_views import VIEW_FIELDS

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
    **{name: dict(fields) for name, fields in VIEW_FIELDS.items()},
    **{name: dict(fields) for name, fields in RECORD_FIELDS.items()},
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
