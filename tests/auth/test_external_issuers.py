"""Tokens from another agency's own identity provider (QHUB_EXTERNAL_ISSUERS): verified
against the provider's published keys, mapped to that agency's role only, and refused
with a stable code for every way they can be wrong."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from auth.external import ExternalIssuers
from hub.settings import load_settings
from tests.conftest import LiveHub, free_port

ISSUER = "https://idp.migraciones.gob.pe"
AUDIENCE = "qoricancha-hub"
SIGNING = RSAKey.generate_key(2048, private=True, parameters={"kid": "mig-1"})
STRANGER = RSAKey.generate_key(2048, private=True, parameters={"kid": "mig-1"})
WHOAMI = "{ whoami { role agency purpose purposes } }"


class _Jwks(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(KeySet([SIGNING]).as_dict(private=False)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def _config(jwks_url: str) -> str:
    return json.dumps(
        {
            ISSUER: {
                "jwks_url": jwks_url,
                "audience": AUDIENCE,
                "algorithms": ["RS256"],
                "role": {"claim": "roles", "map": {"inspector-migratorio": "migraciones"}},
            },
            "https://idp.caido.gob.pe": {
                "jwks_url": "http://127.0.0.1:9/jwks.json",  # nothing listens there
                "audience": AUDIENCE,
                "role": "migraciones",
            },
        }
    )


@pytest.fixture(scope="module")
def hub(database_url: str, jwks_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(load_settings(), external_issuers=_config(jwks_url))
    live = LiveHub(database_url, settings).start()
    yield live
    live.stop()


def token(key: Any = SIGNING, alg: str = "RS256", **overrides: Any) -> str:
    claims = {
        "iss": ISSUER,
        "sub": "inspector-0042",
        "aud": AUDIENCE,
        "exp": int(time.time()) + 300,
        "roles": ["usuario", "inspector-migratorio"],
        "purposes": ["deportation-protection"],
        "azp": "sistema-migratorio",
        **overrides,
    }
    return jwt.encode({"alg": alg, "kid": "mig-1"}, claims, key)


def ask(hub: LiveHub, bearer: str, purpose: str = "deportation-protection") -> httpx.Response:
    return httpx.post(
        f"{hub.url}/graphql",
        json={"query": WHOAMI},
        headers={"Authorization": f"Bearer {bearer}", "X-Purpose": purpose},
    )


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_a_token_of_the_agencys_provider_is_that_agencys_role(hub: LiveHub) -> None:
    response = ask(hub, token())
    assert response.status_code == 200, response.text
    assert response.json()["data"]["whoami"] == {
        "role": "migraciones",
        "agency": "migraciones",
        "purpose": "deportation-protection",
        "purposes": ["deportation-protection"],
    }


@pytest.mark.parametrize(
    ("bearer", "expected"),
    [
        (token(key=STRANGER), "INVALID_TOKEN"),  # same kid, another key
        (token(exp=int(time.time()) - 10), "TOKEN_EXPIRED"),
        (token(aud="otro-sistema"), "INVALID_AUDIENCE"),
        (token(roles=["usuario"]), "INVALID_TOKEN"),  # no mapped role
        # a provider cannot grant commission roles by naming them
        (token(roles=["cepr-supervisor", "cepr-secretary"]), "INVALID_TOKEN"),
        (token(key=OctKey.import_key("s" * 32), alg="HS256"), "INVALID_TOKEN"),
    ],
    ids=["foreign-key", "expired", "audience", "no-role", "commission-role", "hs256"],
)
def test_wrong_external_tokens_are_refused_with_their_code(
    hub: LiveHub, bearer: str, expected: str
) -> None:
    response = ask(hub, bearer)
    assert response.status_code == 401
    assert code(response) == expected


def test_a_purpose_outside_the_agreement_is_refused_even_if_the_token_claims_it(
    hub: LiveHub,
) -> None:
    # The provider claims a purpose of the Health Ministry's agreement for a migration role
    bearer = token(purposes=["deportation-protection", "health-workforce"])
    response = ask(hub, bearer, purpose="health-workforce")
    assert response.status_code == 403
    assert code(response) == "PURPOSE_NOT_ALLOWED"
    # and the purposes it holds are only those of its agreement
    held = ask(hub, bearer).json()["data"]["whoami"]["purposes"]
    assert held == ["deportation-protection"]


def test_an_unreachable_provider_is_a_503_not_a_500(hub: LiveHub) -> None:
    bearer = token(iss="https://idp.caido.gob.pe")
    response = ask(hub, bearer)
    assert response.status_code == 503
    assert code(response) == "ISSUER_UNAVAILABLE"


def test_a_configuration_naming_a_commission_role_is_refused_at_start() -> None:
    config = {ISSUER: {"jwks_url": "http://x", "audience": AUDIENCE, "role": "cepr-supervisor"}}
    with pytest.raises(ValueError, match="no es un rol de agencia"):
        ExternalIssuers.from_json(json.dumps(config))
