"""Offices, specific needs and health professions (the hub's reference data)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from unidecode import unidecode

from models.reference_data import read_csv
from services.importing.normalise._base import key, text


def _office_index() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for row in read_csv("offices.csv"):
        code = row["code"] or ""
        out.append((key(code), code))
        out.append((key(row["department"] or ""), code))
        name = key(row["name"] or "")
        out.append((name, code))
        m = re.search(r" DE (.+)$", name)
        if m:
            out.append((m.group(1), code))
    return out


_OFFICES = _office_index()


def office(value: object) -> str:
    """Office code from an office / city / department name; unknown -> LIM."""
    k = key(text(value) or "")
    if not k:
        return "LIM"
    for name, code in _OFFICES:
        if k == name:
            return code
    codes = {c for _, c in _OFFICES}
    for tok in k.split():
        if tok in codes:
            return tok
    for name, code in _OFFICES:
        if len(name) >= 3 and (name in k.split() or name in k):
            return code
    found = process.extractOne(
        k, [n for n, _ in _OFFICES], scorer=fuzz.partial_ratio, score_cutoff=90
    )
    if found is not None:
        return dict(_OFFICES)[found[0]]
    return "LIM"


NEED_KEYWORDS = {
    "NO ACOMPANAD": "UM",
    "SEPARAD": "SC",
    "NINO EN RIESGO": "CR-CS",
    "NINA EN RIESGO": "CR-CS",
    "MENOR EN RIESGO": "CR-CS",
    "MUJER EN RIESGO": "WR-WR",
    "EMBARAZ": "WR-PY",
    "LACTANTE": "WR-LC",
    "ENFERMEDAD CRONICA": "SM-CI",
    "CRONIC": "SM-CI",
    "ENFERMEDAD GRAVE": "SM-CC",
    "CONDICION MEDICA": "SM-CC",
    "MEDICA": "SM-CC",
    "MENTAL": "SM-MI",
    "DISCAPACIDAD": "DS-PM",
    "ADULTO MAYOR": "ER-NF",
    "ADULTA MAYOR": "ER-NF",
    "TERCERA EDAD": "ER-NF",
    "VIOLENCIA SEXUAL": "SV-VA",
    "VIOLENCIA": "SV-VA",
    "GENERO": "SV-VA",
    "TORTURA": "TR-HO",
    "MADRE SOLA": "SP-PT",
    "PADRE SOLO": "SP-PT",
    "MONOPARENTAL": "SP-PT",
    "JEFA DE HOGAR": "SP-PT",
    "REUNIFICACION": "FU-FR",
    "SIN DOCUMENT": "LP-ND",
    "INDOCUMENTAD": "LP-ND",
}


def _need_labels() -> dict[str, str]:
    return {key(r["label_es"] or ""): r["code"] or "" for r in read_csv("specific_needs.csv")}


_NEED_LABELS = _need_labels()
_NEED_CODES = {code for code in _NEED_LABELS.values()}


def needs(value: object) -> list[str]:
    """Free text of specific needs -> UNHCR codes (several separated by , ; / or 'y')."""
    s = text(value)
    if s is None:
        return []
    out: list[str] = []
    for part in re.split(r"[,;/+]| Y ", unidecode(s).upper()):
        k = key(part)
        if not k:
            continue
        code: str | None = None
        if k.replace(" ", "-") in _NEED_CODES:
            code = k.replace(" ", "-")
        elif k in _NEED_LABELS:
            code = _NEED_LABELS[k]
        else:
            for kw, c in NEED_KEYWORDS.items():
                if kw in k:
                    code = c
                    break
        if code is None:
            found = process.extractOne(
                k, list(_NEED_LABELS), scorer=fuzz.token_set_ratio, score_cutoff=80
            )
            code = _NEED_LABELS[found[0]] if found else None
        if code and code not in out:
            out.append(code)
    return out


HEALTH_PROFESSIONS = {
    "MEDIC": "physician",
    "CIRUJANO": "physician",
    "DOCTOR": "physician",
    "ENFERMER": "nurse",
    "OBSTETR": "obstetrician",
    "ODONTOLOG": "dentist",
    "DENTISTA": "dentist",
    "FARMACEUT": "pharmacist",
    "QUIMICO FARMAC": "pharmacist",
    "TECNOLOG": "medical_technologist",
    "PSICOLOG": "psychologist",
    "NUTRICION": "nutritionist",
    "FISIOTERAP": "physiotherapist",
    "BIOLOG": "biologist",
}


def health_profession(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    for stem, prof in HEALTH_PROFESSIONS.items():
        if stem in k:
            return prof
    return "other"
