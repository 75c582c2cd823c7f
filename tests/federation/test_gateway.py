"""Hive Gateway in front of Strawberry subgraphs: composition, joins, tokens, isolation.

Real uvicorn subgraphs (stand-ins with the hub's conventions, see ``standins.py``), real
composition (``compose.mjs``), a real Hive Gateway process with ``gateway.config.mjs``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from federation.compose import CompositionError, Subgraph, compose
from federation.gateway import Gateway
from tests.conftest import free_port
from tests.federation.conftest import ServerThread
from tests.federation.standins import AUDIENCE, ISSUER, Keys

MIG_PURPOSE = "deportation-protection"

PERSON_QUERY = """
query Person($id: ID!) {
  person(id: $id) { id documentNumber names protected protectionBasis viewedBy }
}"""


def post(
    gateway: Gateway,
    query: str,
    token: str | None = None,
    purpose: str | None = None,
    variables: dict[str, Any] | None = None,
) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if purpose is not None:
        headers["x-purpose"] = purpose
    return httpx.post(
        gateway.url,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )


def codes(body: dict[str, Any]) -> list[tuple[str | None, list[Any] | None]]:
    return [(e.get("extensions", {}).get("code"), e.get("path")) for e in body.get("errors", [])]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_jwt(header: dict[str, Any], claims: dict[str, Any], sign: Any = None) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = sign(signing_input.encode()) if sign else b""
    return f"{signing_input}.{b64(signature)}"


def claims(role: str = "migraciones", **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "x",
        "iat": now,
        "exp": now + 300,
        "role": role,
        "agency": role,
        "purposes": [MIG_PURPOSE],
        **extra,
    }


# --- composition ------------------------------------------------------------------------------


def test_supergraph_keeps_the_security_directives(supergraph: Path) -> None:
    # Given the stand-in subgraphs (federation 2.9) and the agency's subgraph, composed
    sdl = supergraph.read_text()
    # Then the supergraph links the security specs and carries the directives and the graphs
    for spec in ("requiresScopes/v0.1", "policy/v0.1", "authenticated/v0.1"):
        assert f"https://specs.apollo.dev/{spec}" in sdl
    assert '@requiresScopes(scopes: [["role:migraciones"]])' in sdl
    assert '@policy(policies: [["purpose:deportation-protection"]])' in sdl
    for graph in ("PEOPLE", "STATUS", "MOVEMENTS"):
        assert f'join__graph(name: "{graph.lower()}"' in sdl


def test_composition_errors_fail_loudly(
    federation_tools: Path, standin_subgraphs: list[Subgraph], tmp_path: Path
) -> None:
    # Given a subgraph redefining Person.names with another type, without @shareable
    clash = Subgraph(
        "clash",
        "http://127.0.0.1:9/graphql",
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n'
        'type Person @key(fields: "id") { id: ID! names: Int }\n'
        "type Query { clash: Int }\n",
    )
    out = tmp_path / "supergraph.graphql"
    # When composing it with the others
    with pytest.raises(CompositionError) as failure:
        compose([*standin_subgraphs, clash], out)
    # Then every error is reported with its code, and no supergraph is written
    text = "\n".join(failure.value.errors)
    assert "Person.names" in text and "[INVALID_FIELD_SHARING]" in text
    assert not out.exists()


def test_an_unreachable_subgraph_fails_loudly(federation_tools: Path, tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(CompositionError) as failure:
        compose([Subgraph("gone", f"http://127.0.0.1:{port}/graphql")], tmp_path / "s.graphql")
    assert f"127.0.0.1:{port}" in "\n".join(failure.value.errors)


# --- queries through the gateway ----------------------------------------------------------------


def test_person_joined_across_two_subgraphs(gateway: Gateway, keys: Keys) -> None:
    # Given a Migration Office token and its purpose
    token = keys.token("migraciones", "mig-1", purposes=[MIG_PURPOSE])
    # When a query reads Person fields from the people and the status subgraphs
    response = post(gateway, PERSON_QUERY, token, MIG_PURPOSE, {"id": "1"})
    # Then one response joins them, and the status subgraph saw the caller's own token
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {
            "person": {
                "id": "1",
                "documentNumber": "V123",
                "names": "Ana Pérez",
                "protected": True,
                "protectionBasis": "PENDING_CLAIM",
                "viewedBy": "mig-1",
            }
        }
    }


def test_es256_tokens_are_accepted_and_purpose_is_forwarded(gateway: Gateway, keys: Keys) -> None:
    token = keys.token("migraciones", "mig-ec", purposes=[MIG_PURPOSE], alg="ES256")
    response = post(gateway, "{ whoami { subject role purpose } }", token, MIG_PURPOSE)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["whoami"] == {
        "subject": "mig-ec",
        "role": "migraciones",
        "purpose": MIG_PURPOSE,
    }


def test_a_rotated_key_is_picked_up_at_its_first_token(gateway: Gateway, keys: Keys) -> None:
    # Given the gateway has already verified tokens signed by the first key
    first = keys.token("migraciones", "before", purposes=[MIG_PURPOSE])
    assert post(gateway, "{ whoami { subject } }", first, MIG_PURPOSE).status_code == 200
    # When the hub publishes a new key and signs with it
    new_key = keys.rotate("rsa-rotated")
    token = keys.token("migraciones", "after", purposes=[MIG_PURPOSE], key=new_key)
    response = post(gateway, "{ whoami { subject } }", token, MIG_PURPOSE)
    # Then the gateway fetches the JWKS again and accepts it; the old key still works
    assert response.json() == {"data": {"whoami": {"subject": "after"}}}
    assert post(gateway, "{ whoami { subject } }", first, MIG_PURPOSE).status_code == 200


def test_external_subgraph_joins_person_by_document(gateway: Gateway, keys: Keys) -> None:
    token = keys.token("migraciones", "mig-1", purposes=[MIG_PURPOSE])
    # When the hub's Person is extended with the agency's movements (joined by document)
    there = post(
        gateway,
        '{ person(id: "2") { names movements { date direction post } } }',
        token,
        MIG_PURPOSE,
    )
    # and the agency's movements are extended with the hub's Person
    back = post(
        gateway,
        '{ movementsOnOrAfter(date: "2026-01-01") { date person { id names protected } } }',
        token,
        MIG_PURPOSE,
    )
    # Then both directions join by the document key
    assert there.json() == {
        "data": {
            "person": {
                "names": "Luis Ríos",
                "movements": [
                    {"date": "2025-12-01", "direction": "ENTRY", "post": "Tumbes"},
                    {"date": "2026-02-02", "direction": "EXIT", "post": "Callao"},
                ],
            }
        }
    }
    assert back.json() == {
        "data": {
            "movementsOnOrAfter": [
                {
                    "date": "2026-01-10",
                    "person": {"id": "1", "names": "Ana Pérez", "protected": True},
                },
                {
                    "date": "2026-02-02",
                    "person": {"id": "2", "names": "Luis Ríos", "protected": False},
                },
            ]
        }
    }


def test_fields_outside_the_role_are_refused(gateway: Gateway, keys: Keys) -> None:
    # Given UNHCR (no protection basis, no movements) and the Migration Office (no claim data)
    acnur = keys.token("acnur", "acnur-1", purposes=["protection-assistance"])
    mig = keys.token("migraciones", "mig-1", purposes=[MIG_PURPOSE])
    # When each asks for a field its role may not read
    denied_acnur = post(gateway, PERSON_QUERY, acnur, "protection-assistance", {"id": "1"})
    denied_mig = post(gateway, '{ person(id: "1") { names claimReasons } }', mig, MIG_PURPOSE)
    # Then the gateway refuses the operation, naming the field
    assert denied_acnur.status_code == 403
    assert denied_acnur.json()["data"] is None
    assert codes(denied_acnur.json()) == [("FORBIDDEN", ["person", "protectionBasis"])]
    assert codes(denied_mig.json()) == [("FORBIDDEN", ["person", "claimReasons"])]
    # and what the role may read is served
    allowed = post(
        gateway, '{ person(id: "1") { names protected } }', acnur, "protection-assistance"
    )
    assert allowed.json() == {"data": {"person": {"names": "Ana Pérez", "protected": True}}}


def test_policy_needs_the_purpose_in_use(gateway: Gateway, keys: Keys) -> None:
    mig = keys.token("migraciones", "mig-1", purposes=[MIG_PURPOSE, "other-purpose"])
    # Under another purpose it holds, the field guarded by @policy(purpose:…) is refused
    response = post(gateway, '{ person(id: "1") { protectionBasis } }', mig, "other-purpose")
    assert codes(response.json()) == [("FORBIDDEN", ["person", "protectionBasis"])]
    # An agency naming no purpose is refused outright, as the hub does
    response = post(gateway, '{ person(id: "1") { names } }', mig)
    assert response.status_code == 403
    assert codes(response.json()) == [("PURPOSE_REQUIRED", None)]
    # A purpose the token does not hold is refused outright
    response = post(gateway, '{ person(id: "1") { names } }', mig, "health-workforce")
    assert response.status_code == 403
    assert codes(response.json()) == [("PURPOSE_NOT_ALLOWED", None)]


def test_missing_and_invalid_tokens_are_refused(gateway: Gateway, keys: Keys) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
    public_pem = keys.rsa.as_pem(private=False)
    forged = {
        "missing": None,
        "garbage": "not.a.token",
        "unknown key, known kid": keys.token("migraciones", "m", key=stranger, kid="rsa-1"),
        "unknown kid": keys.token("migraciones", "m", key=stranger, kid="not-published"),
        "expired": keys.token("migraciones", "m", ttl=-120),
        "wrong audience": keys.token("migraciones", "m", aud="another-api"),
        "wrong issuer": keys.token("migraciones", "m", iss="https://evil.example"),
        "alg none": raw_jwt({"alg": "none", "typ": "JWT"}, claims()),
        "HS256 with the public key": raw_jwt(
            {"alg": "HS256", "kid": "rsa-1"},
            claims(),
            lambda data: hmac.new(public_pem, data, hashlib.sha256).digest(),
        ),
        "claims altered after signing": _tampered(keys),
    }
    for case, token in forged.items():
        # When a guarded query comes with that token
        response = post(gateway, '{ person(id: "1") { names } }', token)
        # Then the gateway refuses it with 401 before any subgraph is called
        assert response.status_code == 401, (case, response.text)
        assert "data" not in response.json() or response.json()["data"] is None, case
    # Even a field every authenticated caller may read needs a token
    response = post(gateway, "{ publicCount }")
    assert response.status_code == 401


def _tampered(keys: Keys) -> str:
    token = keys.token("acnur", "a", purposes=["protection-assistance"])
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["role"] = "cepr-supervisor"
    return f"{header}.{b64(json.dumps(body).encode())}.{signature}"


def test_callers_stay_isolated_under_concurrent_requests(gateway: Gateway, keys: Keys) -> None:
    assert_callers_isolated(gateway, keys)


def assert_callers_isolated(gateway: Gateway, keys: Keys, rounds: int = 40) -> None:
    """Three callers at once, each with its own document and varying variables.

    Two Migration Office officers (allowed) and an eligibility officer (refused). Each must get
    the answer to its own document (its own alias), its own subject as the gateway and the
    status subgraph saw it, the person of its own variables, and a refusal stays a refusal.
    (With ``--jit`` and the auth plugin, a caller receives the answer to another's document.)
    """
    callers = {
        "mig_A": keys.token("migraciones", "mig_A", purposes=[MIG_PURPOSE]),
        "mig_B": keys.token("migraciones", "mig_B", purposes=[MIG_PURPOSE], alg="ES256"),
        "elig_C": keys.token("cepr-eligibility", "elig_C", purposes=["case-management"]),
    }

    def document(who: str) -> str:
        return (
            f"query Person($id: ID!) {{ me_{who}: whoami {{ subject }} "
            "person(id: $id) { id names protected viewedBy } }"
        )

    async def one(client: httpx.AsyncClient, who: str, i: int) -> tuple[str, str, Any]:
        pid = "1" if i % 2 else "2"
        purpose = MIG_PURPOSE if who.startswith("mig") else "case-management"
        response = await client.post(
            gateway.url,
            json={"query": document(who), "variables": {"id": pid}},
            headers={"authorization": f"Bearer {callers[who]}", "x-purpose": purpose},
        )
        return who, pid, response.json()

    async def run() -> list[tuple[str, str, Any]]:
        limits = httpx.Limits(max_connections=24)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            jobs = [one(client, who, i) for i in range(rounds) for who in callers]
            return await asyncio.gather(*jobs)

    # When the requests run concurrently
    results = asyncio.run(run())
    # Then every caller got exactly its own answer
    for who, pid, body in results:
        if who == "elig_C":
            assert body.get("data") is None, body
            assert {c for c, _ in codes(body)} == {"FORBIDDEN"}, body
            continue
        assert "errors" not in body, body
        assert body["data"] == {
            f"me_{who}": {"subject": who},
            "person": {
                "id": pid,
                "names": {"1": "Ana Pérez", "2": "Luis Ríos"}[pid],
                "protected": pid == "1",
                "viewedBy": who,
            },
        }


def test_the_gateway_refuses_to_start_with_jit(
    supergraph: Path, standin_hub: ServerThread, tmp_path: Path
) -> None:
    # Given the gateway asked to run with JIT (cross-caller data leak with the auth plugin)
    gw = Gateway(
        standin_hub.url,
        free_port(),
        supergraph,
        log=tmp_path / "jit.log",
        issuer=ISSUER,
        audience=AUDIENCE,
        extra={"JIT": "1"},
    )
    # When it starts, Then it exits at once, saying why
    with pytest.raises(RuntimeError, match="terminó al iniciar"):
        gw.start(timeout=30)
    assert "must not run with JIT" in (tmp_path / "jit.log").read_text()
