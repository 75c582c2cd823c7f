"""Phones, e-mail, sex, case numbers, case statuses, relationships, places."""

from __future__ import annotations

import re

import phonenumbers
from rapidfuzz import fuzz, process
from unidecode import unidecode

from services.importing.normalise._base import is_error_value, key, text


def phone(value: object, region: str = "PE") -> str | None:
    s = text(value)
    if s is None or is_error_value(s):
        return None
    digits = re.sub(r"\D", "", s)
    if not digits:
        return None
    candidate = s
    if not s.strip().startswith("+") and digits.startswith("51") and len(digits) == 11:
        candidate = "+" + digits
    try:
        n = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(n):
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def case_number(value: object) -> int | None:
    s = text(value)
    if s is None or is_error_value(s):
        return None
    s = unidecode(s).upper()
    s = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", s)
    m = re.search(r"\d{3,9}", s)
    if m is None:
        return None
    n = int(m.group(0))
    return n if 0 < n < 2_000_000_000 else None


def sex(value: object) -> str | None:
    k = key(text(value) or "")
    if k in {"F", "FEMENINO", "MUJER", "FEMALE", "FEM"}:
        return "F"
    if k in {"M", "MASCULINO", "HOMBRE", "VARON", "MALE", "MASC"}:
        return "M"
    if k in {"X", "OTRO", "OTHER", "NO BINARIO"}:
        return "X"
    return None


def email(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    s = s.lower().replace(" ", "")
    return s if re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", s) else None


STATUSES = {
    "PRE REGISTRO": "pre_registered",
    "PREREGISTRO": "pre_registered",
    "PRE REGISTRADO": "pre_registered",
    "CITADO": "appointment_scheduled",
    "CITA": "appointment_scheduled",
    "REGISTRADO": "registered",
    "EN EVALUACION": "under_review",
    "EVALUACION": "under_review",
    "RECONOCIDO": "recognised",
    "REFUGIADO": "recognised",
    "DENEGADO": "rejected",
    "RECHAZADO": "rejected",
    "APELACION": "appeal",
    "DENEGADO FINAL": "rejected_final",
    "DESISTIDO": "withdrawn",
    "DESISTIMIENTO": "withdrawn",
    "ARCHIVADO": "closed",
    "CERRADO": "closed",
    "ABANDONO": "abandoned",
    "ABANDONADO": "abandoned",
}


def case_status(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    if k in STATUSES:
        return STATUSES[k]
    found = process.extractOne(k, list(STATUSES), scorer=fuzz.ratio, score_cutoff=85)
    return STATUSES[found[0]] if found else None


RELATIONSHIPS = {
    "TITULAR": "principal",
    "PRINCIPAL": "principal",
    "SOLICITANTE": "principal",
    "JEFE DE FAMILIA": "principal",
    "HIJO": "child",
    "HIJA": "child",
    "CONYUGE": "spouse",
    "ESPOSO": "spouse",
    "ESPOSA": "spouse",
    "PAREJA": "spouse",
    "CONVIVIENTE": "spouse",
    "PADRE": "parent",
    "MADRE": "parent",
    "HERMANO": "sibling",
    "HERMANA": "sibling",
}


# stems of the words, for the forms sheets write: "Hijo/a", "ESPOSA/O", "Madre/Padre",
# "Solicitante principal", "Conviviente", "Hermanos"
RELATIONSHIP_STEMS = (
    ("TITULAR", "principal"),
    ("PRINCIPAL", "principal"),
    ("SOLICITANTE", "principal"),
    ("JEFE", "principal"),
    ("JEFA", "principal"),
    ("HIJ", "child"),
    ("CONYUGE", "spouse"),
    ("ESPOS", "spouse"),
    ("PAREJA", "spouse"),
    ("CONVIVIENTE", "spouse"),
    ("CONCUBIN", "spouse"),
    ("PADRE", "parent"),
    ("MADRE", "parent"),
    ("HERMAN", "sibling"),
)


def relationship(value: object) -> str | None:
    """Relationship to the principal applicant (unknown words: 'other')."""
    k = key(text(value) or "")
    if not k:
        return None
    if k in RELATIONSHIPS:
        return RELATIONSHIPS[k]
    for tok in k.split():
        for stem, rel in RELATIONSHIP_STEMS:
            if tok.startswith(stem):
                return rel
    return "other"


def location(value: object) -> tuple[str | None, str | None, str | None]:
    s = text(value)
    if s is None:
        return None, None, None
    parts = [p.strip().upper() or None for p in re.split(r"[/|,]", s)]
    parts += [None] * (3 - len(parts))
    return parts[0], parts[1], parts[2]
