"""Resolvers of a case's claim (``schema/claim.py``): one service call per level of cases;
every record carries its case's row scope (the policy checks and logs the read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from auth.policy import RowScope
from resolvers.core import batched
from services.casework import claim_reads
from services.casework.claim_records import read_history_reasons
from services.records import CaseRecord, StatusChangeRecord


@dataclass(slots=True)
class Scoped:
    """A claim record as the schema shows it, with the row scope of its case."""

    row_scope: RowScope
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


async def _files(roots: list[CaseRecord], info: Any) -> list[Any]:
    files = await info.context.run(claim_reads.claim_files, [r.id for r in roots])
    return [_scoped_file(files[r.id], r.row_scope) for r in roots]


def _scoped_file(file: claim_reads.ClaimFileView, scope: RowScope) -> Scoped:
    return Scoped(
        scope,
        {
            name: [Scoped(scope, item) for item in getattr(file, name)]
            for name in ("interviews", "assessments", "decisions", "appeals")
        },
    )


@batched(_files)
async def case_claim(root: CaseRecord, info: strawberry.Info) -> Any:
    return (await _files([root], info))[0]


async def _letters(roots: list[CaseRecord], info: Any) -> list[list[Any]]:
    letters = await info.context.run(claim_reads.decision_letters, [r.id for r in roots])
    return [[Scoped(r.row_scope, item) for item in letters[r.id]] for r in roots]


@batched(_letters)
async def case_decision_letters(root: CaseRecord, info: strawberry.Info) -> Any:
    return (await _letters([root], info))[0]


async def _reasons(roots: list[StatusChangeRecord], info: Any) -> list[str | None]:
    sealed = sorted({r.case_id for r in roots if r.sealed})
    opened = await info.context.run(read_history_reasons, sealed) if sealed else {}
    return [opened.get(r.id, r.reason) if r.sealed else r.reason for r in roots]


@batched(_reasons)
async def history_reason(root: StatusChangeRecord, info: strawberry.Info) -> str | None:
    """The reason of a move; a decision's reasons are opened (sealed claim data) only
    when the field is read, i.e. by a role the policy lets read claim (and logged)."""
    return (await _reasons([root], info))[0]
