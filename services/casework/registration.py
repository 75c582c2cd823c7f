"""Registration by an officer: identity confirmed, family, specific needs (UNHCR codes),
languages, education, profession; the case moves to ``registered`` (status machine).

Everything is validated first (every invalid field reported with its path) and written in
one transaction. A case whose members have a possible duplicate under review, or whose
principal has no biometric enrolment, is not registered. Needs changes recompute the
case's priority in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry
from psycopg import AsyncConnection

from auth.policy import Category
from auth.principal import Principal
from models.vocab import CaseStatus, EducationLevel, Relationship
from services.casework import priority, status
from services.casework.biometrics import open_duplicates
from services.casework.person_input import PersonIn, person_problems
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.permissions import require_any_write, require_write


@dataclass(frozen=True)
class NeedIn:
    person_id: int
    code: str
    detail: str | None = None


@dataclass(frozen=True)
class MemberProfileIn:
    person_id: int
    languages: tuple[str, ...] = ()
    education_level: str | None = None
    profession: str | None = None


@dataclass(frozen=True)
class RegistrationIn:
    case_number: int
    identity_confirmed: bool
    profiles: tuple[MemberProfileIn, ...] = ()
    new_members: tuple[PersonIn, ...] = ()
    needs: tuple[NeedIn, ...] = ()
    reason: str = "Registro completado en entrevista"


@dataclass(frozen=True)
class RegistrationOut:
    case_number: int
    status: CaseStatus
    member_ids: list[int] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def _language(code: str) -> str | None:
    """ISO 639 code (alpha-2 or alpha-3) or English name -> alpha-3; None when unknown."""
    found = pycountry.languages.get(alpha_2=code.lower()) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code.lower())
    if found is None:
        try:
            found = pycountry.languages.lookup(code)
        except LookupError:
            return None
    return str(found.alpha_3)


async def register_case(
    conn: AsyncConnection[Any], principal: Principal, request: RegistrationIn
) -> RegistrationOut:
    """Register a case at its interview (registrars of the case's office)."""
    require_any_write(
        principal,
        Category.STATUS_REGISTRATION,
        "Solo un registrador o registradora puede registrar expedientes.",
    )
    problems: list[FieldProblem] = []
    if not request.identity_confirmed:
        problems.append(
            FieldProblem(
                ("identityConfirmed",),
                "REQUIRED",
                "Confirme la identidad de la persona solicitante antes de registrar.",
            )
        )
    languages: dict[int, list[str]] = {}
    for i, prof in enumerate(request.profiles):
        codes = []
        for j, code in enumerate(prof.languages):
            alpha3 = _language(code)
            if alpha3 is None:
                problems.append(
                    FieldProblem(
                        ("profiles", i, "languages", j),
                        "UNKNOWN_LANGUAGE",
                        f"Idioma desconocido: «{code}» (use el código ISO 639).",
                    )
                )
            else:
                codes.append(alpha3)
        languages[prof.person_id] = codes
        if prof.education_level and prof.education_level not in EducationLevel._value2member_map_:
            problems.append(
                FieldProblem(
                    ("profiles", i, "educationLevel"), "INVALID", "Nivel educativo no válido."
                )
            )
    today = date.today()
    members: list[PersonIn] = []
    for i, person in enumerate(request.new_members):
        clean, found = person_problems(person, ("newMembers", i), today)
        problems.extend(found)
        if person.relationship in (Relationship.PRINCIPAL.value, "") or (
            person.relationship not in Relationship._value2member_map_
        ):
            problems.append(
                FieldProblem(
                    ("newMembers", i, "relationship"),
                    "INVALID",
                    "Indique el parentesco con la persona solicitante principal.",
                )
            )
        members.append(clean)
    async with conn.transaction():
        case = await (
            await conn.execute(
                "SELECT c.id, c.status, o.code FROM case_file c JOIN office o ON o.id = c.office_id"
                " WHERE c.number = %s FOR UPDATE OF c",
                (request.case_number,),
            )
        ).fetchone()
        if case is None:
            raise NotFound(f"No existe el expediente {request.case_number}.", "CASE_NOT_FOUND")
        case_id, _current, office_code = case
        require_write(
            principal,
            Category.STATUS_REGISTRATION,
            "Solo puede registrar expedientes de su oficina.",
            office_code=office_code,
        )
        member_rows = await (
            await conn.execute(
                "SELECT person_id, relationship FROM case_member WHERE case_id = %s", (case_id,)
            )
        ).fetchall()
        member_ids = {person_id for person_id, _ in member_rows}
        principal_id = next(
            (person_id for person_id, relationship in member_rows if relationship == "principal"),
            None,
        )
        for i, prof in enumerate(request.profiles):
            if prof.person_id not in member_ids:
                problems.append(
                    FieldProblem(
                        ("profiles", i, "personId"),
                        "NOT_A_MEMBER",
                        "La persona no pertenece a este expediente.",
                    )
                )
        known = {
            code
            for (code,) in await (
                await conn.execute(
                    "SELECT code FROM specific_need_code WHERE code = ANY(%s)",
                    ([n.code for n in request.needs],),
                )
            ).fetchall()
        }
        for i, need in enumerate(request.needs):
            if need.code not in known:
                problems.append(
                    FieldProblem(
                        ("needs", i, "code"),
                        "UNKNOWN_NEED",
                        f"Código de necesidad específica desconocido: «{need.code}».",
                    )
                )
            if need.person_id not in member_ids:
                problems.append(
                    FieldProblem(
                        ("needs", i, "personId"),
                        "NOT_A_MEMBER",
                        "La persona no pertenece a este expediente.",
                    )
                )
        if problems:
            raise ValidationFailed(problems)
        if await open_duplicates(conn, sorted(member_ids)):
            raise Conflict(
                "Hay un posible duplicado biométrico en revisión para este expediente; "
                "no se puede registrar hasta resolverlo.",
                "POSSIBLE_DUPLICATE_OPEN",
            )
        enrolled = await (
            await conn.execute(
                "SELECT 1 FROM biometric_enrolment WHERE person_id = %s", (principal_id,)
            )
        ).fetchone()
        if enrolled is None:
            raise Conflict(
                "Falta el enrolamiento biométrico de la persona solicitante principal.",
                "BIOMETRICS_MISSING",
            )
        for prof in request.profiles:
            await conn.execute(
                "UPDATE person SET languages = %s,"
                " education_level = coalesce(%s, education_level),"
                " profession = coalesce(%s, profession), updated_at = now() WHERE id = %s",
                (languages[prof.person_id], prof.education_level, prof.profession, prof.person_id),
            )
        new_ids = []
        for person in members:
            row = await (
                await conn.execute(
                    "INSERT INTO person (given_names, paternal_surname, maternal_surname, sex,"
                    " birth_date, country_of_birth, nationality) VALUES (%s, %s, %s, %s, %s, %s,"
                    " %s) RETURNING id",
                    (
                        person.given_names,
                        person.paternal_surname,
                        person.maternal_surname,
                        person.sex,
                        person.birth_date,
                        person.country_of_birth,
                        person.nationality,
                    ),
                )
            ).fetchone()
            assert row is not None
            (person_id,) = row
            new_ids.append(person_id)
            await conn.execute(
                "INSERT INTO case_member (case_id, person_id, relationship) VALUES (%s, %s, %s)",
                (case_id, person_id, person.relationship),
            )
        for need in request.needs:
            await conn.execute(
                "INSERT INTO case_need (case_id, person_id, code, detail) VALUES (%s, %s, %s, %s)",
                (case_id, need.person_id, need.code, need.detail),
            )
        if request.needs:
            await priority.recompute_case(conn, case_id)
        moved = await status.change_status(
            conn, principal, request.case_number, CaseStatus.REGISTERED, request.reason
        )
    return RegistrationOut(
        request.case_number,
        moved.to_status,
        sorted(member_ids) + new_ids,
        [n.code for n in request.needs],
    )
