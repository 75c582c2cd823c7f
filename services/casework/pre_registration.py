"""Online pre-registration, 24 hours, no login: person(s), a case and a new expediente number.

Every invalid field is reported at once (path, code, Spanish message); nothing is written
unless everything is valid. An idempotency key makes a retried submission return the same
case, also when the retry arrives while the first is still being written (the key's
unique index makes the second wait, then find the first). A document already registered
is refused without revealing whose it is.
"""

from __future__ import annotations

import gettext
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import phonenumbers
import psycopg
import pycountry
from psycopg import AsyncConnection

from models.vocab import DocumentType, Relationship, Sex
from services.errors import Conflict, FieldProblem, ValidationFailed


def hash_activation_code(code: str) -> str:
    """Activation codes are random (72 bits): a plain digest suffices, a slow KDF would
    only slow down every submission."""
    return "sha256$" + hashlib.sha256(code.encode()).hexdigest()
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


@dataclass(frozen=True)
class PreRegistrationIn:
    idempotency_key: str
    office_code: str
    applicant: PersonIn
    entry_date: date | None = None
    phone: str | None = None
    email: str | None = None
    department: str | None = None
    province: str | None = None
    district: str | None = None
    street: str | None = None
    dependants: tuple[PersonIn, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PreRegistrationOut:
    case_number: int
    replayed: bool
    activation_login: str | None
    activation_code: str | None
    instructions: str


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


def _person_problems(
    p: PersonIn, path: tuple[str | int, ...], today: date
) -> tuple[PersonIn, list[FieldProblem]]:
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


def validate(
    request: PreRegistrationIn, today: date | None = None
) -> tuple[PreRegistrationIn, str | None]:
    """The request with values normalised (ISO countries, E.164 phone), or every problem."""
    today = today or date.today()
    problems: list[FieldProblem] = []
    if not 8 <= len(request.idempotency_key) <= 128:
        problems.append(
            FieldProblem(
                ("input", "idempotencyKey"),
                "INVALID_IDEMPOTENCY_KEY",
                "La clave de idempotencia debe tener entre 8 y 128 caracteres.",
            )
        )
    applicant, found = _person_problems(request.applicant, ("input", "applicant"), today)
    problems += found
    dependants = []
    for index, dependant in enumerate(request.dependants):
        person, found = _person_problems(dependant, ("input", "dependants", index), today)
        if person.relationship == "principal":
            found.append(
                FieldProblem(
                    ("input", "dependants", index, "relationship"),
                    "INVALID_RELATIONSHIP",
                    "Un dependiente no puede ser el titular.",
                )
            )
        problems += found
        dependants.append(person)
    if applicant.document is None:
        problems.append(
            FieldProblem(
                ("input", "applicant", "document"),
                "REQUIRED",
                "Indique el documento del titular (o «otro» si no tiene).",
            )
        )
    phone = None
    if request.phone:
        try:
            parsed = phonenumbers.parse(request.phone, "PE")
            if not phonenumbers.is_valid_number(parsed):
                raise phonenumbers.NumberParseException(1, "invalid")
            phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            problems.append(
                FieldProblem(
                    ("input", "phone"), "INVALID_PHONE", "El teléfono no es un número válido."
                )
            )
    if request.email and not EMAIL.match(request.email.strip()):
        problems.append(
            FieldProblem(("input", "email"), "INVALID_EMAIL", "El correo electrónico no es válido.")
        )
    if request.entry_date and request.entry_date > today:
        problems.append(
            FieldProblem(
                ("input", "entryDate"),
                "ENTRY_DATE_IN_FUTURE",
                "La fecha de ingreso no puede ser futura.",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    clean = PreRegistrationIn(
        request.idempotency_key,
        request.office_code.strip().upper(),
        applicant,
        request.entry_date,
        phone,
        (request.email or "").strip().lower() or None,
        request.department,
        request.province,
        request.district,
        request.street,
        tuple(dependants),
    )
    return clean, phone


def _fingerprint(request: PreRegistrationIn) -> str:
    body = asdict(request)
    body.pop("idempotency_key")
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


ALREADY = Conflict(
    "Ya existe una solicitud registrada con este documento. Si es suya, acérquese a una "
    "oficina de la Comisión o use su cuenta de autoservicio.",
    "ALREADY_REGISTERED",
)


async def pre_register(
    conn: AsyncConnection[Any],
    request: PreRegistrationIn,
    client_address: str | None = None,
    today: date | None = None,
) -> PreRegistrationOut:
    """Create the person(s) and the case (status pre_registered), or return the case a
    previous submission with the same key created."""
    clean, _ = validate(request, today)
    fingerprint = _fingerprint(clean)
    replay = await _replay(conn, clean.idempotency_key, fingerprint)
    if replay is not None:
        return replay
    try:
        async with conn.transaction():
            office = await (
                await conn.execute("SELECT id FROM office WHERE code = %s", (clean.office_code,))
            ).fetchone()
            if office is None:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            ("input", "officeCode"), "UNKNOWN_OFFICE", "Oficina desconocida."
                        )
                    ]
                )
            case_row = await (
                await conn.execute(
                    "INSERT INTO case_file (office_id, status, filing_date) VALUES (%s,"
                    " 'pre_registered', %s) RETURNING id, number",
                    (office[0], today or date.today()),
                )
            ).fetchone()
            assert case_row is not None
            case_id, number = case_row
            # The key first: a concurrent retry waits here, then sees this case.
            await conn.execute(
                "INSERT INTO pre_registration_request (idempotency_key, request_hash, case_id,"
                " case_number, client_address) VALUES (%s, %s, %s, %s, %s)",
                (clean.idempotency_key, fingerprint, case_id, number, client_address),
            )
            people = [clean.applicant, *clean.dependants]
            principal_id = 0
            for index, person in enumerate(people):
                principal = index == 0
                row = await (
                    await conn.execute(
                        "INSERT INTO person (given_names, paternal_surname, maternal_surname,"
                        " sex, birth_date, country_of_birth, nationality, entry_date,"
                        " department, province, district, street, phone, email)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                        " RETURNING id",
                        (
                            person.given_names,
                            person.paternal_surname,
                            person.maternal_surname,
                            person.sex,
                            person.birth_date,
                            person.country_of_birth,
                            person.nationality,
                            clean.entry_date,
                            clean.department,
                            clean.province,
                            clean.district,
                            clean.street,
                            clean.phone if principal else None,
                            clean.email if principal else None,
                        ),
                    )
                ).fetchone()
                assert row is not None
                if principal:
                    principal_id = row[0]
                if person.document is not None:
                    await conn.execute(
                        "INSERT INTO identity_document (person_id, doc_type, number,"
                        " issuing_country) VALUES (%s, %s, %s, %s)",
                        (
                            row[0],
                            person.document.type,
                            person.document.number,
                            person.document.issuing_country,
                        ),
                    )
                await conn.execute(
                    "INSERT INTO case_member (case_id, person_id, relationship)"
                    " VALUES (%s, %s, %s)",
                    (case_id, row[0], "principal" if principal else person.relationship),
                )
            await conn.execute(
                "INSERT INTO status_change (case_id, from_status, to_status, actor, reason)"
                " VALUES (%s, NULL, 'pre_registered', 'sistema:registro-en-linea',"
                " 'Prerregistro en línea')",
                (case_id,),
            )
            code = secrets.token_urlsafe(9)
            login = clean.email or f"exp{number}@autoservicio.cepr.gob.pe"
            await conn.execute(
                "INSERT INTO applicant_account (person_id, login, activation_code_hash)"
                " VALUES (%s, %s, %s) ON CONFLICT (login) DO NOTHING",
                (principal_id, login, hash_activation_code(code)),
            )
    except psycopg.errors.UniqueViolation as exc:
        constraint = getattr(exc.diag, "constraint_name", "") or ""
        if constraint == "pk_pre_registration_request":
            replay = await _replay(conn, clean.idempotency_key, fingerprint)
            if replay is not None:
                return replay
        if constraint == "uq_document":
            raise ALREADY from exc
        raise
    return PreRegistrationOut(
        number,
        False,
        login,
        code,
        f"Su expediente es el N.° {number}. Active su cuenta de autoservicio con el usuario "
        f"{login} y este código de activación; guárdelo, no se volverá a mostrar.",
    )


async def _replay(
    conn: AsyncConnection[Any], key: str, fingerprint: str
) -> PreRegistrationOut | None:
    row = await (
        await conn.execute(
            "SELECT case_number, request_hash FROM pre_registration_request"
            " WHERE idempotency_key = %s",
            (key,),
        )
    ).fetchone()
    if row is None:
        return None
    if row[1] != fingerprint:
        raise Conflict(
            "Esta clave de idempotencia ya se usó con otros datos.", "IDEMPOTENCY_KEY_REUSED"
        )
    return PreRegistrationOut(
        int(row[0]),
        True,
        None,
        None,
        f"Su solicitud ya fue recibida: expediente N.° {row[0]}.",
    )


@dataclass
class RateLimiter:
    """Per-address token bucket (in process; with several processes each has its own)."""

    per_minute: int
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, address: str, now: float) -> bool:
        tokens, last = self.buckets.get(address, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            self.buckets[address] = (tokens, now)
            return False
        self.buckets[address] = (tokens - 1.0, now)
        if len(self.buckets) > 100_000:
            self.buckets.clear()
        return True


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
