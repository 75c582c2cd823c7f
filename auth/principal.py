"""Who is asking: the authenticated principal of a request.

Plain data, so services may receive it without importing any enforcement code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.vocab import Agency, Purpose, Role


@dataclass(frozen=True)
class Principal:
    """The caller: agency, role, office, purposes of its agreement, and the purpose in use."""

    role: Role
    agency: Agency
    subject: str
    client_id: str | None = None
    office_code: str | None = None
    officer_id: int | None = None
    person_id: int | None = None
    purposes: frozenset[Purpose] = field(default_factory=frozenset)
    purpose: Purpose | None = None
    token_id: str | None = None
    expires_at: float | None = None  # the token's ``exp`` (seconds since the epoch)

    @property
    def is_commission(self) -> bool:
        return self.agency is Agency.CEPR

    @property
    def actor_label(self) -> str:
        """How the principal is named in histories and logs."""
        return f"{self.agency.value}:{self.role.value}:{self.subject}"


ANONYMOUS = Principal(role=Role.PUBLIC, agency=Agency.PUBLIC, subject="anonymous")
