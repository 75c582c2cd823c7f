"""Case work at the office: registering a pre-registered case at the interview (identity,
family, profiles, needs) and enrolling biometrics."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers import casework_registration as rr
from schema.enums import CaseStatus, EducationLevel, Relationship, Sex
from schema.fields import mutation


@strawberry.input(description="Perfil de un miembro del expediente.")
class MemberProfileData:
    person_id: int
    languages: list[str] | None = None
    education_level: EducationLevel | None = None
    profession: str | None = None


@strawberry.input(description="Nuevo miembro de la familia.")
class NewMemberData:
    given_names: str
    paternal_surname: str
    sex: Sex
    birth_date: date
    nationality: str
    relationship: Relationship
    maternal_surname: str | None = None


@strawberry.input(description="Necesidad específica (código ACNUR) de un miembro.")
class NeedData:
    person_id: int
    code: str
    detail: str | None = None


@strawberry.input(description="Registro del expediente en la entrevista.")
class RegistrationInput:
    case_number: int
    identity_confirmed: bool
    profiles: list[MemberProfileData] | None = None
    new_members: list[NewMemberData] | None = None
    needs: list[NeedData] | None = None


@strawberry.federation.type(shareable=True, description="Expediente registrado.")
class RegistrationResult:
    case_number: int | None
    status: CaseStatus | None
    member_ids: list[int] | None


@strawberry.federation.type(
    shareable=True, description="Resultado del enrolamiento (solo el resultado del cotejo)."
)
class EnrolmentResult:
    outcome: str | None = strawberry.field(
        description="ENROLLED, ALREADY_ENROLLED o POSSIBLE_DUPLICATE."
    )
    person_id: int | None
    duplicate_id: int | None
    score: float | None


@strawberry.type
class RegistrationMutation:
    @mutation(description="Registra el expediente (identidad, familia, necesidades).")
    async def register_case(
        self, info: strawberry.Info, input: RegistrationInput
    ) -> RegistrationResult:
        return await rr.register_case(info, input)

    @mutation(
        description="Enrola datos biométricos (plantilla en base64) y la fotografía tomada"
        " en el enrolamiento (JPEG o PNG en base64, para el carné y la autorización)."
    )
    async def enrol_biometrics(
        self, info: strawberry.Info, person_id: int, template: str, photo: str | None = None
    ) -> EnrolmentResult:
        return await rr.enrol_biometrics(info, person_id, template, photo)


MUTATIONS: list[type] = [RegistrationMutation]
