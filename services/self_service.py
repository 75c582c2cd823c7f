"""What an applicant does for themself, beyond documents and appointments: correcting
their own contact data (phone, e-mail, address in Peru). The access policy lets an
applicant write their own ``contact`` category; the change is one UPDATE of their own
person row (the write log keeps the before/after, like every mutation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers
from psycopg import AsyncConnection

from services import input_limits as limits
from services.casework.person_input import EMAIL
from services.errors import FieldProblem, NotFound, ValidationFailed
from services.input_limits import text_problems


@dataclass(frozen=True)
class Contact:
    phone: str | None
    email: str | None
    department: str | None
    province: str | None
    district: str | None
    street: str | None


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def clean_contact(given: Contact, path: tuple[str, ...] = ("input",)) -> Contact:
    """The contact with the phone in E.164 and the e-mail in lower case, or every problem."""
    problems = text_problems(
        [
            ((*path, "phone"), given.phone, limits.PHONE),
            ((*path, "email"), given.email, limits.EMAIL),
            ((*path, "department"), given.department, limits.PLACE),
            ((*path, "province"), given.province, limits.PLACE),
            ((*path, "district"), given.district, limits.PLACE),
            ((*path, "street"), given.street, limits.STREET),
        ]
    )
    phone = _blank(given.phone)
    if phone and not problems:
        try:
            parsed = phonenumbers.parse(phone, "PE")
            if not phonenumbers.is_valid_number(parsed):
                raise phonenumbers.NumberParseException(1, "invalid")
            phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            problems.append(
                FieldProblem(
                    (*path, "phone"), "INVALID_PHONE", "El teléfono no es un número válido."
                )
            )
    email = _blank(given.email)
    if email and not EMAIL.match(email):
        problems.append(
            FieldProblem((*path, "email"), "INVALID_EMAIL", "El correo electrónico no es válido.")
        )
    if not phone and not email:
        problems.append(
            FieldProblem(
                (*path, "phone"),
                "CONTACT_REQUIRED",
                "Deje al menos un teléfono o un correo electrónico para que la Comisión pueda"
                " avisarle.",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return Contact(
        phone,
        email.lower() if email else None,
        _blank(given.department),
        _blank(given.province),
        _blank(given.district),
        _blank(given.street),
    )


async def update_own_contact(conn: AsyncConnection[Any], person_id: int, given: Contact) -> Contact:
    """Replace the person's contact data with ``given`` (all fields, as the form shows them)."""
    contact = clean_contact(given)
    async with conn.transaction():
        row = await (
            await conn.execute(
                "UPDATE person SET phone = %s, email = %s, department = %s, province = %s,"
                " district = %s, street = %s WHERE id = %s RETURNING id",
                (
                    contact.phone,
                    contact.email,
                    contact.department,
                    contact.province,
                    contact.district,
                    contact.street,
                    person_id,
                ),
            )
        ).fetchone()
        if row is None:
            raise NotFound("No existe la persona indicada.", "PERSON_NOT_FOUND")
    return contact
