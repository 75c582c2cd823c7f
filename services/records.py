"""Lean read records: what the read services return and the GraphQL layer serves as is.

Plain slotted dataclasses built straight from SQL rows (no ORM objects on hot read
paths); attribute names match the GraphQL fields' Python names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from auth.policy import RowScope
from models.vocab import PENDING_STATUSES, RECOGNISED_STATUSES, CaseStatus


@dataclass(slots=True)
class OfficeRecord:
    id: int
    code: str
    name: str
    kind: str
    department: str
    address: str | None


@dataclass(slots=True)
class NeedCodeRecord:
    code: str
    category: str
    label_es: str
    label_en: str


@dataclass(slots=True)
class AddressRecord:
    department: str | None
    province: str | None
    district: str | None
    street: str | None
    row_scope: RowScope


@dataclass(slots=True)
class DocumentRecord:
    type: str
    number: str
    issuing_country: str
    row_scope: RowScope


@dataclass(slots=True)
class PersonRecord:
    id: int
    given_names: str
    paternal_surname: str
    maternal_surname: str | None
    sex: str
    birth_date: date
    country_of_birth: str | None
    nationality: str
    entry_date: date | None
    department: str | None
    province: str | None
    district: str | None
    street: str | None
    phone: str | None
    email: str | None
    education_level: str | None
    profession: str | None
    languages: list[str]
    row_scope: RowScope

    @property
    def full_name(self) -> str:
        # read for every person of every list: the usual case without a join's generator
        given, paternal, maternal = self.given_names, self.paternal_surname, self.maternal_surname
        if given and paternal:
            return f"{given} {paternal} {maternal}" if maternal else f"{given} {paternal}"
        return " ".join(p for p in (given, paternal, maternal) if p)

    @property
    def address(self) -> AddressRecord:
        return AddressRecord(
            self.department, self.province, self.district, self.street, self.row_scope
        )


@dataclass(slots=True)
class NeedRecord:
    case_id: int
    person_id: int
    code: str
    category: str
    label: str
    detail: str | None
    row_scope: RowScope


@dataclass(slots=True)
class MemberRecord:
    person_id: int
    relationship: str
    row_scope: RowScope


@dataclass(slots=True)
class CaseRecord:
    id: int
    number: int
    status: str
    filing_date: date
    priority_score: Decimal | None
    office_id: int
    office_code: str
    assigned_officer_id: int | None
    principal_id: int | None
    member_ids: list[int]
    member_relationships: list[str]
    row_scope: RowScope

    @property
    def protected_from_removal(self) -> bool:
        return self.status in PENDING_STATUSES or self.status in RECOGNISED_STATUSES

    @property
    def protection_basis(self) -> str | None:
        if self.status in RECOGNISED_STATUSES:
            return "recognised_refugee"
        if self.status in PENDING_STATUSES:
            return "pending_claim"
        return None

    @property
    def members(self) -> list[MemberRecord]:
        return [
            MemberRecord(pid, rel, self.row_scope)
            for pid, rel in zip(self.member_ids, self.member_relationships, strict=True)
        ]


@dataclass(slots=True)
class OfficerRecord:
    id: int
    username: str
    full_name: str
    office_code: str
    role: str
    row_scope: RowScope = field(default_factory=RowScope)


@dataclass(slots=True)
class StatusChangeRecord:
    case_id: int
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None
    at: datetime
    row_scope: RowScope = field(default_factory=RowScope)
    id: int = 0
    sealed: bool = False  # the reason is sealed claim data (a decision's reasons)


@dataclass(slots=True)
class AppointmentRecord:
    id: int
    case_id: int
    office_code: str
    starts_at: datetime
    mode: str
    purpose: str
    status: str
    video_link: str | None
    row_scope: RowScope = field(default_factory=RowScope)


@dataclass(slots=True)
class CasePage:
    cases: list[CaseRecord]
    cursors: list[str]
    has_next_page: bool


def case_status(value: str) -> CaseStatus:
    return CaseStatus(value)
