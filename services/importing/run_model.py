"""What an import run is given and reports: its options, the placeholders for required
person columns, the per-sheet and per-row outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from services.importing.linkage import (
    MERGE_THRESHOLD,
    QUEUE_THRESHOLD,
)

# Placeholders for person columns the core table requires but a sheet may not have.
UNKNOWN_BIRTH_DATE = date(1900, 1, 1)
UNKNOWN_NATIONALITY = "XX"
UNKNOWN_SEX = "X"
VALUE_RULES = ("most_frequent", "most_recent", "source_priority")
PERSON_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "country_of_birth",
    "nationality",
    "entry_date",
    "department",
    "province",
    "district",
    "street",
    "phone",
    "email",
    "profession",
)
ADVISORY_LOCK = 7_000_007
NAME_FIELDS = {"given_names", "full_name", "surnames", "paternal_surname"}

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOptions:
    dry_run: bool = False
    mapping_file: Path | None = None
    value_rule: str = "most_frequent"
    source_priority: tuple[str, ...] = ()
    actor: str = "qhub import"
    merge_threshold: float = MERGE_THRESHOLD
    queue_threshold: float = QUEUE_THRESHOLD
    today: date | None = None
    # with a bad file, import nothing at all (default: the other files are imported)
    all_or_nothing: bool = False


@dataclass
class Rejection:
    file: str
    sheet: str
    row: int
    field: str
    column: str | None
    message: str


@dataclass
class SheetInfo:
    file: str
    sheet: str
    header_row: int
    rows: int
    columns: dict[str, str]
    unmapped: list[str]
    encoding: str | None
    delimiter: str | None
    skipped: str | None = None


@dataclass
class ImportReport:
    files: list[str]
    sheets: list[SheetInfo] = field(default_factory=list)
    rows_read: int = 0
    rows_already_imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    rows_imported: int = 0
    persons_created: int = 0
    # created with a placeholder for a required column no sheet had (birth date, nationality,
    # sex): to be completed by an officer; the placeholder is marked in import_field_choice
    persons_incomplete: int = 0
    missing_by_field: dict[str, int] = field(default_factory=dict)
    rows_linked_to_existing: int = 0
    rows_merged: int = 0
    pairs_queued: int = 0
    # why the linkage queued pairs instead of merging them (Spanish reason -> pairs)
    queue_reasons: dict[str, int] = field(default_factory=dict)
    cases_created: int = 0
    # cases no sheet gave a filing date for (another date of the case, or the import day)
    cases_without_filing_date: list[int] = field(default_factory=list)
    # files not imported: (file, reason in Spanish)
    file_problems: list[tuple[str, str]] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    row_person: dict[tuple[str, str, int], int] = field(default_factory=dict)
