"""The import area through GraphQL: the adjudication queue of candidate pairs (officers
confirm or reject; a wrong merge can be undone) and where a person's data came from."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from models.importing import ImportFieldChoice
from resolvers import importing as r
from schema.mapped import derived


@strawberry.type(description="Resumen de una persona candidata a duplicado.")
class ImportPersonSummary:
    id: strawberry.ID
    given_names: str | None
    paternal_surname: str | None
    maternal_surname: str | None
    birth_date: date | None
    nationality: str | None
    documents: list[str] | None
    case_numbers: list[int] | None
    sources: list[str] | None = strawberry.field(description="Archivo, hoja y fila de origen.")


@strawberry.type(description="Par candidato en la cola de adjudicación.")
class ImportPair:
    id: strawberry.ID
    probability: float | None = strawberry.field(
        description="Probabilidad de ser la misma persona."
    )
    status: str | None
    person_a: ImportPersonSummary | None
    person_b: ImportPersonSummary | None
    decided_by: str | None
    decided_at: datetime | None


@strawberry.type(description="Fusión de dos personas (se puede deshacer).")
class ImportMerge:
    merge_id: strawberry.ID
    kept_person_id: strawberry.ID | None
    merged_person_id: strawberry.ID | None


@strawberry.type(description="Un valor importado: de qué archivo, hoja, fila y columna vino.")
class ValueProvenance:
    field: str | None
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    raw_value: str | None
    normalised_value: str | None
    chosen: bool | None


@derived(
    ImportFieldChoice,
    "Qué valor ganó para un campo de la persona, y por qué.",
    nullable=True,
    shareable=False,
)
class FieldChoice:
    __exclude__ = ("person_id", "value_id")


@strawberry.type(description="Procedencia de los datos de una persona.")
class PersonProvenance:
    person_id: strawberry.ID
    values: list[ValueProvenance] | None
    choices: list[FieldChoice] | None


@strawberry.type
class ImportQuery:
    import_pairs: list[ImportPair] = strawberry.field(
        resolver=r.import_pairs,
        description="Cola de adjudicación: pares candidatos (open, confirmed, rejected).",
    )
    person_provenance: PersonProvenance = strawberry.field(
        resolver=r.person_provenance,
        description="De dónde vienen los datos de una persona y qué valor ganó.",
    )


@strawberry.type
class ImportMutation:
    confirm_import_pair: ImportMerge = strawberry.mutation(
        resolver=r.confirm_import_pair,
        description="Confirma que el par es la misma persona: fusiona (se puede deshacer).",
    )
    reject_import_pair: ImportPair = strawberry.mutation(
        resolver=r.reject_import_pair, description="Son personas distintas: cierra el par."
    )
    undo_import_merge: strawberry.ID = strawberry.mutation(
        resolver=r.undo_import_merge,
        description="Deshace una fusión: la persona fusionada vuelve con su id.",
    )


QUERIES: list[type] = [ImportQuery]
MUTATIONS: list[type] = [ImportMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
