"""Row decisions are made on the record's own facts, every time: never inherited from
another record that happened to live at the same address."""

from __future__ import annotations

from typing import Any

from auth.guards import RowCheck, check_row
from auth.policy import RowScope, Scope
from auth.principal import Principal
from models.vocab import Agency, Role


class Ctx:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.reads: dict[str, set[int]] = {}

    def record_read(self, category: str, person_ids: tuple[int, ...]) -> None:
        self.reads.setdefault(category, set()).update(person_ids)


LIMA = Principal(role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="r", office_code="LIM")


def test_a_freed_records_decision_is_not_inherited() -> None:
    # Given a decision "allowed" on a Lima record that is then freed
    ctx: Any = Ctx(LIMA)
    reused = 0
    for _ in range(200):
        lima = RowScope(person_ids=(1,), office_codes=frozenset({"LIM"}))
        assert check_row(ctx, Scope.OWN_OFFICE, "identity", False, lima)
        address = id(lima)  # id-ok: only to observe address reuse in this test
        del lima  # freed at once (reference counting): its address is free again
        # When another office's record is made (often at the same address)
        puno = RowScope(person_ids=(2,), office_codes=frozenset({"PEM"}))
        reused += id(puno) == address  # id-ok: observing reuse
        # Then it is denied on its own facts
        assert not check_row(ctx, Scope.OWN_OFFICE, "identity", False, puno)
    assert reused > 0, "the interpreter never reused an address: the test proves nothing"


def test_logged_reads_name_only_allowed_records() -> None:
    # Given a logged check (an agency's read) over an allowed and a denied record
    ctx: Any = Ctx(Principal(role=Role.MINSA, agency=Agency.MINSA, subject="m"))
    check = RowCheck(Scope.CONSENT_HEALTH, "identity", True)
    consenting = type(
        "R", (), {"row_scope": RowScope((7,), consents=frozenset({"health-workforce"}))}
    )
    refusing = type("R", (), {"row_scope": RowScope((8,))})
    # When both are checked
    assert check.allows(ctx, consenting)
    assert not check.allows(ctx, refusing)
    # Then only the read that happened is recorded
    assert ctx.reads == {"identity": {7}}


def test_a_record_without_row_scope_is_denied() -> None:
    ctx: Any = Ctx(LIMA)
    assert not RowCheck(Scope.OWN_OFFICE, "identity", False).allows(ctx, object())
