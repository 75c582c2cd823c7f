"""Field categories of the commission's records (person, case, family, needs, history,
appointments, offices) and of their connection. Part of the table
``auth.policy_fields.FIELDS`` assembles."""

from __future__ import annotations

from auth.categories import Category

C = Category

RECORD_FIELDS: dict[str, dict[str, str]] = {
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
