"""Thin resolvers of the import area: the adjudication queue, merges, provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import strawberry

from auth.policy import RowScope
from hub.write_log import engine_write
from services.errors import FieldProblem, ValidationFailed
from services.importing import adjudication as adj
from services.importing import merging


def _id(raw: object, name: str = "id") -> int:
    try:
        value = int(str(raw))
    except ValueError:
        value = 0
    if value <= 0:
        raise ValidationFailed(
            [FieldProblem((name,), "INVALID_ID", "El identificador no es válido.")]
        )
    return value


def _actor(info: strawberry.Info) -> str:
    principal = info.context.principal
    return str(getattr(principal, "actor_label", None) or principal.subject)


def _scope(*people: adj.PersonSummary | None) -> RowScope:
    present = [p for p in people if p is not None]
    return RowScope(
        person_ids=tuple(p.id for p in present),
        office_codes=frozenset(c for p in present for c in p.office_codes),
        assigned_officer_ids=frozenset(o for p in present for o in p.assigned_officer_ids),
    )


@dataclass(slots=True)
class PersonSummaryView:
    id: str
    given_names: str
    paternal_surname: str
    maternal_surname: str | None
    birth_date: date | None
    nationality: str | None
    documents: list[str]
    case_numbers: list[int]
    sources: list[str]
    row_scope: RowScope


@dataclass(slots=True)
class PairView:
    id: str
    probability: float
    status: str
    person_a: PersonSummaryView | None
    person_b: PersonSummaryView | None
    decided_by: str | None
    decided_at: datetime | None
    row_scope: RowScope


@dataclass(slots=True)
class MergeView:
    merge_id: str
    kept_person_id: str
    merged_person_id: str
    row_scope: RowScope


@dataclass(slots=True)
class ValueView:
    field: str
    file: str
    sheet: str
    row: int
    column: str
    raw_value: str
    normalised_value: str | None
    chosen: bool
    row_scope: RowScope


@dataclass(slots=True)
class ChoiceView:
    field: str
    value: str | None
    rule: str
    reason: str
    candidates: int
    row_scope: RowScope


@dataclass(slots=True)
class ProvenanceView:
    person_id: str
    values: list[ValueView]
    choices: list[ChoiceView]
    row_scope: RowScope


def _person(p: adj.PersonSummary | None, scope: RowScope) -> PersonSummaryView | None:
    if p is None:
        return None
    return PersonSummaryView(
        str(p.id),
        p.given_names,
        p.paternal_surname,
        p.maternal_surname,
        p.birth_date,
        p.nationality,
        p.documents,
        p.case_numbers,
        p.sources,
        scope,
    )


def _pair(p: adj.QueuedPair) -> PairView:
    scope = _scope(p.person_a, p.person_b)
    return PairView(
        str(p.id),
        p.probability,
        p.status,
        _person(p.person_a, scope),
        _person(p.person_b, scope),
        p.decided_by,
        p.decided_at,
        scope,
    )


async def import_pairs(
    info: strawberry.Info, status: str = "open", first: int = 50, offset: int = 0
) -> list[Any]:
    if status not in ("open", "confirmed", "rejected"):
        raise ValidationFailed(
            [
                FieldProblem(
                    ("status",), "INVALID_STATUS", "El estado debe ser open, confirmed o rejected."
                )
            ]
        )
    if not 0 < first <= 500 or offset < 0:
        raise ValidationFailed(
            [FieldProblem(("first",), "INVALID_PAGE_SIZE", "Pida entre 1 y 500 pares.")]
        )
    async with info.context.state.engine.connect() as conn:
        pairs = await adj.list_pairs(conn, status, first, offset)
    return [_pair(p) for p in pairs]


async def person_provenance(info: strawberry.Info, person_id: strawberry.ID) -> Any:
    pid = _id(person_id, "personId")
    async with info.context.state.engine.connect() as conn:
        summary, (values, choices) = await _provenance(conn, pid)
    scope = _scope(summary)
    return ProvenanceView(
        str(pid),
        [
            ValueView(
                v.field,
                v.file,
                v.sheet,
                v.row,
                v.column,
                v.raw_value,
                v.normalised_value,
                v.chosen,
                scope,
            )
            for v in values
        ],
        [ChoiceView(c.field, c.value, c.rule, c.reason, c.candidates, scope) for c in choices],
        scope,
    )


async def _provenance(conn: Any, pid: int) -> tuple[adj.PersonSummary, Any]:
    return await adj.person_summary(conn, pid), await adj.person_provenance(conn, pid)


# The adjudications write on the engine: each commits together with its own log entry.


async def confirm_import_pair(info: strawberry.Info, id: strawberry.ID) -> Any:
    pair_id = _id(id)
    m = await engine_write(
        info.context, "confirmImportPair", adj.confirm_pair, pair_id, _actor(info)
    )
    return MergeView(
        str(m.merge_id),
        str(m.kept_person_id),
        str(m.merged_person_id),
        RowScope(person_ids=(m.kept_person_id,)),
    )


async def reject_import_pair(info: strawberry.Info, id: strawberry.ID) -> Any:
    pair_id = _id(id)
    await engine_write(info.context, "rejectImportPair", adj.reject_pair, pair_id, _actor(info))
    async with info.context.state.engine.connect() as conn:
        pairs = await adj.list_pairs(conn, "rejected", 1, 0, pair_id=pair_id)
    return _pair(pairs[0])


async def undo_import_merge(info: strawberry.Info, id: strawberry.ID) -> strawberry.ID:
    merge_id = _id(id)
    restored = await engine_write(
        info.context, "undoImportMerge", merging.undo_merge, merge_id, _actor(info)
    )
    return strawberry.ID(str(restored))
