"""Online pre-registration, 24 hours, no login: person(s), a case and a new expediente number.

Every invalid field is reported at once (path, code, Spanish message); nothing is written
unless everything is valid. An idempotency key makes a retried submission return the same
case, also when the retry arrives while the first is still being written (the key's
unique index makes the second wait, then find the first). A document already registered
is refused without revealing whose it is.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import phonenumbers
import psycopg
from cachetools import LRUCache
from psycopg import AsyncConnection

from services import input_limits as limits
from services.casework.person_input import EMAIL, PersonIn, person_problems
from services.errors import Conflict, FieldProblem, ValidationFailed
from services.input_limits import count_problem, text_problems

ACTIVATION_DAYS = 30  # the activation code expires (services/accounts.py accepts it)


def hash_activation_code(code: str) -> str:
    """Activation codes are random (72 bits): a plain digest suffices, a slow KDF would
    only slow down every submission."""
    return "sha256$" + hashlib.sha256(code.encode()).hexdigest()


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


def validate(
    request: PreRegistrationIn, today: date | None = None
) -> tuple[PreRegistrationIn, str | None]:
    """The request with values normalised (ISO countries, E.164 phone), or every problem."""
    today = today or date.today()
    too_many = count_problem(("input", "dependants"), request.dependants, limits.MAX_DEPENDANTS)
    if too_many is not None:  # refused before any of them is looked at
        raise ValidationFailed([too_many])
    problems: list[FieldProblem] = text_problems(
        [
            (("input", "idempotencyKey"), request.idempotency_key, 128),
            (("input", "officeCode"), request.office_code, limits.CODE),
            (("input", "phone"), request.phone, limits.PHONE),
            (("input", "email"), request.email, limits.EMAIL),
            (("input", "department"), request.department, limits.PLACE),
            (("input", "province"), request.province, limits.PLACE),
            (("input", "district"), request.district, limits.PLACE),
            (("input", "street"), request.street, limits.STREET),
        ]
    )
    if problems:
        raise ValidationFailed(problems)
    if not 8 <= len(request.idempotency_key) <= 128:
        problems.append(
            FieldProblem(
                ("input", "idempotencyKey"),
                "INVALID_IDEMPOTENCY_KEY",
                "La clave de idempotencia debe tener entre 8 y 128 caracteres.",
            )
        )
    applicant, found = person_problems(request.applicant, ("input", "applicant"), today)
    problems += found
    dependants = []
    for index, dependant in enumerate(request.dependants):
        person, found = person_problems(dependant, ("input", "dependants", index), today)
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
            (office_id,) = office
            case_row = await (
                await conn.execute(
                    "INSERT INTO case_file (office_id, status, filing_date) VALUES (%s,"
                    " 'pre_registered', %s) RETURNING id, number",
                    (office_id, today or date.today()),
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
                (person_id,) = row
                if principal:
                    principal_id = person_id
                if person.document is not None:
                    await conn.execute(
                        "INSERT INTO identity_document (person_id, doc_type, number,"
                        " issuing_country) VALUES (%s, %s, %s, %s)",
                        (
                            person_id,
                            person.document.type,
                            person.document.number,
                            person.document.issuing_country,
                        ),
                    )
                await conn.execute(
                    "INSERT INTO case_member (case_id, person_id, relationship)"
                    " VALUES (%s, %s, %s)",
                    (case_id, person_id, "principal" if principal else person.relationship),
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
                "INSERT INTO applicant_account (person_id, login, activation_code_hash,"
                " activation_expires_at) VALUES (%s, %s, %s, now() + %s * interval '1 day')"
                " ON CONFLICT (login) DO NOTHING",
                (principal_id, login, hash_activation_code(code), ACTIVATION_DAYS),
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
    case_number, request_hash = row
    if request_hash != fingerprint:
        raise Conflict(
            "Esta clave de idempotencia ya se usó con otros datos.", "IDEMPOTENCY_KEY_REUSED"
        )
    return PreRegistrationOut(
        int(case_number),
        True,
        None,
        None,
        f"Su solicitud ya fue recibida: expediente N.° {case_number}.",
    )


@dataclass
class RateLimiter:
    """Per-address token bucket (in process; with several processes each has its own).

    Memory is bounded: past ``max_addresses`` the least recently seen address's bucket is
    dropped (cachetools' LRU) — one bucket, not all of them; a bucket idle for a minute is
    full again anyway, so dropping it forgets nothing an attacker could use."""

    per_minute: int
    max_addresses: int = 100_000
    buckets: LRUCache[str, tuple[float, float]] = field(init=False)

    def __post_init__(self) -> None:
        self.buckets = LRUCache(maxsize=self.max_addresses)

    async def admit(self, address: str) -> bool:
        """``allow`` now (the interface ``rate_window.SharedRateLimiter`` shares)."""
        return self.allow(address, time.monotonic())

    def allow(self, address: str, now: float) -> bool:
        tokens, last = self.buckets.get(address, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            self.buckets[address] = (tokens, now)
            return False
        self.buckets[address] = (tokens - 1.0, now)
        return True
