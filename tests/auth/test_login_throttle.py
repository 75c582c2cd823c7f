"""Password login: throttled per account and per client address (429 + Retry-After),
an unknown user's password checked against a dummy hash, forwarded addresses believed
only from trusted proxies."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.oauth import check_secret, dummy_hash, hash_secret
from hub.client_address import client_address, throttle_key
from hub.settings import load_settings
from tests.conftest import LiveHub

PASSWORD = "clave-de-pedro"


@pytest.fixture(scope="module")
async def officers(engine: AsyncEngine) -> list[str]:
    names = [f"throttle{i}" for i in range(4)]
    async with engine.begin() as conn:
        for name in names:
            await conn.execute(
                text(
                    "INSERT INTO officer (username, full_name, role, office_id, password_hash)"
                    " SELECT :u, 'Pedro Prueba', 'cepr-registrar', id, :h FROM office"
                    " WHERE code = 'LIM' ON CONFLICT (username) DO NOTHING"
                ),
                {"u": name, "h": hash_secret(PASSWORD)},
            )
    return names


@pytest.fixture(scope="module")
def throttled_hub(database_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(
        load_settings(),
        login_limits_account="3/minute;5/hour",
        login_limits_address="6/minute",
        trusted_proxies="127.0.0.1/32",
    )
    hub = LiveHub(database_url, settings).start()
    yield hub
    hub.stop()


def login(hub: LiveHub, username: str, password: str, forwarded: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": "qhub-console",
            "username": username,
            "password": password,
        },
        headers={"X-Forwarded-For": forwarded},
    )


WRONG = {
    "error": "invalid_grant",
    "error_description": "Usuario o contraseña incorrectos.",
    "code": "INVALID_CREDENTIALS",
}


def test_an_account_is_throttled_after_three_wrong_passwords(
    throttled_hub: LiveHub, officers: list[str]
) -> None:
    # Given three wrong passwords for one account
    answers = [login(throttled_hub, officers[0], "mala", "203.0.113.1") for _ in range(3)]
    assert [(a.status_code, a.json()) for a in answers] == [(400, WRONG)] * 3
    # When a fourth attempt comes, even with the right password
    refused = login(throttled_hub, officers[0], PASSWORD, "203.0.113.1")
    # Then it is refused with 429, a stable code, Spanish text and when to retry
    assert refused.status_code == 429
    body = refused.json()
    assert (body["error"], body["code"]) == ("too_many_attempts", "TOO_MANY_ATTEMPTS")
    assert body["error_description"].startswith("Demasiados intentos de inicio de sesión")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "access_token" not in body
    # and another account from the same address still logs in
    assert login(throttled_hub, officers[1], PASSWORD, "203.0.113.1").status_code == 200


def test_an_address_is_throttled_across_accounts(
    throttled_hub: LiveHub, officers: list[str]
) -> None:
    # Given six failures from one client address (behind the trusted proxy), two per account
    for name in officers[1:4]:
        for _ in range(2):
            assert login(throttled_hub, name, "mala", "198.51.100.7").status_code == 400
    # When that address tries again, with a right password
    refused = login(throttled_hub, officers[2], PASSWORD, "198.51.100.7")
    # Then it is refused; another address behind the same proxy is not
    assert refused.status_code == 429
    assert refused.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert int(refused.headers["Retry-After"]) >= 1
    assert login(throttled_hub, officers[2], PASSWORD, "198.51.100.8").status_code == 200


def test_an_unknown_user_gets_the_same_answer(throttled_hub: LiveHub) -> None:
    answer = login(throttled_hub, "nadie-se-llama-asi", "mala", "192.0.2.44")
    assert (answer.status_code, answer.json()) == (400, WRONG)


class CountingHasher(PasswordHasher):
    """argon2's own hasher, remembering which hashes it verified."""

    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_unknown_and_known_users_cost_one_argon2_verification_each() -> None:
    hasher = CountingHasher()
    stored = hash_secret("correcta")
    # unknown user: the dummy hash is verified (same parameters as real hashes), answer no
    assert check_secret(None, "correcta", hasher) is False
    assert hasher.verified == [dummy_hash()]
    assert PasswordHasher().check_needs_rehash(dummy_hash()) is False
    # known user, wrong then right password: one verification each
    assert check_secret(stored, "mala", hasher) is False
    assert check_secret(stored, "correcta", hasher) is True
    assert hasher.verified == [dummy_hash(), stored, stored]


def test_forwarded_addresses_are_believed_only_from_trusted_proxies() -> None:
    trusted = "10.0.0.0/8, 127.0.0.1"
    # the rightmost untrusted hop is the client; what the client wrote before it is not
    assert client_address("10.1.2.3", "6.6.6.6, 203.0.113.9, 10.0.0.5", trusted) == ("203.0.113.9")
    # a peer that is not a trusted proxy: the header is ignored
    assert client_address("198.51.100.1", "203.0.113.9", trusted) == "198.51.100.1"
    # no trusted proxies configured: ignored too
    assert client_address("127.0.0.1", "203.0.113.9", None) == "127.0.0.1"
    # garbage from a trusted proxy: keep the peer
    assert client_address("127.0.0.1", "no-es-ip", trusted) == "127.0.0.1"
    # IPv6 clients count per /64
    assert throttle_key("2001:db8::1") == throttle_key("2001:db8::ffff") == "2001:db8::/64"
    assert throttle_key("203.0.113.9") == "203.0.113.9"


async def test_guessed_client_secrets_are_throttled_too(
    throttled_hub: LiveHub, engine: AsyncEngine
) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes)"
                " VALUES ('minsa-throttle', :h, 'minsa', '{minsa}', '{health-workforce}')"
                " ON CONFLICT (client_id) DO NOTHING"
            ),
            {"h": hash_secret("secreto-bueno")},
        )

    def ask(secret: str) -> httpx.Response:
        return httpx.post(
            f"{throttled_hub.url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("minsa-throttle", secret),
            headers={"X-Forwarded-For": "192.0.2.90"},
        )

    assert [ask("malo").status_code for _ in range(3)] == [401, 401, 401]
    refused = ask("secreto-bueno")
    assert refused.status_code == 429
    assert refused.json()["code"] == "TOO_MANY_ATTEMPTS"
