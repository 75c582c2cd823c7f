"""Legacy spreadsheet import: batches, source rows, per-value provenance, chosen values,
the adjudication queue of candidate pairs, and undoable merges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, check_in

PAIR_STATUSES = ("open", "confirmed", "rejected")
MERGE_STATUSES = ("active", "undone")
ROW_STATUSES = ("imported", "rejected")


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class ImportBatch(Base):
    """One run of ``qhub import``: who, when, the files, the value rule, the counts."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor: Mapped[str] = mapped_column(Text)
    files: Mapped[list[str]] = mapped_column(JSONB)
    value_rule: Mapped[str] = mapped_column(String(32))
    stats: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    started_at: Mapped[datetime] = _now()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportRow(Base):
    """A data row of a sheet; ``content_hash`` makes a second import of the same row a no-op."""

    __tablename__ = "import_row"
    __table_args__ = (CheckConstraint(check_in("status", ROW_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(Text)
    sheet_name: Mapped[str] = mapped_column(Text)
    row_number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    raw: Mapped[dict[str, Any]] = mapped_column(JSONB)
    values: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )


class ImportValue(Base):
    """Provenance of one value: file, sheet, row, column, raw and normalised value."""

    __tablename__ = "import_value"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("import_row.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    field: Mapped[str] = mapped_column(String(32))
    column_name: Mapped[str] = mapped_column(Text)
    raw_value: Mapped[str] = mapped_column(Text)
    normalised_value: Mapped[str | None] = mapped_column(Text)


class ImportFieldChoice(Base):
    """Which value a person's field took when the sources disagree, and why (the rule)."""

    __tablename__ = "import_field_choice"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    value_id: Mapped[int | None] = mapped_column(ForeignKey("import_value.id", ondelete="SET NULL"))
    rule: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    candidates: Mapped[int] = mapped_column(Integer, server_default="1")


class ImportPair(Base):
    """A candidate pair in the uncertain band: an officer confirms (merge) or rejects it."""

    __tablename__ = "import_pair"
    __table_args__ = (
        CheckConstraint(check_in("status", PAIR_STATUSES), name="status"),
        UniqueConstraint("person_a_id", "person_b_id", name="uq_import_pair_persons"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    person_a_id: Mapped[int] = mapped_column(BigInteger)
    person_b_id: Mapped[int] = mapped_column(BigInteger)
    row_a_id: Mapped[int | None] = mapped_column(ForeignKey("import_row.id", ondelete="SET NULL"))
    row_b_id: Mapped[int | None] = mapped_column(ForeignKey("import_row.id", ondelete="SET NULL"))
    probability: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), server_default="open", index=True)
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _now()


class ImportMerge(Base):
    """A merge of one person into another, with what is needed to undo it."""

    __tablename__ = "import_merge"
    __table_args__ = (CheckConstraint(check_in("status", MERGE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("import_pair.id", ondelete="SET NULL"))
    kept_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    merged_person_id: Mapped[int] = mapped_column(BigInteger)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    automatic: Mapped[bool] = mapped_column(Boolean, server_default="false")
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    merged_by: Mapped[str] = mapped_column(Text)
    merged_at: Mapped[datetime] = _now()
    undone_by: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
