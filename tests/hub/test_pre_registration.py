"""Online pre-registration over HTTP, no login: validation, idempotency, duplicates, burst."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.settings import load_settings
from tests.conftest import LiveHub

MUTATION = """mutation($input: PreRegistrationInput!) { preRegister(input: $input) {
  caseNumber replayed activationLogin activationCode instructions } }"""


def person(doc: str | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "givenNames": "Ana Lucía",
        "paternalSurname": "Rondón",
        "maternalSurname": "Pérez",
        "sex": "FEMALE",
        "birthDate": "1991-04-12",
        "nationality": "Venezuela",
    }
    if doc:
        data["document"] = {"type": "NATIONAL_ID", "number": doc, "issuingCountry": "VE"}
    data.update(extra)
    return data


def submission(doc: str, key: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "idempotencyKey": key or uuid.uuid4().hex,
        "officeCode": "LIM",
        "applicant": person(doc),
        "dependants": [
            person(None, givenNames="Sofía", birthDate="2015-08-01", relationship="CHILD")
        ],
        "phone": "987 654 321",
        "email": f"ana.{doc}@correo.pe",
        **extra,
    }


def post(hub: LiveHub, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql", json={"query": MUTATION, "variables": {"input": variables}}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def counts(engine: AsyncEngine) -> tuple[int, int, int]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM case_file),"
                    " (SELECT count(*) FROM pre_registration_request)"
                )
            )
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def test_a_valid_submission_creates_persons_and_a_case(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    body = post(live_hub, submission("21345678"))
    result = body["data"]["preRegister"]
    assert result["replayed"] is False and result["activationCode"]
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT c.status, p.nationality, p.phone, (SELECT count(*)"
                    " FROM case_member m WHERE m.case_id = c.id) FROM case_file c"
                    " JOIN case_member m ON m.case_id = c.id"
                    " AND m.relationship = 'principal' JOIN person p ON p.id = m.person_id"
                    " WHERE c.number = :n"
                ),
                {"n": result["caseNumber"]},
            )
        ).one()
    assert tuple(row) == ("pre_registered", "VE", "+51987654321", 2)


async def test_every_invalid_field_is_reported_and_nothing_written(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    before = await counts(engine)
    bad = submission("12", phone="12", email="no-es-correo", officeCode="LIM")
    bad["applicant"]["nationality"] = "Atlántida"
    bad["applicant"]["birthDate"] = "2999-01-01"
    body = post(live_hub, bad)
    problems = {tuple(p["path"]): p["code"] for p in body["errors"][0]["extensions"]["problems"]}
    assert problems == {
        ("input", "applicant", "birthDate"): "BIRTH_DATE_IN_FUTURE",
        ("input", "applicant", "nationality"): "UNKNOWN_COUNTRY",
        ("input", "applicant", "document", "number"): "INVALID_DOCUMENT_NUMBER",
        ("input", "phone"): "INVALID_PHONE",
        ("input", "email"): "INVALID_EMAIL",
    }
    assert all(p["message"] for p in body["errors"][0]["extensions"]["problems"])
    assert await counts(engine) == before


async def test_a_retry_with_the_same_key_returns_the_same_case(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    data = submission("22345678")
    first = post(live_hub, data)["data"]["preRegister"]
    before = await counts(engine)
    again = post(live_hub, data)["data"]["preRegister"]
    assert again["caseNumber"] == first["caseNumber"] and again["replayed"] is True
    assert again["activationCode"] is None
    assert await counts(engine) == before


async def test_a_document_already_registered_is_told_without_revealing_data(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    post(live_hub, submission("23345678"))
    before = await counts(engine)
    body = post(live_hub, submission("23.345.678"))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "ALREADY_REGISTERED"
    assert "Rondón" not in error["message"] and "23345678" not in error["message"]
    assert await counts(engine) == before


async def test_burst_of_500_with_retries_never_duplicates(
    database_url: str, engine: AsyncEngine
) -> None:
    # Given a hub on real PostgreSQL with the per-address limit raised for one test client
    settings = dataclasses.replace(load_settings(), pre_registration_rate_per_minute=100_000)
    hub = LiveHub(database_url, settings).start()
    try:
        base = 40_000_000
        distinct = [submission(str(base + i)) for i in range(400)]
        retries = [distinct[i] for i in range(0, 400, 4)]  # 100 retries of the same keys
        payloads = distinct + retries
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=hub.url, limits=limits, timeout=60) as client:

            async def send(data: dict[str, Any]) -> dict[str, Any]:
                response = await client.post(
                    "/graphql", json={"query": MUTATION, "variables": {"input": data}}
                )
                return response.json()  # type: ignore[no-any-return]

            # When 500 submissions arrive at once
            answers = await asyncio.gather(*(send(p) for p in payloads))
    finally:
        hub.stop()
    # Then every acknowledged submission is in the database, once
    acknowledged = [a["data"]["preRegister"] for a in answers if a.get("data")]
    assert len(acknowledged) == 500, [a for a in answers if not a.get("data")][:3]
    by_key: dict[str, set[int]] = {}
    for payload, answer in zip(payloads, acknowledged, strict=True):
        by_key.setdefault(payload["idempotencyKey"], set()).add(answer["caseNumber"])
    assert all(len(numbers) == 1 for numbers in by_key.values())
    numbers = {n for ns in by_key.values() for n in ns}
    assert len(numbers) == 400
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text(
                    "SELECT count(DISTINCT c.number), count(DISTINCT d.number) FROM case_file c"
                    " JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
                    " JOIN identity_document d ON d.person_id = m.person_id"
                    " WHERE c.number = ANY(:n)"
                ),
                {"n": list(numbers)},
            )
        ).one()
    assert tuple(stored) == (400, 400)


@pytest.mark.parametrize("limit", [3])
def test_the_per_address_limit_refuses_the_excess(limit: int) -> None:
    from services.casework.pre_registration import RateLimiter

    limiter = RateLimiter(limit)
    assert [limiter.allow("1.2.3.4", 0.0) for _ in range(limit + 1)] == [True] * limit + [False]
    assert limiter.allow("5.6.7.8", 0.0) is True
    assert limiter.allow("1.2.3.4", 60.0 / limit + 0.01) is True
