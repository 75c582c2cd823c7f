"""graphql-core's variable-coercion errors (English, no path) as the hub's Spanish
``VALIDATION_FAILED`` with the field's path, like the services' own field problems.

``Variable '$input' has invalid value at .applicant.birthDate: Value cannot represent a
Date: "12/04/1991". …`` becomes the problem ``{"path": ["input", "applicant",
"birthDate"], "code": "INVALID_DATE", "message": "La fecha no es válida: …"}``."""

from __future__ import annotations

import re

from services.errors import FieldProblem

_VARIABLE = re.compile(
    r"^Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<at>[^:]+))?: (?P<why>.*)$", re.S
)
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")
_MISSING = re.compile(r"to include required field '(\w+)'")
_UNKNOWN = re.compile(r"not to include unknown field '(\w+)'")
# (what graphql-core says, stable code, Spanish text): the first that matches wins
_REASONS = (
    (
        "cannot represent a Date",
        "INVALID_DATE",
        "La fecha no es válida: escríbala como AAAA-MM-DD (por ejemplo 1991-04-12).",
    ),
    ("cannot represent a DateTime", "INVALID_DATETIME", "La fecha y hora no son válidas."),
    ("enum", "INVALID_OPTION", "Elija una de las opciones de la lista."),
    ("Int cannot represent", "INVALID_NUMBER", "Debe ser un número entero."),
    ("Float cannot represent", "INVALID_NUMBER", "Debe ser un número."),
    ("Boolean cannot represent", "INVALID_VALUE", "Debe ser sí o no."),
    ("String cannot represent", "INVALID_VALUE", "Debe ser un texto."),
    ("non-null type", "REQUIRED", "Complete este campo."),
)


def coercion_problem(message: str) -> FieldProblem | None:
    """The field problem a variable-coercion message describes, or None for another error."""
    found = _VARIABLE.match(message)
    if found is None:
        return None
    path: list[str | int] = [found["name"]]
    for key, index in _STEP.findall(found["at"] or ""):
        path.append(key if key else int(index))
    why = found["why"]
    missing = _MISSING.search(why)
    if missing:
        return FieldProblem((*path, missing[1]), "REQUIRED", "Complete este campo.")
    unknown = _UNKNOWN.search(why)
    if unknown:
        return FieldProblem((*path, unknown[1]), "UNKNOWN_FIELD", "Este campo no existe.")
    for needle, code, text in _REASONS:
        if needle in why:
            return FieldProblem(tuple(path), code, text)
    return FieldProblem(tuple(path), "INVALID_VALUE", "El valor no es válido.")
