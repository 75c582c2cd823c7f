"""The OAuth 2 token endpoint: agency systems (client credentials) and officer login."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.oauth import hash_secret
from tests.conftest import LiveHub

SECRET = "s3creto-de-prueba-para-migraciones"


@pytest.fixture(scope="module")
async def agency_client(engine: AsyncEngine) -> str:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes)"
                " VALUES ('migraciones-test', :h, 'migraciones', '{migraciones}',"
                " '{deportation-protection}') ON CONFLICT (client_id) DO NOTHING"
            ),
            {"h": hash_secret(SECRET)},
        )
        await conn.execute(
            text(
                "INSERT INTO officer (username, full_name, role, office_id, password_hash)"
                " SELECT 'rquispe', 'Rosa Quispe', 'cepr-registrar', id, :h FROM office"
                " WHERE code = 'AQP' ON CONFLICT (username) DO NOTHING"
            ),
            {"h": hash_secret("clave-de-rosa")},
        )
    return "migraciones-test"


def whoami(hub: LiveHub, token: str, purpose: str) -> dict[str, object]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": "{ whoami { role agency officeCode purpose purposes } }"},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": purpose},
    )
    return response.json()["data"]["whoami"]  # type: ignore[no-any-return]


def test_client_credentials_gives_a_token_bound_to_the_agreement(
    live_hub: LiveHub, agency_client: str
) -> None:
    response = httpx.post(
        f"{live_hub.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(agency_client, SECRET),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    assert response.headers["cache-control"] == "no-store"
    assert whoami(live_hub, body["access_token"], "deportation-protection") == {
        "role": "migraciones",
        "agency": "migraciones",
        "officeCode": None,
        "purpose": "deportation-protection",
        "purposes": ["deportation-protection"],
    }


def test_a_wrong_secret_is_invalid_client(live_hub: LiveHub, agency_client: str) -> None:
    response = httpx.post(
        f"{live_hub.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(agency_client, "wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_grant_is_refused(live_hub: LiveHub, agency_client: str) -> None:
    response = httpx.post(
        f"{live_hub.url}/oauth/token", data={"grant_type": "implicit"}, auth=(agency_client, SECRET)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_officer_logs_in_through_the_console_client(live_hub: LiveHub, agency_client: str) -> None:
    response = httpx.post(
        f"{live_hub.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": "qhub-console",
            "username": "rquispe",
            "password": "clave-de-rosa",
        },
    )
    assert response.status_code == 200, response.text
    me = whoami(live_hub, response.json()["access_token"], "case-management")
    assert (me["role"], me["officeCode"]) == ("cepr-registrar", "AQP")


def test_officer_with_a_wrong_password_gets_no_token(live_hub: LiveHub, agency_client: str) -> None:
    response = httpx.post(
        f"{live_hub.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": "qhub-console",
            "username": "rquispe",
            "password": "otra",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Usuario o contraseña incorrectos.",
        "code": "INVALID_CREDENTIALS",
    }
