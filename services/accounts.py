"""Applicants' self-service accounts: activation with the pre-registration code, password
reset with a code sent through the applicant message outbox.

Codes are stored hashed (SHA-256: they are random, a slow KDF adds nothing), expire
(activation: ``ACTIVATION_DAYS`` after pre-registration; reset: ``RESET_MINUTES``), and
are single-use (cleared when used). Every wrong code counts against the account: after
``MAX_FAILURES`` in a row it is locked for ``LOCK_MINUTES``. An unknown login and a wrong
code get the same answer, so the answer does not tell whether an account exists; asking
for a reset answers the same whatever the login.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import AsyncConnection

from auth.oauth import hash_secret
from services.casework.pre_registration import ACTIVATION_DAYS, hash_activation_code
from services.errors import DomainError, FieldProblem, ValidationFailed

RESET_MINUTES = 30
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
MAX_PASSWORD = 128
# Crockford's base32 without look-alikes: a code a person can read from an SMS and type.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
COMMON = frozenset(
    {
        "1234567890",
        "12345678910",
        "contraseña",
        "contrasena1",
        "password123",
        "qwertyuiop",
        "peru123456",
        "refugiado1",
        "0987654321",
        "1111111111",
    }
)
Conn = AsyncConnection[Any]

INVALID_CODE = DomainError(
    "El usuario o el código no son correctos. Revise ambos e inténtelo de nuevo.",
    "INVALID_CODE",
)


def _locked(until: datetime) -> DomainError:
    minutes = max(1, int((until - datetime.now(UTC)).total_seconds() // 60) + 1)
    return DomainError(
        "Demasiados intentos fallidos: por seguridad, espere "
        f"{minutes} minuto(s) antes de volver a intentarlo.",
        "TOO_MANY_ATTEMPTS",
    )


def password_problems(
    password: str, login: str, path: tuple[str | int, ...] = ("password",)
) -> list[FieldProblem]:
    """The usual rules: 10 to 128 characters, letters and at least one digit or symbol,
    not the user name, not a well-known password."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(
            FieldProblem(
                path,
                "PASSWORD_TOO_SHORT",
                f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.",
            )
        )
    elif len(password) > MAX_PASSWORD:
        problems.append(
            FieldProblem(
                path,
                "PASSWORD_TOO_LONG",
                f"La contraseña no puede tener más de {MAX_PASSWORD} caracteres.",
            )
        )
    elif not any(c.isalpha() for c in password) or all(c.isalpha() for c in password):
        problems.append(
            FieldProblem(
                path,
                "PASSWORD_TOO_SIMPLE",
                "La contraseña debe combinar letras con al menos un número o un símbolo.",
            )
        )
    elif password.lower() in COMMON or len(set(password)) < 4:
        problems.append(
            FieldProblem(
                path,
                "PASSWORD_TOO_COMMON",
                "Esa contraseña es demasiado común o repetitiva; elija otra.",
            )
        )
    local = login.split("@", 1)[0].lower()
    if not problems and len(local) >= 4 and local in password.lower():
        problems.append(
            FieldProblem(
                path,
                "PASSWORD_CONTAINS_LOGIN",
                "La contraseña no puede contener su nombre de usuario.",
            )
        )
    return problems


