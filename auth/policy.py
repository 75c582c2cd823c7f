"""THE access policy: ACCESS-POLICY.md as data. Declared once; enforced by ``auth.enforce``.

Three declarations, and nowhere else:

* ``MATRIX`` — for each role, the data categories it may read / write and under which
  row condition (``Scope``). Categories are dotted: a role's grant for ``status`` covers
  ``status.work_permit`` unless the role declares the narrower category itself, and a
  grant for ``status.work_permit`` alone does not open ``status``.
* ``FIELDS`` (in ``auth.policy_fields``, a table of its own) — the category of every
  field of every GraphQL type the hub serves, root fields included. A field that is not
  declared is served to no one. The categories are ``auth.categories.Category``.
* ``ROLE_PURPOSES`` — the purposes of each role's data-sharing agreement.

Everything else (contracts per agency, field checks, federation directives,
``explainAccess``) is derived from these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from auth.categories import Category as Category
from auth.policy_fields import FIELDS as FIELDS
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
        Category.CASE_ADMIN_SLOTS: rw(OWN),  # opens the office's appointment slots
        Category.STATUS_WORKFLOW: rw(OWN),
        Category.STATUS_DECISION: Grant(),  # decisions are the Executive Secretary's
        Category.STATUS_REGISTRATION: rw(OWN),
        Category.NEEDS_PRIORITY: r(OWN),  # records needs; overriding a priority is not theirs
    },
    Role.CEPR_ELIGIBILITY: {
        **_PUBLIC,
        Category.IDENTITY: r(ASG),
        Category.CONTACT: r(ASG),
        Category.STATUS: r(ASG),
        Category.STATUS_NOTIFICATIONS: Grant(),
        Category.CLAIM: rw(ASG),
        Category.STATUS_DECISION: Grant(),
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
        Category.STATUS_DECISION: Grant(),  # decisions are the Executive Secretary's
        Category.STATUS_REGISTRATION: Grant(),  # registering is done at the office
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
        Category.STATUS_DECISION: rw(),  # decides claims (decideCase, with an assessment)
        Category.STATUS_WORKFLOW: r(),  # moves no case along the workflow
        Category.STATUS_REGISTRATION: Grant(),
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
        Category.IDENTITY_CANDIDATES: r(),
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
        Category.STATUS_DETAILED: Grant(),  # coarse status only: decisions are not UNHCR's
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
        Category.FAMILY_PROTECTION: Grant(),  # other members' protection: not by lookup
        Category.PROFESSION: rw(SELF),
        Category.PROFESSION_DIRECTORY: Grant(),
        # online appointments: book, move or cancel those of their own case
        Category.CASE_ADMIN_APPOINTMENTS: rw(SELF),
        Category.AUDIT_SELF: r(SELF),
    },
    # Subgraph SDL and entities only for an authenticated caller or the gateway (which
    # forwards the caller's token): anonymous callers learn nothing of the contracts.
    Role.PUBLIC: {**_PUBLIC, Category.FEDERATION: Grant()},
}

# A person's own permit (download, renewal) is the person's alone: no role inherits it
# from its grant on ``status``. The search of protection candidates by name is the
# Migration Office's alone (MIGRACIONES declares it): no role inherits it from ``identity``.
for _role, _grants in MATRIX.items():
    if _role is not Role.APPLICANT:
        _grants.setdefault(Category.STATUS_SELF_SERVICE, Grant())
    _grants.setdefault(Category.IDENTITY_CANDIDATES, Grant())
    # The nationwide identity search is for de-duplication: registrars (declared) and the
    # supervisors who decide duplicates; no other role inherits it from ``identity``.
    _grants.setdefault(Category.IDENTITY_SEARCH, r() if _role is Role.CEPR_SUPERVISOR else Grant())
    _identity = _grants.get(Category.IDENTITY)
    _grants.setdefault(Category.PERSON_LINK, Grant(read=_identity.read if _identity else None))

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


@dataclass(frozen=True, slots=True)
class RowScope:
    """Facts about one record that row conditions are checked against.

    Built by the services that load the record (in the same SQL), inherited by the
    objects nested under it. Immutable and compared by value; decisions made on it are
    not cached (``auth.guards``).
    """

    person_ids: tuple[int, ...] = ()
    office_codes: frozenset[str] = frozenset()
    assigned_officer_ids: frozenset[int] = frozenset()
    consents: frozenset[str] = frozenset()

    def of_persons(self, person_ids: tuple[int, ...]) -> RowScope:
        """The same conditions for a record of ``person_ids`` (a need, a member): what
        ``dataclasses.replace`` makes, built directly (it runs for every such record)."""
        return RowScope(person_ids, self.office_codes, self.assigned_officer_ids, self.consents)


UNRESTRICTED = RowScope()
