"""Caps on what a caller may send: text lengths, characters, list sizes.

PostgreSQL refuses NUL characters in text (a NUL reached it as an internal error before);
other control characters have no place in a name or a reason either. Every cap answers
``VALIDATION_FAILED`` with one problem per field (path, stable code, Spanish message),
alongside the service's other problems, so a form can show them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from services.errors import FieldProblem, ValidationFailed

Path = tuple[str | int, ...]

# Maximum characters per kind of field.
NAME = 100  # given names, one surname
CODE = 60  # countries (code or name), document types, office codes
DOCUMENT_NUMBER = 40
PHONE = 40
EMAIL = 254  # RFC 5321
PLACE = 100  # department, province, district
STREET = 300
REASON = 2_000  # a reason, a note, a summary
LONG_TEXT = 20_000  # a narrative (interview record)
IDENTIFIER = 128  # an ID, an idempotency key, a username
BASE64_FILE = 2_000_000  # a photo or a biometric template, base64 (the body holds 2 MiB)
# Members a single pre-registration may declare besides the applicant.
MAX_DEPENDANTS = 20

# The cap of every text a caller can send, by the name of its argument or input field
# (hub.graphql.input_caps applies them to every mutation before it runs); a name not
# listed gets DEFAULT_TEXT. A service may hold a field to less, never to more.
DEFAULT_TEXT = REASON
FIELD_CAPS: dict[str, int] = {
    **dict.fromkeys(("givenNames", "paternalSurname", "maternalSurname", "profession"), NAME),
    **dict.fromkeys(
        (
            *("nationality", "countryOfBirth", "issuingCountry", "officeCode"),
            *("code", "language", "languages"),
        ),
        CODE,
    ),
    "number": DOCUMENT_NUMBER,
    "phone": PHONE,
    "email": EMAIL,
    **dict.fromkeys(("department", "province", "district"), PLACE),
    "street": STREET,
    **dict.fromkeys(("id", "idempotencyKey", "officer"), IDENTIFIER),
    **dict.fromkeys(("reason", "note", "detail"), REASON),
    **dict.fromkeys(
        ("summary", "credibility", "analysis", "reasons", "grounds", "text"), LONG_TEXT
    ),
    **dict.fromkeys(("template", "photo"), BASE64_FILE),
}

# C0 controls and DEL; tab, line feed and carriage return are text.
_FORBIDDEN = frozenset(chr(c) for c in (*range(0x00, 0x20), 0x7F)) - {"\t", "\n", "\r"}


def text_problem(path: Path, value: str | None, max_chars: int) -> FieldProblem | None:
    """What is wrong with one text value, or ``None``."""
    if value is None:
        return None
    if len(value) > max_chars:
        return FieldProblem(
            path, "TOO_LONG", f"El texto admite como máximo {max_chars} caracteres."
        )
    if not _FORBIDDEN.isdisjoint(value):
        return FieldProblem(
            path,
            "INVALID_CHARACTERS",
            "El texto contiene caracteres de control (como NUL) que no se admiten.",
        )
    return None


def reason_problem(
    path: Path, value: str, code: str, message_es: str, min_chars: int = 10
) -> FieldProblem | None:
    """A required reason: capped at ``REASON``, clean, and at least ``min_chars`` long."""
    capped = text_problem(path, value, REASON)
    if capped is not None:
        return capped
    return FieldProblem(path, code, message_es) if len(value.strip()) < min_chars else None


def text_problems(fields: Iterable[tuple[Path, str | None, int]]) -> list[FieldProblem]:
    """Problems of several ``(path, value, max_chars)`` at once."""
    return [p for path, value, cap in fields if (p := text_problem(path, value, cap)) is not None]


def count_problem(path: Path, items: Sequence[object], max_items: int) -> FieldProblem | None:
    if len(items) > max_items:
        return FieldProblem(path, "TOO_MANY", f"Se admiten como máximo {max_items} elementos.")
    return None


def require_text(path: Path, value: str | None, max_chars: int) -> None:
    """``ValidationFailed`` when one text value is too long or holds control characters."""
    problem = text_problem(path, value, max_chars)
    if problem is not None:
        raise ValidationFailed([problem])