def new_reset_code() -> str:
    """Eight characters of Crockford base32 (40 bits), shown as ``XXXX-XXXX``."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def _reset_form(code: str) -> str:
    """A reset code as issued, however it was typed (case, spaces, hyphen, O for 0)."""
    raw = code.strip().upper().replace(" ", "").replace("-", "")
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{raw[:4]}-{raw[4:]}"


@dataclass(frozen=True)
class Account:
    person_id: int
    login: str
    activated: bool
    code_hash: str | None
    code_expires: datetime | None
    failed: int
    locked_until: datetime | None


async def _account(conn: Conn, login: str, reset: bool) -> Account | None:
    code, expires = (
        ("reset_code_hash", "reset_expires_at")
        if reset
        else (
            "activation_code_hash",
            f"coalesce(activation_expires_at, created_at + interval '{ACTIVATION_DAYS} days')",
        )
    )
    row = await (
        await conn.execute(
            f"SELECT person_id, login, activated_at IS NOT NULL, {code}, {expires},"
            " failed_attempts, locked_until FROM applicant_account WHERE login = %s"
            " FOR UPDATE",
            (login.strip().lower(),),
        )
    ).fetchone()
    return Account(*row) if row else None


async def _check_code(
    conn: Conn, account: Account | None, given: str, now: datetime
) -> DomainError | None:
    """None if ``given`` is the account's current code, else why not. A wrong code is
    counted (and may lock the account): the caller commits, then raises."""
    if account is None:
        return INVALID_CODE
    if account.locked_until is not None and account.locked_until > now:
        return _locked(account.locked_until)
    good = account.code_hash is not None and hmac.compare_digest(
        account.code_hash, hash_activation_code(given)
    )
    if not good:
        failed = account.failed + 1
        locked = now + timedelta(minutes=LOCK_MINUTES) if failed >= MAX_FAILURES else None
        await conn.execute(
            "UPDATE applicant_account SET failed_attempts = %s, locked_until = %s"
            " WHERE person_id = %s",
            (0 if locked else failed, locked, account.person_id),
        )
        return _locked(locked) if locked is not None else INVALID_CODE
    if account.code_expires is not None and account.code_expires < now:
        return DomainError(
            "El código venció. Pida uno nuevo: en «Olvidé mi contraseña» o en una oficina.",
            "CODE_EXPIRED",
        )
    return None


async def activate(
    conn: Conn, login: str, code: str, password: str, now: datetime | None = None
) -> int:
    """Set the first password with the code given at pre-registration; returns the person
    id. The code works once."""
    now = now or datetime.now(UTC)
    problems = password_problems(password, login)
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        account = await _account(conn, login, reset=False)
        if account is not None and account.activated:
            raise DomainError(
                "Esta cuenta ya está activada: inicie sesión o use «Olvidé mi contraseña».",
                "ALREADY_ACTIVATED",
            )
        error = await _check_code(conn, account, code.strip(), now)
        if error is None and account is not None:
            await conn.execute(
                "UPDATE applicant_account SET password_hash = %s, activated_at = %s,"
                " activation_code_hash = NULL, failed_attempts = 0, locked_until = NULL"
                " WHERE person_id = %s",
                (await asyncio.to_thread(hash_secret, password), now, account.person_id),
            )
            return account.person_id
    raise error or INVALID_CODE


@dataclass(frozen=True)
class ResetRequested:
    channel: str | None  # email | sms | None (no contact: go to an office)


async def request_reset(conn: Conn, login: str, now: datetime | None = None) -> ResetRequested:
    """Send a reset code to the person's e-mail (or phone) through the message outbox.
    Callers answer the same whatever this returns."""
    now = now or datetime.now(UTC)
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT a.person_id, p.email, p.phone FROM applicant_account a"
                " JOIN person p ON p.id = a.person_id"
                " WHERE a.login = %s AND a.activated_at IS NOT NULL FOR UPDATE OF a",
                (login.strip().lower(),),
            )
        ).fetchone()
        if row is None:
            return ResetRequested(None)
        person_id, email, phone = row
        channel, recipient = ("email", email) if email else ("sms", phone)
        if not recipient:
            return ResetRequested(None)
        code = new_reset_code()
        await conn.execute(
            "UPDATE applicant_account SET reset_code_hash = %s, reset_expires_at = %s"
            " WHERE person_id = %s",
            (hash_activation_code(code), now + timedelta(minutes=RESET_MINUTES), person_id),
        )
        await conn.execute(
            "INSERT INTO applicant_message (person_id, channel, recipient, subject, body)"
            " VALUES (%s, %s, %s, %s, %s)",
            (
                person_id,
                channel,
                recipient,
                "Código para cambiar su contraseña — CEPR",
                f"Su código para cambiar la contraseña es {code}. Vence en {RESET_MINUTES}"
                " minutos. Si usted no lo pidió, ignore este mensaje.",
            ),
        )
    return ResetRequested(channel)


async def reset_password(
    conn: Conn, login: str, code: str, password: str, now: datetime | None = None
) -> int:
    """Set a new password with a reset code; the code works once."""
    now = now or datetime.now(UTC)
    problems = password_problems(password, login)
    if problems:
        raise ValidationFailed(problems)
    async with conn.transaction():
        account = await _account(conn, login, reset=True)
        error = await _check_code(conn, account, _reset_form(code), now)
        if error is None and account is not None:
            await conn.execute(
                "UPDATE applicant_account SET password_hash = %s, reset_code_hash = NULL,"
                " reset_expires_at = NULL, failed_attempts = 0, locked_until = NULL"
                " WHERE person_id = %s",
                (await asyncio.to_thread(hash_secret, password), account.person_id),
            )
            return account.person_id
    raise error or INVALID_CODE
