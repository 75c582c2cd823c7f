"""Reference data kept as CSV files beside the models: offices and UNHCR specific-needs codes."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import text

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str | None]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]


def load_reference_data(conn: Any) -> None:
    """Insert (or update) offices and needs codes; safe to run again."""
    conn.execute(
        text(
            "INSERT INTO office (code, name, kind, department, address) "
            "VALUES (:code, :name, :kind, :department, :address) "
            "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, "
            "department = EXCLUDED.department, address = EXCLUDED.address"
        ),
        read_csv("offices.csv"),
    )
    conn.execute(
        text(
            "INSERT INTO specific_need_code (code, category, label_es, label_en) "
            "VALUES (:code, :category, :label_es, :label_en) "
            "ON CONFLICT (code) DO UPDATE SET category = EXCLUDED.category, "
            "label_es = EXCLUDED.label_es, label_en = EXCLUDED.label_en"
        ),
        read_csv("specific_needs.csv"),
    )
