"""The data categories of ACCESS-POLICY.md, with the narrower ones the matrix needs: the
vocabulary both halves of the policy declaration use (``auth.policy`` grants them to
roles, ``auth.policy_fields`` assigns every field to one)."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """Data categories of ACCESS-POLICY.md, with the narrower ones the matrix needs."""

    IDENTITY = "identity"
    IDENTITY_SEARCH = "identity.search"  # nationwide de-duplication candidates
    # Who has a record, searched by name and birth date: existence is personal data, so
    # only a role that reads every result nationwide may search (the Migration Office).
    IDENTITY_CANDIDATES = "identity.candidates"
    CONTACT = "contact"
    STATUS = "status"
    STATUS_WORK_PERMIT = "status.work_permit"  # holds a valid work permit, yes/no
    STATUS_SIGNING = "status.signing"  # issuing / revoking signed documents
    STATUS_SELF_SERVICE = "status.self_service"  # my permit: download and renewal
    STATUS_NOTIFICATIONS = "status.notifications"  # every case's protection changes, live
    STATUS_DETAILED = "status.detailed"  # the detailed workflow status (reveals decisions)
    STATUS_WORKFLOW = "status.workflow"  # moving a case along the workflow (no decisions)
    STATUS_DECISION = "status.decision"  # the eligibility decision (the Executive Secretary)
    STATUS_REGISTRATION = "status.registration"  # registering a case at the office
    CLAIM = "claim"
    CLAIM_DECISION_LETTER = "claim.decision_letter"
    NEEDS = "needs"
    NEEDS_EXPORT = "needs.export"  # the nationwide specific-needs file (UNHCR's codes)
    NEEDS_PRIORITY = "needs.priority"  # overriding a case's priority (supervisors)
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
    CASE_ADMIN_SLOTS = "case_admin.slots"  # opening appointment slots at an office
    AUDIT = "audit"
    AUDIT_SELF = "audit.self"  # who read my data
    # The link from a case to its principal applicant: checked under the role's identity
    # grant (``auth.policy`` copies it), but not logged itself: the person's own fields are
    # logged against that person alone, not the case's whole family.
    PERSON_LINK = "person_link"
    # Not personal data:
    REFERENCE = "reference"  # offices, needs codes, policy explanations
    STATISTICS = "statistics"  # aggregates with small-cell suppression
    VERIFICATION = "verification"  # what a card / permit QR shows anyone
    REGISTRATION = "registration"  # online pre-registration (anyone may submit)
    FEDERATION = "federation"  # _service / _entities plumbing
    # The shape of a result (connections, edges, page info): no data of its own, and only
    # reachable through a root field whose own category is checked.
    STRUCTURE = "structure"
