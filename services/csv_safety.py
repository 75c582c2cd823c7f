"""CSV cells that a spreadsheet will not run as formulas (CSV injection, CWE-1236).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after
leading spaces) is read by Excel and LibreOffice as a formula, e.g. ``=cmd|' /C calc'!A0``.
Every CSV the hub writes passes its text cells through ``safe_cell``: such a cell gets a
leading apostrophe, which spreadsheets show as text and do not evaluate (OWASP's advice).
Numbers the hub writes itself (counts, negative numbers) are left alone by ``safe_row``.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: str) -> str:
    """``value`` as a cell no spreadsheet evaluates; unchanged when it cannot be a formula."""
    if value and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """A row for ``csv.writer``: text cells neutralised, numbers and ``None`` as they are."""
    return [safe_cell(v) if isinstance(v, str) else v for v in values]
