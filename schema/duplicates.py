"""Review of possible duplicates raised by biometric enrolment."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers import console_casework as rx
from resolvers import duplicates as r
from schema.core import Person
from schema.enums import DuplicateDecision, DuplicateStatus
from schema.fields import field, mutation, served


@strawberry.federation.type(
    shareable=True,
    description="Posible duplicado: el cotejo biométrico de una persona coincidió con otra.",
)
class PossibleDuplicate:
    id: int
    score: float = strawberry.field(description="Similitud del cotejo (1.0 = idéntico).")
    source: str
    status: DuplicateStatus
    raised_by: str
    raised_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None
    undone_by: str | None = strawberry.field(
        description="Quién deshizo la última decisión «misma persona» (la revisión reabierta)."
    )
    undone_at: datetime | None
    undo_note: str | None = strawberry.field(description="Por qué se deshizo.")
    photo: str | None = strawberry.field(
        resolver=rx.review_photo,
        description="Fotografía tomada en el enrolamiento que levantó la revisión (URL data).",
    )
    person: Person | None = strawberry.field(
        resolver=r.duplicate_person, description="La persona que se estaba enrolando."
    )
    matched_person: Person | None = strawberry.field(
        resolver=r.duplicate_matched_person, description="La persona ya enrolada que coincidió."
    )


@strawberry.type
class DuplicateQuery:
    @field(
        description="Posibles duplicados por revisar (o todos con status: null), del más antiguo."
    )
    async def possible_duplicates(
        self,
        info: strawberry.Info,
        status: DuplicateStatus | None = DuplicateStatus.OPEN,
        first: int = 50,
        after: int | None = None,
    ) -> list[PossibleDuplicate]:
        return served(await r.possible_duplicates(info, status, first, after))


@strawberry.type
class DuplicateMutation:
    @mutation(description="Decide un posible duplicado: DUPLICATE (la misma persona) o DISTINCT.")
    async def resolve_possible_duplicate(
        self, info: strawberry.Info, id: int, decision: DuplicateDecision, note: str
    ) -> PossibleDuplicate:
        return served(await r.resolve_possible_duplicate(info, id, decision, note))


QUERIES: list[type] = [DuplicateQuery]
MUTATIONS: list[type] = [DuplicateMutation]
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
