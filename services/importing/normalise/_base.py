"""Shared by every normaliser: empty and error markers, comparison keys, plain text."""

from __future__ import annotations

import re

from unidecode import unidecode

ERROR_MARKERS = (
    "#REF",
    "#¡REF",
    "#N/A",
    "#VALUE",
    "#¡VALOR",
    "#DIV/0",
    "#NAME",
    "#¿NOMBRE",
    "#NULL",
)
EMPTY_MARKERS = {
    "",
    "-",
    "--",
    "S/D",
    "SD",
    "N/A",
    "NA",
    "NO TIENE",
    "SIN DOCUMENTO",
    "NINGUNO",
    "NINGUNA",
    "SIN DATO",
    "SIN DATOS",
    "NULL",
    "NONE",
    "X",
    "0",
    "S/N",
    "NO",
    ".",
}


def key(text: str) -> str:
    """Comparison key: upper case, no accents, letters/digits/spaces only."""
    t = unidecode(text).upper()
    t = re.sub(r"[^A-Z0-9 ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def is_error_value(value: object) -> bool:
    return isinstance(value, str) and any(m in value.upper() for m in ERROR_MARKERS)


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = re.sub(r"\s+", " ", str(value)).strip()
    return s or None
