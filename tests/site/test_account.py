"""Applicants' accounts over HTTP: a pre-registered person activates the account with the
code given at pre-registration, logs in, forgets the password and resets it with a code
sent through the applicant message outbox. Codes are single-use, expire, and wrong codes
lock the account for a while."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.routes_account import PER_MINUTE
from services.accounts import MAX_FAILURES, password_problems
from services.casework.pre_registration import RateLimiter
from tests.conftest import LiveHub
from tests.hub.test_pre_registration import MUTATION, submission
from tests.hub.test_pre_registration import post as pre_register

PASSWORD = "Montaña-azul-27"


@pytest.fixture(autouse=True)
def fresh_address_limit(live_hub: LiveHub) -> None:
    """Each test starts with the per-address allowance full (they share one hub)."""
    live_hub.app.state.hub.services["account_limiter"] = RateLimiter(PER_MINUTE)


def call(hub: LiveHub, path: str, **body: str) -> tuple[int, dict[str, Any]]:
    response = httpx.post(f"{hub.url}/account/{path}", json=body)
    return response.status_code, response.json()


def login(hub: LiveHub, username: str, password: str) -> int:
    return httpx.post(
        f"{hub.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": "qhub-self-service",
            "username": username,
            "password": password,
        },
    ).status_code


async def account_row(engine: AsyncEngine, login_name: str) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT activated_at IS NOT NULL, activation_code_hash IS NULL,"
                    " password_hash IS NULL, failed_attempts, locked_until IS NOT NULL"
                    " FROM applicant_account WHERE login = :l"
                ),
                {"l": login_name},
            )
        ).one()
    return tuple(row)


def registered(hub: LiveHub, doc: str) -> dict[str, Any]:
    result: dict[str, Any] = pre_register(hub, submission(doc))["data"]["preRegister"]
    return result


async def test_activation_with_the_pre_registration_code_then_login(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given a person who pre-registered online
    given = registered(live_hub, "31345678")
    user, code = given["activationLogin"], given["activationCode"]
    assert login(live_hub, user, PASSWORD) == 400  # not active yet
    # When they activate with the code and a good password
    status, body = call(live_hub, "activate", login=user, code=code, password=PASSWORD)
    # Then the account is active, the code is spent, and they can log in
    assert status == 200 and body["ok"] is True
    assert await account_row(engine, user) == (True, True, False, 0, False)
    assert login(live_hub, user, PASSWORD) == 200
    # and the code does not work a second time
    status, body = call(live_hub, "activate", login=user, code=code, password="Otra-clave-99")
    assert (status, body["error"]) == (409, "ALREADY_ACTIVATED")
    assert login(live_hub, user, PASSWORD) == 200


async def test_a_weak_password_is_refused_per_field_and_nothing_changes(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    given = registered(live_hub, "32345678")
    user, code = given["activationLogin"], given["activationCode"]
    status, body = call(live_hub, "activate", login=user, code=code, password="corta1")
    assert status == 400 and body["error"] == "VALIDATION_FAILED"
    assert body["problems"] == [
        {
            "path": ["password"],
            "code": "PASSWORD_TOO_SHORT",
            "message": "La contraseña debe tener al menos 10 caracteres.",
        }
    ]
    assert await account_row(engine, user) == (False, False, True, 0, False)
    status, body = call(live_hub, "activate", login=user, code="", password="")
    assert status == 400
    assert [(p["path"], p["code"]) for p in body["problems"]] == [
        (["code"], "REQUIRED"),
        (["password"], "REQUIRED"),
    ]


def test_password_rules() -> None:
    codes = {
        pw: [p.code for p in password_problems(pw, "ana.rondon@correo.pe")]
        for pw in ("abcdefghijk", "1234567890", "aaaa1aaaa1", "xana.rondon9", PASSWORD)
    }
    assert codes == {
        "abcdefghijk": ["PASSWORD_TOO_SIMPLE"],
        "1234567890": ["PASSWORD_TOO_SIMPLE"],
        "aaaa1aaaa1": ["PASSWORD_TOO_COMMON"],
        "xana.rondon9": ["PASSWORD_CONTAINS_LOGIN"],
        PASSWORD: [],
    }


async def test_wrong_codes_lock_the_account_and_unknown_logins_look_the_same(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    given = registered(live_hub, "33345678")
    user, code = given["activationLogin"], given["activationCode"]
    # an unknown login and a wrong code get the same answer
    unknown = call(live_hub, "activate", login="nadie@correo.pe", code=code, password=PASSWORD)
    wrong = call(live_hub, "activate", login=user, code="no-es-el-codigo", password=PASSWORD)
    assert unknown == wrong
    assert wrong[0] == 400 and wrong[1]["error"] == "INVALID_CODE"
    # after MAX_FAILURES wrong codes in a row the account is locked
    for _ in range(MAX_FAILURES - 2):
        call(live_hub, "activate", login=user, code="no-es-el-codigo", password=PASSWORD)
    status, body = call(live_hub, "activate", login=user, code="otro-codigo", password=PASSWORD)
    assert (status, body["error"]) == (429, "TOO_MANY_ATTEMPTS")
    # even the right code waits until the lock ends
    status, body = call(live_hub, "activate", login=user, code=code, password=PASSWORD)
    assert (status, body["error"]) == (429, "TOO_MANY_ATTEMPTS")
    assert await account_row(engine, user) == (False, False, True, 0, True)


async def test_an_expired_activation_code_is_refused(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    given = registered(live_hub, "34345678")
    user, code = given["activationLogin"], given["activationCode"]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE applicant_account SET activation_expires_at = now() - interval '1 minute'"
                " WHERE login = :l"
            ),
            {"l": user},
        )
    status, body = call(live_hub, "activate", login=user, code=code, password=PASSWORD)
    assert (status, body["error"]) == (400, "CODE_EXPIRED")
    assert await account_row(engine, user) == (False, False, True, 0, False)


async def test_password_reset_with_a_code_sent_through_the_outbox(
    live_hub: LiveHub, engine: AsyncEngine
) -> None:
    # Given an activated account
    given = registered(live_hub, "35345678")
    user = given["activationLogin"]
    call(live_hub, "activate", login=user, code=given["activationCode"], password=PASSWORD)
    # When the person asks for a reset: the same answer as for an unknown login
    asked = call(live_hub, "reset-request", login=user)
    assert asked == call(live_hub, "reset-request", login="nadie@correo.pe")
    assert asked[0] == 200
    # Then one message with a code waits in the outbox for the person's e-mail
    async with engine.connect() as conn:
        messages = (
            await conn.execute(
                text(
                    "SELECT m.channel, m.recipient, m.body FROM applicant_message m"
                    " JOIN applicant_account a ON a.person_id = m.person_id WHERE a.login = :l"
                ),
                {"l": user},
            )
        ).all()
    assert [(m[0], m[1]) for m in messages] == [("email", user)]
    found = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", messages[0][2])
    assert found is not None
    reset_code = found.group(1)
    # a wrong code changes nothing
    status, body = call(live_hub, "reset", login=user, code="0000-0000", password="Nueva-clave-55")
    assert (status, body["error"]) == (400, "INVALID_CODE")
    assert login(live_hub, user, PASSWORD) == 200
    # the right code (typed in lower case, without the hyphen) sets the new password, once
    typed = reset_code.lower().replace("-", "")
    status, body = call(live_hub, "reset", login=user, code=typed, password="Nueva-clave-55")
    assert status == 200 and body["ok"] is True
    assert login(live_hub, user, PASSWORD) == 400
    assert login(live_hub, user, "Nueva-clave-55") == 200
    status, body = call(live_hub, "reset", login=user, code=reset_code, password="Otra-mas-77")
    assert (status, body["error"]) == (400, "INVALID_CODE")


def test_one_address_gets_a_limited_number_of_attempts(live_hub: LiveHub) -> None:
    answers = [
        call(live_hub, "reset-request", login="nadie@correo.pe") for _ in range(PER_MINUTE + 1)
    ]
    assert [a[0] for a in answers] == [200] * PER_MINUTE + [429]
    assert answers[-1][1]["error"] == "TOO_MANY_ATTEMPTS"


def test_a_badly_typed_date_in_pre_registration_is_a_spanish_field_problem(
    live_hub: LiveHub,
) -> None:
    # given a submission with a date typed the Peruvian way and an unknown sex
    data = submission("36345678")
    data["applicant"]["birthDate"] = "12/04/1991"
    data["dependants"][0]["sex"] = "X"
    del data["applicant"]["givenNames"]
    # when it is sent
    response = httpx.post(
        f"{live_hub.url}/graphql",
        json={"query": MUTATION, "variables": {"input": data}},
    )
    # then every problem comes back in Spanish with its field's path, and nothing in English
    errors = response.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"VALIDATION_FAILED"}
    problems = sorted(
        (tuple(p["path"]), p["code"], p["message"])
        for e in errors
        for p in e["extensions"]["problems"]
    )
    assert problems == [
        (
            ("input", "applicant", "birthDate"),
            "INVALID_DATE",
            "La fecha no es válida: escríbala como AAAA-MM-DD (por ejemplo 1991-04-12).",
        ),
        (("input", "applicant", "givenNames"), "REQUIRED", "Complete este campo."),
        (
            ("input", "dependants", 0, "sex"),
            "INVALID_OPTION",
            "Elija una de las opciones de la lista.",
        ),
    ]
    assert not any("cannot represent" in e["message"] for e in errors)
