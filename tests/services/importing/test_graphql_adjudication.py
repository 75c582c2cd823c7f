"""The adjudication queue and provenance through GraphQL, under the access policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.errors import format_error
from hub.readpool import open_pool
from hub.routes_graphql import contract_for
from hub.settings import load_settings
from hub.state import HubState
from models.vocab import Agency, Role
from services.importing.service import ImportOptions, run_import
from tests.resolvers.test_statement_count import run_as

SUPERVISOR = Principal(
    role=Role.CEPR_SUPERVISOR, agency=Agency.CEPR, subject="sup1", office_code="LIM"
)
REGISTRAR = Principal(
    role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg1", office_code="LIM"
)

# Two rows with the same three names and nothing else in common: the model is unsure -> queue.
SHEET = (
    "Nombres;Apellido paterno;Apellido materno;Nacionalidad;Expediente;Teléfono\n"
    "María;Quispe;Mamani;venezolana;180001;\n"
    "Maria;Quispe;Mamani;VEN;;987654321\n"
)


@pytest.fixture(scope="module")
async def state(
    import_db_url: str, import_engine: AsyncEngine, tmp_path_factory: Any
) -> AsyncIterator[HubState]:
    sheet: Path = tmp_path_factory.mktemp("gql") / "dos.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    report = await run_import(import_engine, [sheet], ImportOptions())
    assert (report.persons_created, report.pairs_queued) == (2, 1)
    settings = load_settings()
    hub = HubState(settings, import_db_url, import_engine)
    hub.pool = await open_pool(import_db_url, settings)
    yield hub
    await hub.pool.close()


PAIRS = (
    "{ importPairs { id probability status "
    "personA { id givenNames caseNumbers sources } personB { id sources } } }"
)


async def test_queue_confirm_undo_through_graphql(
    state: HubState, import_engine: AsyncEngine
) -> None:
    result = await run_as(state, SUPERVISOR, PAIRS)
    assert result.errors is None, result.errors
    (pair,) = result.data["importPairs"]  # type: ignore[index]
    assert pair["status"] == "open" and 0.5 <= pair["probability"] < 0.9
    assert pair["personA"]["givenNames"] == "María"
    assert pair["personA"]["caseNumbers"] == [180001]
    assert pair["personA"]["sources"] == ["dos.csv  fila 2"]

    confirm = await run_as(
        state,
        SUPERVISOR,
        "mutation($id: ID!) { confirmImportPair(id: $id) { mergeId keptPersonId mergedPersonId } }",
        {"id": pair["id"]},
    )
    assert confirm.errors is None, confirm.errors
    merged = confirm.data["confirmImportPair"]  # type: ignore[index]
    assert merged["keptPersonId"] == pair["personA"]["id"]
    assert merged["mergedPersonId"] == pair["personB"]["id"]
    async with import_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one() == 1

    prov = await run_as(
        state,
        SUPERVISOR,
        "query($p: ID!) { personProvenance(personId: $p) { personId "
        "values { field file row column rawValue normalisedValue chosen } choices { field "
        "value rule reason } } }",
        {"p": merged["keptPersonId"]},
    )
    assert prov.errors is None, prov.errors
    values = prov.data["personProvenance"]["values"]  # type: ignore[index]
    assert {(v["row"], v["field"]) for v in values} >= {(2, "case_number"), (3, "phone")}
    phone = next(v for v in values if v["field"] == "phone")
    assert (phone["column"], phone["rawValue"], phone["normalisedValue"]) == (
        "Teléfono",
        "987654321",
        "+51987654321",
    )

    undo = await run_as(
        state,
        SUPERVISOR,
        "mutation($id: ID!) { undoImportMerge(id: $id) }",
        {"id": merged["mergeId"]},
    )
    assert undo.errors is None, undo.errors
    assert undo.data == {"undoImportMerge": merged["mergedPersonId"]}
    async with import_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one() == 2
    again = await run_as(
        state,
        SUPERVISOR,
        "mutation($id: ID!) { undoImportMerge(id: $id) }",
        {"id": merged["mergeId"]},
    )
    assert [format_error(e)["extensions"]["code"] for e in again.errors or []] == [
        "MERGE_ALREADY_UNDONE"
    ]
    rejected = await run_as(
        state, SUPERVISOR, '{ importPairs(status: "rejected") { id status decidedBy } }'
    )
    assert rejected.data == {
        "importPairs": [
            {"id": pair["id"], "status": "rejected", "decidedBy": SUPERVISOR.actor_label}
        ]
    }


def root_fields(role: Role, root: str) -> set[str]:
    schema = contract_for(role).schema
    t = schema.get_type(root)
    return set(t.fields) if t is not None else set()  # type: ignore[attr-defined]


def test_who_sees_and_resolves_the_queue() -> None:
    mutations = {"confirmImportPair", "rejectImportPair", "undoImportMerge"}
    reads = {"importPairs", "personProvenance"}
    # the supervisor adjudicates; officers read (own office / assigned cases); agencies never
    assert mutations <= root_fields(Role.CEPR_SUPERVISOR, "Mutation")
    assert reads <= root_fields(Role.CEPR_SUPERVISOR, "Query")
    for role in (Role.CEPR_REGISTRAR, Role.CEPR_ELIGIBILITY, Role.CEPR_SECRETARY):
        assert reads <= root_fields(role, "Query")
        assert not mutations & root_fields(role, "Mutation")
    for role in (Role.MIGRACIONES, Role.MINSA, Role.ACNUR, Role.APPLICANT, Role.PUBLIC):
        assert not reads & root_fields(role, "Query")
        assert not mutations & root_fields(role, "Mutation")


async def test_registrar_of_another_office_gets_forbidden_fields(state: HubState) -> None:
    result = await run_as(
        state, REGISTRAR, '{ importPairs(status: "rejected") { id status personA { givenNames } } }'
    )
    # the pair's persons are in a Lima case (180001) ... the registrar of Lima reads it
    assert result.errors is None, result.errors
    other = Principal(
        role=Role.CEPR_REGISTRAR, agency=Agency.CEPR, subject="reg2", office_code="CUZ"
    )
    denied = await run_as(state, other, '{ importPairs(status: "rejected") { id status } }')
    codes = {format_error(e)["extensions"]["code"] for e in denied.errors or []}
    assert codes == {"FORBIDDEN"}


async def test_bad_ids_are_validation_errors(state: HubState) -> None:
    result = await run_as(state, SUPERVISOR, '{ personProvenance(personId: "abc") { personId } }')
    err = format_error(result.errors[0])  # type: ignore[index]
    assert err["extensions"]["code"] == "VALIDATION_FAILED"
    assert err["extensions"]["problems"][0]["code"] == "INVALID_ID"
    result = await run_as(state, SUPERVISOR, 'mutation { rejectImportPair(id: "999999") { id } }')
    assert format_error(result.errors[0])["extensions"]["code"] == "PAIR_NOT_FOUND"  # type: ignore[index]
