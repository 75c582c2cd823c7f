"""Dates: spreadsheet serials, month names, two-digit years, day/month order."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from unidecode import unidecode

from services.importing.normalise._base import is_error_value, text

MONTHS = {
    "ENE": 1,
    "ENERO": 1,
    "FEB": 2,
    "FEBRERO": 2,
    "MAR": 3,
    "MARZO": 3,
    "ABR": 4,
    "ABRIL": 4,
    "MAY": 5,
    "MAYO": 5,
    "JUN": 6,
    "JUNIO": 6,
    "JUL": 7,
    "JULIO": 7,
    "AGO": 8,
    "AGOSTO": 8,
    "SEP": 9,
    "SET": 9,
    "SEPT": 9,
    "SEPTIEMBRE": 9,
    "SETIEMBRE": 9,
    "OCT": 10,
    "OCTUBRE": 10,
    "NOV": 11,
    "NOVIEMBRE": 11,
    "DIC": 12,
    "DICIEMBRE": 12,
    "JAN": 1,
    "APR": 4,
    "AUG": 8,
    "DEC": 12,
}
EXCEL_EPOCH = date(1899, 12, 30)


TWO_DIGIT_YEAR_WINDOW = 10


def _year(y: str, today: date) -> int:
    """Two-digit years: 20yy up to ten years ahead of today (so a near-future typo is caught as
    a future date and rejected for review), otherwise 19yy."""
    n = int(y)
    if len(y) <= 2:
        n += 2000
        if n > today.year + TWO_DIGIT_YEAR_WINDOW:
            n -= 100
    return n


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def date_order_evidence(value: object) -> str | None:
    """'DMY' or 'MDY' when the value alone proves the order (a part above 12)."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})\s*", value)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "DMY"
    if b > 12 >= a:
        return "MDY"
    return None


def parse_date(value: object, order: str = "DMY", today: date | None = None) -> date | None:
    """Excel dates and serials, ISO, dd/mm/yyyy (mm/dd when ``order`` says so), two-digit
    years, Spanish month names."""
    today = today or date.today()
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    s = text(value)
    if s is None or is_error_value(s):
        return None
    s = s.upper()
    m = re.fullmatch(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T].*)?", s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})(?: .*)?", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3), today)
        if order == "MDY":
            a, b = b, a
        return _mk(y, b, a) or _mk(y, a, b)
    m = re.fullmatch(
        r"(\d{1,2})(?:\s+DE)?[\s\-/.]+([A-Z]+)\.?(?:\s+DE(?:L)?)?[\s\-/.]+(\d{2,4})", unidecode(s)
    )
    if m and m.group(2) in MONTHS:
        return _mk(_year(m.group(3), today), MONTHS[m.group(2)], int(m.group(1)))
    m = re.fullmatch(r"\d{5}(?:\.0+)?", s)
    if m:
        return EXCEL_EPOCH + timedelta(days=int(float(s)))
    return None
