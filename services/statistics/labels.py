"""Spanish names of the codes the statistics publish (for people reading the tables)."""

from __future__ import annotations

from babel import Locale

from services.statistics.dimensions import (
    DEPARTMENTS,
    OTHER_NATIONALITY,
    UNKNOWN_DEPARTMENT,
    UNKNOWN_EDUCATION,
    Dimension,
)

_SPANISH = Locale("es")
_FIXED: dict[Dimension, dict[str, str]] = {
    Dimension.SEX: {"F": "Mujer", "M": "Hombre", "X": "Otro"},
    Dimension.EDUCATION_LEVEL: {
        "none": "Sin estudios",
        "primary": "Primaria",
        "secondary": "Secundaria",
        "technical": "Técnica",
        "university": "Universitaria",
        "postgraduate": "Posgrado",
        UNKNOWN_EDUCATION: "Sin dato",
    },
    Dimension.STATUS: {
        "pre_registered": "Prerregistrada",
        "appointment_scheduled": "Con cita",
        "registered": "Registrada",
        "under_review": "En evaluación",
        "recognised": "Reconocida como refugiada",
        "rejected": "Denegada",
        "appeal": "En apelación",
        "rejected_final": "Denegada en firme",
        "withdrawn": "Desistida",
        "closed": "Cerrada",
        "abandoned": "Abandonada",
    },
    Dimension.DEPARTMENT: {**DEPARTMENTS, UNKNOWN_DEPARTMENT: "Sin dato"},
}


def label_es(dim: Dimension, code: str) -> str:
    """The Spanish name of ``code`` in ``dim`` (the code itself when it names itself)."""
    if dim is Dimension.NATIONALITY:
        if code == OTHER_NATIONALITY:
            return "Otras nacionalidades"
        return str(_SPANISH.territories.get(code, code))
    if dim in (Dimension.PERIOD, Dimension.QUARTER) and code.startswith("<"):
        return f"Antes de {code[1:]}"
    if dim is Dimension.AGE_GROUP:
        return f"{code} años"
    return _FIXED.get(dim, {}).get(code, code)
