"""Normalisers: one function per kind of value. Each returns the normalised value or None.

One module per kind (names, dates, countries, documents, contact details, reference data);
callers use this package: ``from services.importing import normalise as n``.
"""

from services.importing.normalise._base import (
    EMPTY_MARKERS,
    ERROR_MARKERS,
    is_error_value,
    key,
    text,
)
from services.importing.normalise.contact import (
    RELATIONSHIPS,
    STATUSES,
    case_number,
    case_status,
    email,
    location,
    phone,
    relationship,
    sex,
)
from services.importing.normalise.countries import (
    DEMONYMS,
    EXTRA_COUNTRY_NAMES,
    country,
)
from services.importing.normalise.dates import (
    EXCEL_EPOCH,
    MONTHS,
    TWO_DIGIT_YEAR_WINDOW,
    date_order_evidence,
    parse_date,
)
from services.importing.normalise.documents import (
    doc_digits,
    doc_type,
    document,
)
from services.importing.normalise.names import (
    PARTICLES,
    GivenNameEvidence,
    NameParts,
    clean_name,
    full_name_order,
    parse_full_name,
    split_surnames,
)
from services.importing.normalise.places import SEPARATORS as PLACE_SEPARATORS
from services.importing.normalise.places import Place, place
from services.importing.normalise.reference import (
    HEALTH_PROFESSIONS,
    NEED_KEYWORDS,
    health_profession,
    needs,
    office,
)

__all__ = [
    "DEMONYMS",
    "EMPTY_MARKERS",
    "ERROR_MARKERS",
    "EXCEL_EPOCH",
    "EXTRA_COUNTRY_NAMES",
    "HEALTH_PROFESSIONS",
    "MONTHS",
    "NEED_KEYWORDS",
    "PARTICLES",
    "PLACE_SEPARATORS",
    "RELATIONSHIPS",
    "STATUSES",
    "TWO_DIGIT_YEAR_WINDOW",
    "GivenNameEvidence",
    "NameParts",
    "Place",
    "case_number",
    "case_status",
    "clean_name",
    "country",
    "date_order_evidence",
    "doc_digits",
    "doc_type",
    "document",
    "email",
    "full_name_order",
    "health_profession",
    "is_error_value",
    "key",
    "location",
    "needs",
    "office",
    "parse_date",
    "parse_full_name",
    "phone",
    "place",
    "relationship",
    "sex",
    "split_surnames",
    "text",
]
