"""Resolvers for registration by an officer and biometric enrolment."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from auth.policy import RowScope
from resolvers.casework_priority import Mapped
from services.casework import biometrics, registration
from services.casework.person_input import parse_person
from services.errors import FieldProblem, ValidationFailed

# The hub's matcher: the local demo matcher until an AFIS adapter is configured.
MATCHER: biometrics.BiometricMatcher = biometrics.LocalMatcher()


async def register_case(info: strawberry.Info, data: Any) -> Any:
    ctx = info.context
    request = registration.RegistrationIn(
        case_number=data.case_number,
        identity_confirmed=data.identity_confirmed,
        profiles=tuple(
            registration.MemberProfileIn(
                p.person_id,
                tuple(p.languages or ()),
                getattr(p.education_level, "value", p.education_level),
                p.profession,
            )
            for p in data.profiles or ()
        ),
        new_members=tuple(
            parse_person(
                {
                    "givenNames": m.given_names,
                    "paternalSurname": m.paternal_surname,
                    "maternalSurname": m.maternal_surname,
                    "sex": m.sex,
                    "birthDate": m.birth_date,
                    "nationality": m.nationality,
                    "relationship": m.relationship,
                }
            )
            for m in data.new_members or ()
        ),
        needs=tuple(registration.NeedIn(n.person_id, n.code, n.detail) for n in data.needs or ()),
    )
    out = await ctx.run(registration.register_case, ctx.principal, request)
    return Mapped(
        RowScope(office_codes=frozenset({ctx.principal.office_code or ""})),
        case_number=out.case_number,
        status=out.status,
        member_ids=out.member_ids,
    )


def _base64(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            [FieldProblem((name,), "INVALID", "El valor debe venir en base64.")]
        ) from None


async def enrol_biometrics(
    info: strawberry.Info, person_id: int, template: str, photo: str | None = None
) -> Any:
    ctx = info.context
    raw = _base64(template, "template")
    picture = _base64(photo, "photo") if photo else None
    result = await ctx.run(biometrics.enrol, ctx.principal, MATCHER, person_id, raw, picture)
    return Mapped(
        RowScope(office_codes=frozenset({ctx.principal.office_code or ""})),
        outcome=result.outcome.value.upper(),
        person_id=result.person_id,
        duplicate_id=result.duplicate_id,
        score=result.score,
    )
