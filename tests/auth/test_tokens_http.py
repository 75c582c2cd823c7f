"""Tokens over HTTP: forged ones refused with 401 and a code, purposes enforced, rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from typer.testing import CliRunner

from auth.keys import KeyStore
from hub.cli import app
from hub.settings import load_settings
from tests.auth.tokens import mint
from tests.conftest import LiveHub

WHOAMI = "{ whoami { role agency officeCode purpose } }"
CASES = "{ cases(first: 1) { edges { cursor } } }"


def call(
    hub: LiveHub, token: str | None, query: str = WHOAMI, purpose: str | None = None
) -> httpx.Response:
    headers = {"Accept": "application/graphql-response+json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if purpose:
        headers["X-Purpose"] = purpose
    return httpx.post(f"{hub.url}/graphql", json={"query": query}, headers=headers)


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def claims(**overrides: Any) -> dict[str, Any]:
    settings = load_settings()
    now = int(time.time())
    base = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + 300,
        "sub": "x",
        "role": "cepr-supervisor",
        "agency": "cepr",
        "purposes": ["case-management"],
    }
    return {**base, **overrides}


def test_a_valid_token_is_accepted(live_hub: LiveHub) -> None:
    response = call(live_hub, mint("cepr-supervisor", office="LIM"))
    assert response.status_code == 200
    assert response.json()["data"]["whoami"] == {
        "role": "cepr-supervisor",
        "agency": "cepr",
        "officeCode": "LIM",
        "purpose": "case-management",
    }


def test_no_token_where_one_is_needed_is_401(live_hub: LiveHub) -> None:
    response = call(live_hub, None, CASES)
    assert response.status_code == 401
    assert code(response) == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_public_queries_need_no_token(live_hub: LiveHub) -> None:
    response = call(live_hub, None, "{ offices { code } }")
    assert response.status_code == 200


def forged_tokens() -> dict[str, tuple[str, str]]:
    store = KeyStore.load(load_settings())
    good = store.sign_jws(claims())
    head, body, sig = good.split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    # The classic confusion attack: HS256 keyed with the (public) verification key.
    public_pem = store.keys[store.current_kid].as_pem(private=False)
    signing_input = f"{b64({'alg': 'HS256', 'kid': store.current_kid})}.{b64(claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    hs = f"{signing_input}.{b64(mac)}"
    stranger = ECKey.generate_key("P-256", parameters={"kid": "not-ours"}, private=True)
    return {
        "bad signature": (f"{head}.{body}.{flipped}", "INVALID_TOKEN"),
        "alg none": (f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims())}.", "INVALID_TOKEN"),
        "HS256 with the public key": (hs, "INVALID_TOKEN"),
        "expired": (store.sign_jws(claims(exp=int(time.time()) - 3600)), "TOKEN_EXPIRED"),
        "wrong audience": (store.sign_jws(claims(aud="another-hub")), "INVALID_AUDIENCE"),
        "wrong issuer": (store.sign_jws(claims(iss="https://evil.example")), "INVALID_ISSUER"),
        "unknown key id": (
            jwt.encode({"alg": "ES256", "kid": "not-ours"}, claims(), stranger),
            "UNKNOWN_KEY",
        ),
        "garbage": ("not-a-token", "INVALID_TOKEN"),
    }


FORGERIES = [
    "bad signature",
    "alg none",
    "HS256 with the public key",
    "expired",
    "wrong audience",
    "wrong issuer",
    "unknown key id",
    "garbage",
]


@pytest.mark.parametrize("case", FORGERIES)
def test_forged_tokens_are_refused_with_401(live_hub: LiveHub, case: str) -> None:
    token, expected = forged_tokens()[case]
    response = call(live_hub, token)
    assert response.status_code == 401, response.text
    assert code(response) == expected
    assert "data" not in response.json()


def test_another_agency_must_name_a_purpose(live_hub: LiveHub) -> None:
    token = mint("migraciones", purpose="deportation-protection")
    missing = call(live_hub, token)
    assert (missing.status_code, code(missing)) == (403, "PURPOSE_REQUIRED")
    foreign = call(live_hub, token, purpose="health-workforce")
    assert (foreign.status_code, code(foreign)) == (403, "PURPOSE_NOT_ALLOWED")
    ok = call(live_hub, token, purpose="deportation-protection")
    assert ok.json()["data"]["whoami"]["purpose"] == "deportation-protection"


def test_rotation_keeps_tokens_signed_by_the_previous_key_valid(live_hub: LiveHub) -> None:
    # Given a token signed with the current key
    before = mint("cepr-supervisor", office="AQP")
    # When the keys are rotated by the administrator's command
    result = CliRunner().invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    after = mint("cepr-secretary", office="AQP")
    # Then both the old and the new token work, and both keys are published
    assert call(live_hub, before).status_code == 200
    assert call(live_hub, after).status_code == 200
    kids = {k["kid"] for k in httpx.get(f"{live_hub.url}/.well-known/jwks.json").json()["keys"]}
    assert {
        json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "==="))["kid"]
        for t in (before, after)
    } <= kids


def test_metadata_points_at_the_token_endpoint_and_keys(live_hub: LiveHub) -> None:
    meta = httpx.get(f"{live_hub.url}/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"].endswith("/oauth/token")
    assert meta["jwks_uri"].endswith("/.well-known/jwks.json")
    assert "client_credentials" in meta["grant_types_supported"]
