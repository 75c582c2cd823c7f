"""Formula prefixes are neutralised in CSV cells; ordinary text is untouched."""

from __future__ import annotations

import pytest

from services.csv_safety import safe_cell, safe_row


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+51 999", "'+51 999"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("＝1", "'＝1"),
    ],
)
def test_formula_prefixes_get_an_apostrophe(given: str, expected: str) -> None:
    assert safe_cell(given) == expected


@pytest.mark.parametrize("text", ["", "Lima", "VEN", "María-José", "a=b", "2025-01-01", "'x"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_row_leaves_numbers_and_none_alone() -> None:
    assert safe_row(["=1", -3, None, 2.5, "ok"]) == ["'=1", -3, None, 2.5, "ok"]
