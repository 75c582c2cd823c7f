"""Issue 12, over HTTP: the reads the matrix grants, now served — claim records for the
assigned eligibility officer, supervisors and the Secretary (logged); the applicant's
decision letter; linked family members' protection for the Migration Office; "holds a
valid work permit" for the Health Ministry; the registrars' nationwide identity search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import agency_person_id, mint
from tests.conftest import LiveHub
from tests.factories import make_cases, make_officer
from tests.hub.access_reads import reads_logged

VALIDATION = "GRAPHQL_VALIDATION_FAILED"


def ask(hub: LiveHub, token: str, query: str, purpose: str | None = None, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    if purpose:
        headers["X-Purpose"] = purpose
    return httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    ).json()


async def logged(engine: AsyncEngine, operation: str) -> list[tuple[str, list[str], list[int]]]:
    return await reads_logged(engine, operation)


CLAIM = """query ExpedienteSolicitud($n: Int!) { case(number: $n) { claim {
  interviews { summary mode } assessments { recommendation analysis grounds }
  decisions { instance outcome reasons } appeals { grounds } } } }"""


async def test_claim_records_are_read_back_by_claim_readers_and_logged(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a case under review assigned to an eligibility officer, who interviews and
    # assesses it
    officer = await make_officer(engine, "cepr-eligibility", "HYO")
    case = (
        await make_cases(engine, 1, office_code="HYO", family_size=2, assigned_officer_id=officer)
    )[0]
    mine = mint("cepr-eligibility", officer=officer)
    held = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    interview = ask(
        live_hub,
        mine,
        """mutation($n: Int!, $h: DateTime!) { recordInterview(caseNumber: $n, mode: REMOTE,
           heldAt: $h, summary: "Relata amenazas de un grupo armado.") { caseNumber } }""",
        n=case.number,
        h=held,
    )
    assert "errors" not in interview, interview
    assessment = ask(
        live_hub,
        mine,
        """mutation($n: Int!) { recordAssessment(caseNumber: $n, grounds: [POLITICAL_OPINION],
           credibility: "Consistente.", analysis: "Temor fundado.", recommendation: RECOGNISE)
           { caseNumber } }""",
        n=case.number,
    )
    assert "errors" not in assessment, assessment
    # When the Executive Secretary reads the recommendation before deciding
    secretary = mint("cepr-secretary", office="LIM")
    before = ask(live_hub, secretary, CLAIM, n=case.number)["data"]["case"]["claim"]
    assert before == {
        "interviews": [{"summary": "Relata amenazas de un grupo armado.", "mode": "REMOTE"}],
        "assessments": [
            {
                "recommendation": "RECOGNISE",
                "analysis": "Temor fundado.",
                "grounds": ["POLITICAL_OPINION"],
            }
        ],
        "decisions": [],
        "appeals": [],
    }
    decided = ask(
        live_hub,
        secretary,
        """mutation($n: Int!) { decideCase(caseNumber: $n, outcome: RECOGNISED,
           reasons: "Cumple el art. 3 a.") { caseNumber } }""",
        n=case.number,
    )
    assert "errors" not in decided, decided
    # Then the assigned officer and a supervisor read the decision too
    for token in (mine, mint("cepr-supervisor", office="LIM")):
        claim = ask(live_hub, token, CLAIM, n=case.number)["data"]["case"]["claim"]
        assert claim["decisions"] == [
            {"instance": "first", "outcome": "RECOGNISED", "reasons": "Cumple el art. 3 a."}
        ]
    # and the decision's reasons in the status history (sealed at rest) are opened for them
    history = ask(
        live_hub,
        mint("cepr-supervisor", office="LIM"),
        "query($n: Int!) { case(number: $n) { history { toStatus reason } } }",
        n=case.number,
    )
    assert history["data"]["case"]["history"] == [
        {"toStatus": "RECOGNISED", "reason": "Cumple el art. 3 a."}
    ]
    # and every read is logged as a claim read of the case's persons
    assert await logged(engine, "ExpedienteSolicitud") == [
        (role, ["claim"], sorted(case.person_ids))
        for role in ("cepr-secretary", "cepr-eligibility", "cepr-supervisor")
    ]
    # Registrars cannot name the claim; another eligibility officer gets null + FORBIDDEN
    registrar = ask(live_hub, mint("cepr-registrar", office="HYO"), CLAIM, n=case.number)
    assert registrar["errors"][0]["extensions"]["code"] == VALIDATION
    other = await make_officer(engine, "cepr-eligibility", "HYO")
    denied = ask(live_hub, mint("cepr-eligibility", officer=other), CLAIM, n=case.number)
    assert denied["data"]["case"] is None  # as for an unknown case: existence is not told
    assert [(e["extensions"]["code"], e["path"]) for e in denied["errors"]] == [
        ("FORBIDDEN", ["case"])
    ]
    assert len(await logged(engine, "ExpedienteSolicitud")) == 3
    # The applicant reads their own decision letter, and no other claim data
    applicant = mint("applicant", person=case.person_ids[0])
    letter = ask(
        live_hub,
        applicant,
        "query MiResolucion($n: Int!) { case(number: $n) { decisionLetters"
        " { caseNumber outcome reasons } } }",
        n=case.number,
    )
    assert letter["data"]["case"]["decisionLetters"] == [
        {"caseNumber": case.number, "outcome": "RECOGNISED", "reasons": "Cumple el art. 3 a."}
    ]
    assert ask(live_hub, applicant, CLAIM, n=case.number)["errors"][0]["extensions"]["code"] == (
        VALIDATION
    )
    # and somebody else's letter is refused
    stranger = (await make_cases(engine, 1, office_code="HYO", family_size=1))[0]
    foreign = ask(
        live_hub,
        mint("applicant", person=stranger.person_ids[0]),
        "query($n: Int!) { case(number: $n) { decisionLetters { reasons } } }",
        n=case.number,
    )
    assert foreign["data"]["case"] is None
    assert [(e["extensions"]["code"], e["path"]) for e in foreign["errors"]] == [
        ("FORBIDDEN", ["case"])
    ]


async def test_the_migration_office_reads_linked_family_members_protection(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a pending case of three: principal and two children
    case = (await make_cases(engine, 1, office_code="LIM", family_size=3))[0]
    async with engine.connect() as conn:
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": case.person_ids[0]},
            )
        ).scalar_one()
    query = """query Familia($d: DocumentInput!) { protectionStatus(document: $d) {
      protected familyMembers { relationship protected basis person { id } } } }"""
    body = ask(
        live_hub,
        mint("migraciones"),
        query,
        "deportation-protection",
        d={"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"},
    )
    status = body["data"]["protectionStatus"]
    assert status["protected"] is True
    assert sorted(status["familyMembers"], key=lambda m: m["person"]["id"]) == sorted(
        (
            {
                "relationship": "CHILD",
                "protected": True,
                "basis": "PENDING_CLAIM",
                "person": {"id": agency_person_id("migraciones", pid)},
            }
            for pid in case.person_ids[1:]
        ),
        key=lambda m: m["person"]["id"],
    )
    # the read is logged: the principal's status, each member's family protection and id
    assert await logged(engine, "Familia") == [
        ("migraciones", ["family.protection", "identity", "status"], sorted(case.person_ids))
    ]


async def test_the_health_ministry_reads_only_whether_a_valid_work_permit_is_held(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given two consenting nurses in a department of their own, one with a valid permit
    cases = await make_cases(engine, 2, office_code="LIM", family_size=1)
    async with engine.begin() as conn:
        for made in cases:
            person = made.person_ids[0]
            await conn.execute(
                text("UPDATE person SET department = 'PASCO' WHERE id = :p"), {"p": person}
            )
            await conn.execute(
                text(
                    "INSERT INTO health_profile (person_id, profession, recognition_status)"
                    " VALUES (:p, 'nurse', 'in_progress')"
                ),
                {"p": person},
            )
            await conn.execute(
                text("INSERT INTO consent (person_id, purpose) VALUES (:p, 'health-workforce')"),
                {"p": person},
            )
        await conn.execute(
            text(
                "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to,"
                " issued_by, sha256, pdf) VALUES (:i, :c, :p, current_date - 10,"
                " current_date + 300, 'test', repeat('0', 64), '')"
            ),
            {"i": f"WPM-{cases[0].id}", "c": cases[0].id, "p": cases[0].person_ids[0]},
        )
    query = """{ healthProfessionals(regions: ["pasco"]) { items { person { id }
      holdsValidWorkPermit } } }"""
    body = ask(live_hub, mint("minsa"), query, "health-workforce")
    items = {
        i["person"]["id"]: i["holdsValidWorkPermit"]
        for i in body["data"]["healthProfessionals"]["items"]
    }
    assert items == {
        agency_person_id("minsa", cases[0].person_ids[0]): True,
        agency_person_id("minsa", cases[1].person_ids[0]): False,
    }
    # and nothing more of the permit: its number, dates or status are not in the contract
    more = ask(live_hub, mint("minsa"), "{ myWorkPermit { validTo } }", "health-workforce")
    assert more["errors"][0]["extensions"]["code"] == VALIDATION


async def test_registrars_search_identities_nationwide_without_other_offices_case_data(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a person with a case in Cusco
    case = (await make_cases(engine, 1, office_code="CUZ", family_size=1))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE person SET given_names = 'Wilfredo Anselmo', paternal_surname ="
                " 'Huamanchumo', maternal_surname = 'Tintaya', birth_date = '1969-11-03'"
                " WHERE id = :p"
            ),
            {"p": case.person_ids[0]},
        )
    search = """query($g: String!, $s: String!, $b: Date!) { identityCandidates(
      givenNames: $g, surnames: $s, birthDate: $b) { personId givenNames surnames birthDate } }"""
    variables = {"g": "Wilfredo", "s": "Huamanchumo Tintaya", "b": "1969-11-03"}
    # When an Arequipa registrar searches by name and birth date
    registrar = mint("cepr-registrar", office="AQP")
    body = ask(live_hub, registrar, search, **variables)
    # Then the Cusco person is a candidate, with identity only
    assert body["data"]["identityCandidates"] == [
        {
            "personId": str(case.person_ids[0]),
            "givenNames": "Wilfredo Anselmo",
            "surnames": "Huamanchumo Tintaya",
            "birthDate": "1969-11-03",
        }
    ]
    # and that person's case data of another office stays closed to the registrar
    other = ask(
        live_hub,
        registrar,
        "query($id: ID!) { person(id: $id) { fullName cases { case { number } } } }",
        id=str(case.person_ids[0]),
    )
    assert other["data"]["person"] is None
    assert [(e["extensions"]["code"], e["path"]) for e in other["errors"]] == [
        ("FORBIDDEN", ["person"])
    ]
    # Agencies and eligibility officers cannot name the search
    for token, purpose in (
        (mint("migraciones"), "deportation-protection"),
        (mint("cepr-eligibility", officer=1), None),
    ):
        refused = ask(live_hub, token, search, purpose, **variables)
        assert refused["errors"][0]["extensions"]["code"] == VALIDATION
