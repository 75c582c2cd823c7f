"""The dimensions of the open statistics and the codes they take.

Every value is a code from a closed list, never free text: sex and status from the hub's
vocabularies, age groups (age at filing), education levels, nationality as ISO 3166-1
alpha-2 (nationalities with fewer persons than the release's threshold are published
together as ``ZZ``, so a rare nationality's code never appears), department as the INEI
ubigeo department code (``01`` Amazonas … ``25`` Ucayali, ``00`` unknown), filing year and
filing quarter (``2024-Q1``). Filing years before the first year with at least
``threshold`` persons are published together as ``<YYYY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from unidecode import unidecode

from models.reference_data import read_csv
from models.vocab import CaseStatus, EducationLevel, Sex

UNKNOWN_DEPARTMENT = "00"
OTHER_NATIONALITY = "ZZ"
UNKNOWN_EDUCATION = "unknown"


class Dimension(StrEnum):
    SEX = "sex"
    AGE_GROUP = "age_group"
    EDUCATION_LEVEL = "education_level"
    NATIONALITY = "nationality"
    DEPARTMENT = "department"
    STATUS = "status"
    PERIOD = "period"  # filing year
    QUARTER = "quarter"  # filing year and quarter, e.g. 2024-Q1


ORDER: dict[Dimension, int] = {d: i for i, d in enumerate(Dimension)}
AGE_GROUPS = ("0-17", "18-29", "30-44", "45-59", "60+")


def _departments() -> dict[str, str]:
    """INEI ubigeo department code -> name (``models/data/ubigeo.csv``)."""
    return {
        str(row["ubigeo"]): str(row["department"])
        for row in read_csv("ubigeo.csv")
        if row["ubigeo"] and len(str(row["ubigeo"])) == 2
    }


DEPARTMENTS = _departments()
_BY_NAME = {unidecode(name).upper(): code for code, name in DEPARTMENTS.items()}
_BY_NAME.update({"LIMA METROPOLITANA": "15", "PROVINCIA CONSTITUCIONAL DEL CALLAO": "07"})


def department_code(text: str | None) -> str:
    """The ubigeo department code of a stored department (a code or a name), or ``00``."""
    if not text:
        return UNKNOWN_DEPARTMENT
    cleaned = unidecode(text).strip().upper()
    if cleaned[:2] in DEPARTMENTS and (len(cleaned) == 2 or cleaned[2:].isdigit()):
        return cleaned[:2]
    return _BY_NAME.get(" ".join(cleaned.split()), UNKNOWN_DEPARTMENT)


FIXED_DOMAINS: dict[Dimension, tuple[str, ...]] = {
    Dimension.SEX: tuple(s.value for s in Sex),
    Dimension.AGE_GROUP: AGE_GROUPS,
    Dimension.EDUCATION_LEVEL: (*(e.value for e in EducationLevel), UNKNOWN_EDUCATION),
    Dimension.DEPARTMENT: (*sorted(DEPARTMENTS), UNKNOWN_DEPARTMENT),
    Dimension.STATUS: tuple(s.value for s in CaseStatus),
}


@dataclass(frozen=True)
class Domains:
    """The values of every dimension in one release (zeros included: fixed lists)."""

    values: dict[Dimension, tuple[str, ...]]

    def of(self, dim: Dimension) -> tuple[str, ...]:
        return self.values[dim]

    def year_of_quarter(self) -> list[int]:
        """For each quarter value, the index of its year in the PERIOD domain."""
        years = {year: i for i, year in enumerate(self.values[Dimension.PERIOD])}
        return [years[q.split("-Q")[0]] for q in self.values[Dimension.QUARTER]]


def build_domains(nationalities: list[str], years: list[str], last_quarter: str) -> Domains:
    """Domains from the published nationalities, years (oldest first, a leading ``<YYYY``
    bucket allowed) and the last quarter of the reference date (``2026-Q3``)."""
    quarters: list[str] = []
    for year in years:
        if year.startswith("<"):
            quarters.append(year)  # the bucket of earlier years has one "quarter"
            continue
        for q in range(1, 5):
            label = f"{year}-Q{q}"
            if label > last_quarter:
                break
            quarters.append(label)
    return Domains(
        {
            **FIXED_DOMAINS,
            Dimension.NATIONALITY: tuple(nationalities),
            Dimension.PERIOD: tuple(years),
            Dimension.QUARTER: tuple(quarters),
        }
    )


def quarter_year(label: str) -> str:
    """The year label of a quarter label (``2024-Q3`` -> ``2024``; a bucket is itself)."""
    return label if label.startswith("<") else label.split("-Q")[0]


LABELS_ES: dict[Dimension, str] = {
    Dimension.SEX: "Sexo (F mujer, M hombre, X otro)",
    Dimension.AGE_GROUP: "Grupo de edad a la fecha de la solicitud",
    Dimension.EDUCATION_LEVEL: "Nivel educativo (unknown: sin dato)",
    Dimension.NATIONALITY: "Nacionalidad, código ISO 3166-1 (ZZ: nacionalidades poco frecuentes)",
    Dimension.DEPARTMENT: "Departamento de residencia, código ubigeo del INEI (00: sin dato)",
    Dimension.STATUS: "Situación del expediente a la fecha de referencia",
    Dimension.PERIOD: "Año de presentación de la solicitud",
    Dimension.QUARTER: "Trimestre de presentación de la solicitud",
}
