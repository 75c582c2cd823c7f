"""A person as submitted (applicant or dependant): parsing from GraphQL input and field
validation (names, sex, birth date, nationality and country of birth in Spanish or ISO
codes, identity document formats). Shared by online pre-registration and registration."""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pycountry

from models.vocab import DocumentType, Relationship, Sex
from services import input_limits as limits
from services.errors import FieldProblem
from services.input_limits import text_problems

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DOCUMENT_PATTERNS = {
    ("national_id", "VE"): re.compile(r"^\d{6,9}$"),
    ("national_id", "CO"): re.compile(r"^\d{6,10}$"),
    ("passport", None): re.compile(r"^[A-Z0-9]{5,12}$"),
}


@dataclass(frozen=True)
class DocumentIn:
    type: str
    number: str
    issuing_country: str


@dataclass(frozen=True)
class PersonIn:
    given_names: str
    paternal_surname: str
    sex: str
    birth_date: date
    nationality: str
    maternal_surname: str | None = None
    country_of_birth: str | None = None
    document: DocumentIn | None = None
    relationship: str = "principal"


@lru_cache(maxsize=1)
def _spanish_countries() -> dict[str, str]:
    """Spanish and English country names and demonym-like forms -> ISO alpha-2."""
    spanish = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True
    )
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {
            country.name,
            getattr(country, "common_name", country.name),
            getattr(country, "official_name", country.name),
        }:
            names[_fold(name)] = country.alpha_2
            names[_fold(spanish.gettext(name))] = country.alpha_2
        names[_fold(country.alpha_3)] = country.alpha_2
    names.update(
        {
            "venezolana": "VE",
            "venezolano": "VE",
            "colombiana": "CO",
            "colombiano": "CO",
            "cubana": "CU",
            "cubano": "CU",
            "haitiana": "HT",
            "haitiano": "HT",
            "ecuatoriana": "EC",
            "ecuatoriano": "EC",
            "peruana": "PE",
            "peruano": "PE",
        }
    )
    return names


def _fold(text: str) -> str:
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", bare.lower())


def country_code(value: str | None) -> str | None:
    """ISO 3166 alpha-2 from a code ("VE", "VEN") or a name in Spanish ("Venezuela")."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    return _spanish_countries().get(_fold(text))


def _text_caps(p: PersonIn, path: tuple[str | int, ...]) -> list[FieldProblem]:
    number = p.document.number if p.document else None
    issuing = p.document.issuing_country if p.document else None
    return text_problems(
        [
            ((*path, "givenNames"), p.given_names, limits.NAME),
            ((*path, "paternalSurname"), p.paternal_surname, limits.NAME),
            ((*path, "maternalSurname"), p.maternal_surname, limits.NAME),
            ((*path, "nationality"), p.nationality, limits.CODE),
            ((*path, "countryOfBirth"), p.country_of_birth, limits.CODE),
            ((*path, "document", "number"), number, limits.DOCUMENT_NUMBER),
            ((*path, "document", "issuingCountry"), issuing, limits.CODE),
        ]
    )


def person_problems(
    p: PersonIn, path: tuple[str | int, ...], today: date
) -> tuple[PersonIn, list[FieldProblem]]:
    capped = _text_caps(p, path)
    if capped:
        return p, capped  # nothing else is looked at in an oversized or binary value
    problems: list[FieldProblem] = []
    if not p.given_names.strip():
        problems.append(FieldProblem((*path, "givenNames"), "REQUIRED", "Indique los nombres."))
    if not p.paternal_surname.strip():
        problems.append(
            FieldProblem((*path, "paternalSurname"), "REQUIRED", "Indique el apellido paterno.")
        )
    if p.sex not in Sex._value2member_map_:
        problems.append(FieldProblem((*path, "sex"), "INVALID_SEX", "Sexo no válido."))
    if p.birth_date > today:
        problems.append(
            FieldProblem(
                (*path, "birthDate"),
                "BIRTH_DATE_IN_FUTURE",
                "La fecha de nacimiento no puede ser futura.",
            )
        )
    elif (today - p.birth_date).days > 120 * 366:
        problems.append(
            FieldProblem(
                (*path, "birthDate"), "BIRTH_DATE_IMPLAUSIBLE", "Revise la fecha de nacimiento."
            )
        )
    nationality = country_code(p.nationality)
    if nationality is None:
        problems.append(
            FieldProblem(
                (*path, "nationality"),
                "UNKNOWN_COUNTRY",
                f"Nacionalidad desconocida: «{p.nationality}».",
            )
        )
    birth_country = country_code(p.country_of_birth) if p.country_of_birth else nationality
    if p.country_of_birth and birth_country is None:
        problems.append(
            FieldProblem(
                (*path, "countryOfBirth"),
                "UNKNOWN_COUNTRY",
                f"País desconocido: «{p.country_of_birth}».",
            )
        )
    if p.relationship not in Relationship._value2member_map_:
        problems.append(
            FieldProblem((*path, "relationship"), "INVALID_RELATIONSHIP", "Parentesco no válido.")
        )
    document = p.document
    if document is not None:
        number = re.sub(r"[\s.\-]", "", document.number).upper()
        issuing = country_code(document.issuing_country)
        if document.type not in DocumentType._value2member_map_:
            problems.append(
                FieldProblem(
                    (*path, "document", "type"),
                    "INVALID_DOCUMENT_TYPE",
                    "Tipo de documento no válido.",
                )
            )
        if issuing is None:
            problems.append(
                FieldProblem(
                    (*path, "document", "issuingCountry"),
                    "UNKNOWN_COUNTRY",
                    "País emisor desconocido.",
                )
            )
        if issuing == "VE" and number[:1] in ("V", "E") and number[1:].isdigit():
            number = number[1:]
        pattern = DOCUMENT_PATTERNS.get((document.type, issuing)) or DOCUMENT_PATTERNS.get(
            (document.type, None)
        )
        if not number or (pattern is not None and not pattern.match(number)):
            problems.append(
                FieldProblem(
                    (*path, "document", "number"),
                    "INVALID_DOCUMENT_NUMBER",
                    "El número de documento no tiene un formato válido.",
                )
            )
        document = DocumentIn(document.type, number, issuing or document.issuing_country)
    clean = PersonIn(
        p.given_names.strip(),
        p.paternal_surname.strip(),
        p.sex,
        p.birth_date,
        nationality or p.nationality,
        (p.maternal_surname or "").strip() or None,
        birth_country,
        document,
        p.relationship,
    )
    return clean, problems


def parse_person(data: Mapping[str, Any], relationship: str = "principal") -> PersonIn:
    """A person from GraphQL's coerced input (GraphQL field names)."""
    document = data.get("document")
    return PersonIn(
        given_names=data.get("givenNames") or "",
        paternal_surname=data.get("paternalSurname") or "",
        maternal_surname=data.get("maternalSurname"),
        sex=getattr(data.get("sex"), "value", data.get("sex") or ""),
        birth_date=data["birthDate"],
        nationality=data.get("nationality") or "",
        country_of_birth=data.get("countryOfBirth"),
        document=DocumentIn(
            getattr(document["type"], "value", document["type"]),
            document["number"],
            document["issuingCountry"],
        )
        if document
        else None,
        relationship=getattr(data.get("relationship"), "value", data.get("relationship"))
        or relationship,
    )
