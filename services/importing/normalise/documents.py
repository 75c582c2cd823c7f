"""Identity documents: type and number."""

from __future__ import annotations

import re

from stdnum.util import clean
from unidecode import unidecode

from services.importing.normalise._base import EMPTY_MARKERS, is_error_value, key, text


def doc_type(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    if k.startswith("PAS") or k in {"PP", "PASSPORT"}:
        return "passport"
    if k.startswith("CED") or k in {"CI", "DNI", "C I", "CC", "DOCUMENTO NACIONAL", "ID"}:
        return "national_id"
    return "other"


# A document written with its type: "CI 1234567", "C.I. V-12.345.678", "PAS AB123456",
# "PASAPORTE N° AB123456", "DNI 45678912", "CE 001234567" (carné de extranjería).
TYPE_WORDS = (
    (r"PASAPORTE|PASS?|PP", "passport"),
    (r"CEDULA(?: DE IDENTIDAD)?|C\.? ?I|DNI|D\.N\.I", "national_id"),
    (r"C\.? ?E|CARNE(?: DE EXTRANJERIA)?|PTP|CPP", "other"),
)
_TYPED = re.compile(
    r"^\s*(" + "|".join(w for w, _ in TYPE_WORDS) + r")(?:[.:#\s]+(?:N[O]?[.:#\s]+)?)(?=\S*\d)",
)


def typed(value: str) -> tuple[str | None, str]:
    """The type a document string states before its number, and the rest."""
    up = unidecode(value.replace("°", " ").replace("º", " ")).upper()
    m = _TYPED.match(up)
    if m is None:
        return None, value
    word = m.group(1)
    for pattern, kind in TYPE_WORDS:
        if re.fullmatch(pattern, word):
            return kind, up[m.end() :]
    return None, value


def document(
    value: object, declared_type: str | None, nationality: str | None
) -> tuple[str, str] | None:
    """(type, number) or None when there is no document (S/D, NO TIENE, -)."""
    s = text(value)
    if s is None or is_error_value(s):
        return None
    stated, s = typed(s)
    declared_type = declared_type or stated
    up = unidecode(s).upper().strip()
    if up in EMPTY_MARKERS or key(up) in EMPTY_MARKERS or "TRAMITE" in up:
        return None
    had_v_dash = bool(re.match(r"^[VE]\s*-", up))
    num = clean(up, " .-/").upper()
    if not re.fullmatch(r"[A-Z0-9]{3,20}", num):
        return None
    kind = declared_type
    v_prefix = had_v_dash or (
        num[:1] in {"V", "E"}
        and len(num) <= 9
        and kind != "passport"
        and (kind == "national_id" or nationality in {"VE", None})
    )
    if v_prefix and num[1:].isdigit():
        num = num[1:]
        kind = kind or "national_id"
    if kind is None:
        kind = "national_id" if num.isdigit() else "passport"
    return kind, num


def doc_digits(number: str | None) -> str | None:
    if not number:
        return None
    d = re.sub(r"\D", "", number).lstrip("0")
    return d if len(d) >= 5 else None
