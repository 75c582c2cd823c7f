"""Caps on what an anonymous pre-registration may send (members, text lengths, control
characters) — VALIDATION_FAILED with one problem per field, nothing written — and the
per-address limit: bounded memory, forwarded addresses only from trusted proxies."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.settings import load_settings
from services.casework.pre_registration import RateLimiter
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.hub.test_case_status import move, state
from tests.hub.test_pre_registration import MUTATION, counts, person, submission


def send(hub: LiveHub, variables: dict[str, Any], forwarded: str | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": MUTATION, "variables": {"input": variables}},
        headers={"X-Forwarded-For": forwarded} if forwarded else {},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def problems(body: dict[str, Any]) -> list[tuple[list[Any], str]]:
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED", error
    return [(p["path"], p["code"]) for p in error["extensions"]["problems"]]


async def test_more_than_twenty_dependants_are_refused(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    before = await counts(engine)
    child = person(None, givenNames="Niño", birthDate="2015-08-01", relationship="CHILD")
    body = send(live_hub, submission("31000001", dependants=[child] * 21))
    assert problems(body) == [(["input", "dependants"], "TOO_MANY")]
    assert body["data"] is None
    assert await counts(engine) == before


async def test_long_texts_and_nul_bytes_are_validation_problems(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    before = await counts(engine)
    given = submission("31000002", street="x" * 301, district="Miraflores\x00")
    given["applicant"]["givenNames"] = "Ana\x00"
    given["applicant"]["paternalSurname"] = "R" * 101
    given["dependants"][0]["document"] = {
        "type": "PASSPORT",
        "number": "A1\x00",
        "issuingCountry": "VE",
    }
    body = send(live_hub, given)
    # every text is capped before the mutation runs (hub.graphql.input_caps): all the
    # problems at once, the persons' fields with the request's own
    assert sorted(problems(body)) == sorted(
        [
            (["input", "district"], "INVALID_CHARACTERS"),
            (["input", "street"], "TOO_LONG"),
            (["input", "applicant", "givenNames"], "INVALID_CHARACTERS"),
            (["input", "applicant", "paternalSurname"], "TOO_LONG"),
            (["input", "dependants", 0, "document", "number"], "INVALID_CHARACTERS"),
        ]
    )
    messages = {p["message"] for p in body["errors"][0]["extensions"]["problems"]}
    assert "El texto admite como máximo 100 caracteres." in messages
    assert await counts(engine) == before


@pytest.fixture(scope="module")
def proxied_hub(database_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(
        load_settings(), pre_registration_rate_per_minute=2, trusted_proxies="127.0.0.0/8"
    )
    hub = LiveHub(database_url, settings).start()
    yield hub
    hub.stop()


def test_behind_a_trusted_proxy_each_citizen_has_a_bucket(proxied_hub: LiveHub) -> None:
    def attempt(forwarded: str) -> str | None:
        body = send(proxied_hub, submission(str(uuid.uuid4().int % 10**8).zfill(8)), forwarded)
        return body["errors"][0]["extensions"]["code"] if body.get("errors") else None

    # Given one citizen (as the proxy forwards them) who used up the limit of 2 a minute
    first = [attempt("203.0.113.50") for _ in range(3)]
    assert first[2] == "RATE_LIMITED"
    # When another citizen comes through the same proxy, they are not refused
    assert attempt("203.0.113.51") != "RATE_LIMITED"


def test_the_limiter_forgets_the_least_recent_address_not_all() -> None:
    limiter = RateLimiter(1, max_addresses=3)
    assert limiter.allow("a", 0.0) and not limiter.allow("a", 0.0)  # a is used up
    assert limiter.allow("b", 0.0) and limiter.allow("c", 0.0)
    assert not limiter.allow("a", 0.1)  # a seen again: now the most recent
    # a fourth address drops b (least recent), not every bucket
    assert limiter.allow("d", 0.2)
    assert len(limiter.buckets) == 3
    assert "b" not in limiter.buckets
    assert not limiter.allow("a", 0.3)  # still refused


async def test_a_status_reason_with_nul_or_too_long_changes_nothing(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    case = (await make_cases(engine, 1, office_code="AQP", status="registered"))[0]
    registrar = mint("cepr-registrar", office="AQP")
    before = await state(engine, case.number)
    for reason, code in (("Motivo\x00", "INVALID_CHARACTERS"), ("m" * 2001, "TOO_LONG")):
        body = move(live_hub, registrar, case.number, "UNDER_REVIEW", reason)
        assert problems(body) == [(["reason"], code)]
    assert await state(engine, case.number) == before
