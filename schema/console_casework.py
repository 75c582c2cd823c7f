"""Root fields of the console's casework (issue 14): manual assignment and the officers'
load, undoing a "same person" duplicate decision, and case notes."""

from __future__ import annotations

import strawberry

from resolvers import console_casework as r
from schema.case_extras import CaseNote, OfficerLoad
from schema.casework import AssignedCase
from schema.duplicates import PossibleDuplicate
from schema.fields import field, mutation


@strawberry.type
class ConsoleCaseworkQuery:
    @field(description="Oficiales de elegibilidad de una oficina con su carga y capacidad.")
    async def eligibility_officers(
        self, info: strawberry.Info, office_code: str
    ) -> list[OfficerLoad]:
        return await r.eligibility_officers(info, office_code)


@strawberry.type
class ConsoleCaseworkMutation:
    @mutation(
        description="Asigna (o reasigna) un expediente a un oficial de elegibilidad, con motivo;"
        " mismas reglas de oficina, perfil y capacidad que la asignación automática."
    )
    async def assign_case(
        self, info: strawberry.Info, case_number: int, officer: str, reason: str
    ) -> AssignedCase:
        return await r.assign_case(info, case_number, officer, reason)

    @mutation(
        description="Deshace una decisión «misma persona» (DUPLICATE), con motivo: la revisión"
        " vuelve a quedar pendiente."
    )
    async def undo_duplicate_decision(
        self, info: strawberry.Info, id: int, note: str
    ) -> PossibleDuplicate:
        return await r.undo_duplicate_decision(info, id, note)

    @mutation(description="Agrega una nota al expediente (datos de la solicitud).")
    async def add_case_note(self, info: strawberry.Info, case_number: int, text: str) -> CaseNote:
        return await r.add_case_note(info, case_number, text)


QUERIES: list[type] = [ConsoleCaseworkQuery]
MUTATIONS: list[type] = [ConsoleCaseworkMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
