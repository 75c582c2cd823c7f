"""The writes of case work are declared in the policy (issue 12): explainAccess says, for
every role, exactly who may decide, appeal, move, register, enrol, assign, override."""

from __future__ import annotations

import pytest

from auth.explain import explain
from models.vocab import CaseStatus, Role
from services.casework.status import DECISION_STATES, TRANSITIONS, allowed_targets

# mutation -> {role: condition} of every role that may use it (None: unconditional)
WRITES: dict[str, dict[Role, str | None]] = {
    "decideCase": {Role.CEPR_SECRETARY: None},
    "fileAppeal": {Role.CEPR_ELIGIBILITY: "assigned"},
    "recordInterview": {Role.CEPR_ELIGIBILITY: "assigned"},
    "recordAssessment": {Role.CEPR_ELIGIBILITY: "assigned"},
    "changeCaseStatus": {Role.CEPR_REGISTRAR: "own-office", Role.CEPR_SUPERVISOR: None},
    "registerCase": {Role.CEPR_REGISTRAR: "own-office"},
    "enrolBiometrics": {Role.CEPR_REGISTRAR: "own-office"},
    "assignCases": {Role.CEPR_SUPERVISOR: None},
    "overridePriority": {Role.CEPR_SUPERVISOR: None},
    "createAppointmentSlot": {Role.CEPR_REGISTRAR: "own-office", Role.CEPR_SUPERVISOR: None},
    "resolvePossibleDuplicate": {Role.CEPR_SUPERVISOR: None},
}


@pytest.mark.parametrize("mutation", sorted(WRITES))
def test_explain_access_tells_who_may_write(mutation: str) -> None:
    for role in Role:
        access = explain(role, "Mutation", mutation)
        expected = WRITES[mutation]
        assert access.allowed is (role in expected), (role, mutation, access.reason)
        if access.allowed:
            assert access.condition == expected[role], (role, mutation)


def test_no_generic_move_reaches_a_decision_state() -> None:
    assert not [move for move in TRANSITIONS if move[1] in DECISION_STATES]
    for role in Role:
        for current in CaseStatus:
            assert not set(allowed_targets(current, role)) & DECISION_STATES
