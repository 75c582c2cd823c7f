"""The console's casework over HTTP (issue 14): a case note written by the assigned
eligibility officer, logged with its before/after and read back under the claim policy
(each read logged); the same note refused to another officer with nothing written; the
operations missing from the contracts of the roles that may not send them; a manual
assignment logged with the case row's officer before and after."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases, make_officer
from tests.graphql_client import gql
from tests.hub.access_reads import reads_logged

ADD = """mutation NotaDelCaso($n: Int!, $t: String!) {
  addCaseNote(caseNumber: $n, text: $t) { text author } }"""
READ = """query LeerNotas($n: Int!) { case(number: $n) { notes { text author } } }"""
ASSIGN = """mutation AsignarAMano($n: Int!, $o: String!, $r: String!) {
  assignCase(caseNumber: $n, officer: $o, reason: $r) { caseNumber reason } }"""


async def scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def test_a_case_note_is_claim_data_of_the_assigned_officer(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    mine = await make_officer(engine, "cepr-eligibility", "AQP", "nota-aqp-1")
    other = await make_officer(engine, "cepr-eligibility", "AQP", "nota-aqp-2")
    (case,) = await make_cases(engine, 1, office_code="AQP", assigned_officer_id=mine)
    count = (
        "SELECT count(*) FROM case_note n JOIN case_file c ON c.id = n.case_id WHERE c.number = :n"
    )

    # another eligibility officer's note on the case is refused, and nothing is written
    refused = gql(
        live_hub, mint("cepr-eligibility", officer=other), ADD, n=case.number, t="Nota ajena."
    )
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["errors"][0]["path"] == ["addCaseNote"]
    assert await scalar(engine, count, n=case.number) == 0
    # registrars, the Secretary and the supervisor may not write claim: not in their contract
    for role, claims in (
        ("cepr-registrar", {"office": "AQP"}),
        ("cepr-supervisor", {"office": "AQP"}),
        ("cepr-secretary", {"office": "LIM"}),
    ):
        body = gql(live_hub, mint(role, **claims), ADD, n=case.number, t="Nota de prueba.")
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", role
    assert await scalar(engine, count, n=case.number) == 0

    # when the assigned officer writes it
    added = gql(
        live_hub, mint("cepr-eligibility", officer=mine), ADD, n=case.number, t="Teme represalias."
    )
    assert added["data"]["addCaseNote"]["text"] == "Teme represalias."
    # then the write is logged against the case's persons; the row's text is sealed
    async with engine.connect() as conn:
        persons, changes = (
            await conn.execute(
                text(
                    "SELECT person_ids, changes FROM access_log WHERE operation = 'NotaDelCaso'"
                    " AND action = 'write' ORDER BY id DESC LIMIT 1"
                )
            )
        ).one()
    assert set(case.person_ids) <= set(persons)
    inserted = [r for r in changes["rows"] if r["table"] == "case_note"]
    assert [r["operation"] for r in inserted] == ["insert"]
    assert "Teme represalias" not in str(inserted)  # the row holds it sealed
    # and the entry keeps no claim text in clear, not even among the arguments
    assert "represalias" not in str(changes)
    assert changes["arguments"] == {
        "n": case.number,
        "t": "[omitido: dato de la solicitud, 17 caracteres]",
    }

    # and the supervisor reads it back, the read logged as claim against the case's persons
    read = gql(live_hub, mint("cepr-supervisor", office="LIM"), READ, n=case.number)
    assert read["data"]["case"]["notes"] == [
        {"text": "Teme represalias.", "author": added["data"]["addCaseNote"]["author"]}
    ]
    [(role, categories, person_ids)] = await reads_logged(engine, "LeerNotas")
    assert role == "cepr-supervisor" and "claim" in categories
    assert set(case.person_ids) <= set(person_ids)
    # a registrar's contract has no notes at all
    hidden = gql(live_hub, mint("cepr-registrar", office="AQP"), READ, n=case.number)
    assert hidden["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def assign(hub: LiveHub, token: str, number: int) -> dict[str, Any]:
    return gql(hub, token, ASSIGN, n=number, o="mano-ica-1", r=REASON)


REASON = "Conoce el expediente del hermano."


async def test_a_manual_assignment_is_logged_and_refused_to_a_registrar(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    await make_officer(engine, "cepr-eligibility", "ICA", "mano-ica-1")
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE officer SET profiles = '{general}', capacity = 5"
                " WHERE username = 'mano-ica-1'"
            )
        )
    (case,) = await make_cases(engine, 1, office_code="ICA", family_size=1, needs=())
    denied = assign(live_hub, mint("cepr-registrar", office="ICA"), case.number)
    assert denied["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (
        await scalar(engine, "SELECT count(*) FROM case_assignment WHERE case_id = :c", c=case.id)
        == 0
    )

    done = assign(live_hub, mint("cepr-supervisor", office="LIM"), case.number)
    assert done["data"]["assignCase"] == {
        "caseNumber": case.number,
        "reason": f"Asignación manual: {REASON}",
    }
    async with engine.connect() as conn:
        changes = (
            await conn.execute(
                text(
                    "SELECT changes FROM access_log WHERE operation = 'AsignarAMano'"
                    " AND action = 'write' ORDER BY id DESC LIMIT 1"
                )
            )
        ).scalar_one()
    updated = [r for r in changes["rows"] if r["table"] == "case_file"]
    assert updated[0]["before"]["assigned_officer_id"] is None
    assert updated[0]["after"]["assigned_officer_id"] is not None
    assert [r["table"] for r in changes["rows"]].count("case_assignment") == 1

    # a second assignment to the same officer is a Spanish conflict, nothing more is written
    again = assign(live_hub, mint("cepr-supervisor", office="LIM"), case.number)
    assert again["errors"][0]["extensions"]["code"] == "ALREADY_ASSIGNED"
    assert again["errors"][0]["message"] == "El expediente ya está asignado a ese oficial."
    assert (
        await scalar(engine, "SELECT count(*) FROM case_assignment WHERE case_id = :c", c=case.id)
        == 1
    )


DOCS = """query DocumentosDelCaso($n: Int!) { case(number: $n) {
  issuedDocuments { kind id status revokedReason } } }"""
PDFS = """query PdfDelCaso($n: Int!) { case(number: $n) { issuedDocuments { id pdfBase64 } } }"""


async def test_a_cases_documents_are_the_commissions_and_their_pdf_the_signers(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a Cusco case with a revoked work permit
    (case,) = await make_cases(engine, 1, office_code="CUZ", family_size=1, needs=())
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to, status,"
                " issued_by, sha256, pdf, revoked_reason) VALUES ('P-GQL-1', :c, :p,"
                " '2026-01-01', '2027-01-01', 'revoked', 'sec', 'x', '%PDF-1', 'Datos errados.')"
            ),
            {"c": case.id, "p": case.person_ids[0]},
        )
    listed = [{"kind": "WORK_PERMIT", "id": "P-GQL-1", "status": "revoked",
               "revokedReason": "Datos errados."}]  # fmt: skip
    # the office's registrar lists them; another office's registrar gets the refusal
    own = gql(live_hub, mint("cepr-registrar", office="CUZ"), DOCS, n=case.number)
    assert own["data"]["case"]["issuedDocuments"] == listed
    other = gql(live_hub, mint("cepr-registrar", office="LIM"), DOCS, n=case.number)
    assert other["data"]["case"] is None
    assert {e["extensions"]["code"] for e in other["errors"]} == {"FORBIDDEN"}
    # the signed PDF is the signers' (and the supervisors'), not in a registrar's contract
    pdf = gql(live_hub, mint("cepr-registrar", office="CUZ"), PDFS, n=case.number)
    assert pdf["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    signed = gql(live_hub, mint("cepr-secretary", office="LIM"), PDFS, n=case.number)
    assert signed["data"]["case"]["issuedDocuments"] == [{"id": "P-GQL-1", "pdfBase64": "JVBERi0x"}]
    # and no other agency has the list in its contract
    for role, purpose in (
        ("migraciones", "deportation-protection"),
        ("acnur", "protection-assistance"),
    ):
        body = httpx.post(
            f"{live_hub.url}/graphql",
            json={"query": DOCS, "variables": {"n": case.number}},
            headers={"Authorization": f"Bearer {mint(role)}", "X-Purpose": purpose},
            timeout=30,
        ).json()
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", role
