"""Small Strawberry federation apps standing for the hub's subgraphs and an agency's system.

- ``hub_standin_app``: what the gateway needs from the hub — ``/.well-known/jwks.json`` and two
  subgraphs sharing the ``Person`` entity (``people``: identity, keyed by id and by document;
  ``status``: protection status, keyed by id), each at ``/subgraphs/<name>/graphql``. Every
  resolver that reads the caller verifies the forwarded ``Authorization`` token itself.
- ``agency_app``: an agency's own system (migratory movements) joining ``Person`` by its
  document key, at ``/graphql``.

Security directives follow the hub's conventions: scopes ``role:<role>``, policies
``purpose:<purpose>`` / ``agency:<agency>``; federation 2.9 as the real subgraphs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import strawberry
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

ISSUER = "https://qoricancha.test"
AUDIENCE = "qoricancha-hub-test"
FEDERATION_VERSION = "2.9"

AGENCY_ROLES = [["role:migraciones"], ["role:acnur"]]


class Keys:
    """The stand-in hub's signing keys (RS256 and ES256) and its JWKS."""

    def __init__(self, private_jwks: dict[str, Any] | None = None) -> None:
        if private_jwks is None:
            self.rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"})
            self.ec = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"})
        else:
            loaded = KeySet.import_key_set(private_jwks)
            self.rsa = next(k for k in loaded if isinstance(k, RSAKey))  # type: ignore[assignment]
            self.ec = next(k for k in loaded if isinstance(k, ECKey))  # type: ignore[assignment]
        self.keyset = KeySet([self.rsa, self.ec])

    def rotate(self, kid: str) -> RSAKey:
        """Publish a new RSA key (the previous ones stay published, as the hub does)."""
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig"})
        self.keyset = KeySet([*self.keyset.keys, key])
        return key

    def private_jwks(self) -> dict[str, Any]:
        """The key pair (private parts included), to hand to another process."""
        return self.keyset.as_dict(private=True)

    def jwks(self) -> dict[str, Any]:
        return self.keyset.as_dict(private=False)

    def token(
        self,
        role: str,
        subject: str,
        *,
        purposes: list[str] | None = None,
        agency: str | None = None,
        alg: str = "RS256",
        key: Any = None,
        kid: str | None = None,
        ttl: int = 300,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "exp": now + ttl,
            "role": role,
            "agency": agency or role,
            "purposes": purposes or [],
            **claims,
        }
        signing = key or (self.rsa if alg == "RS256" else self.ec)
        header = {"alg": alg, "kid": kid or signing.kid}
        return jwt.encode(header, payload, signing)

    def verify(self, authorization: str | None) -> dict[str, Any] | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = jwt.decode(authorization[7:], self.keyset, algorithms=["RS256", "ES256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": ISSUER}, aud={"essential": True, "value": AUDIENCE}
        ).validate(token.claims)
        return dict(token.claims)


def serve_standin_hub(private_jwks_file: str, port: int) -> None:
    """Serve the stand-in hub with the keys of ``private_jwks_file`` (for benchmarks)."""
    import json
    from pathlib import Path

    import uvicorn

    keys = Keys(json.loads(Path(private_jwks_file).read_text(encoding="utf-8")))
    uvicorn.run(
        hub_standin_app(keys), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )


# --- people & status data: two persons, one protected ---------------------------------------

PEOPLE = {
    "1": {"documentType": "PASSPORT", "documentNumber": "V123", "names": "Ana Pérez", "p": True},
    "2": {"documentType": "CE", "documentNumber": "E777", "names": "Luis Ríos", "p": False},
}
BY_DOCUMENT = {(v["documentType"], v["documentNumber"]): k for k, v in PEOPLE.items()}


def _caller(info: strawberry.Info) -> dict[str, Any]:
    request: Request = info.context["request"]
    claims: dict[str, Any] | None = info.context["keys"].verify(
        request.headers.get("authorization")
    )
    if claims is None:
        raise PermissionError("sin token")
    return claims


@strawberry.federation.type(keys=["id", "documentType documentNumber"])
class Person:
    id: strawberry.ID
    document_type: str
    document_number: str
    names: str | None = strawberry.federation.field(requires_scopes=AGENCY_ROLES)

    @classmethod
    def resolve_reference(cls, **rep: Any) -> Person | None:
        key = rep.get("id") or BY_DOCUMENT.get((rep.get("documentType"), rep.get("documentNumber")))
        return person(str(key)) if key is not None and str(key) in PEOPLE else None


def _row(pid: str) -> dict[str, Any]:
    """PEOPLE's row, or for any other numeric id one of them (benchmarks vary the id)."""
    return PEOPLE.get(pid) or PEOPLE["1" if int(pid) % 2 else "2"]


def person(pid: str) -> Person:
    row = _row(pid)
    return Person(
        id=strawberry.ID(pid),
        document_type=row["documentType"],
        document_number=row["documentNumber"],
        names=row["names"],
    )


@strawberry.type
class Caller:
    subject: str
    role: str
    purpose: str | None


@strawberry.type
class PeopleQuery:
    @strawberry.federation.field(requires_scopes=AGENCY_ROLES)
    def person(self, id: strawberry.ID) -> Person | None:
        return person(str(id)) if str(id).isdigit() and int(id) > 0 else None

    @strawberry.federation.field(authenticated=True)
    def whoami(self, info: strawberry.Info) -> Caller:
        claims = _caller(info)
        purpose = info.context["request"].headers.get("x-purpose")
        return Caller(subject=claims["sub"], role=claims["role"], purpose=purpose)

    @strawberry.field
    def public_count(self) -> int:
        return len(PEOPLE)


@strawberry.federation.type(keys=["id"], name="Person")
class StatusPerson:
    id: strawberry.ID

    @strawberry.federation.field(requires_scopes=AGENCY_ROLES)
    def protected(self) -> bool | None:
        return bool(_row(str(self.id))["p"])

    @strawberry.federation.field(
        requires_scopes=[["role:migraciones"]], policy=[["purpose:deportation-protection"]]
    )
    def protection_basis(self) -> str | None:
        return "PENDING_CLAIM" if _row(str(self.id))["p"] else None

    @strawberry.federation.field(requires_scopes=[["role:cepr-eligibility"]])
    def claim_reasons(self) -> str | None:
        return "confidencial"

    @strawberry.federation.field(authenticated=True)
    def viewed_by(self, info: strawberry.Info) -> str:
        """The subject of the token this subgraph received for this request."""
        return str(_caller(info)["sub"])

    @classmethod
    def resolve_reference(cls, **rep: Any) -> StatusPerson | None:
        pid = str(rep["id"])
        return StatusPerson(id=strawberry.ID(pid)) if pid.isdigit() and int(pid) > 0 else None


@strawberry.type
class StatusQuery:
    @strawberry.federation.field(requires_scopes=AGENCY_ROLES)
    def protected_count(self) -> int:
        return sum(1 for row in PEOPLE.values() if row["p"])


def people_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=PeopleQuery, types=[Person], federation_version=FEDERATION_VERSION
    )


def status_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=StatusQuery, types=[StatusPerson], federation_version=FEDERATION_VERSION
    )


class _App(GraphQL):  # type: ignore[type-arg]
    def __init__(self, schema: Any, keys: Keys) -> None:
        super().__init__(schema, graphql_ide=None)
        self.keys = keys

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "keys": self.keys}


STANDIN_SUBGRAPHS = {"people": people_schema, "status": status_schema}


def hub_standin_app(keys: Keys) -> Starlette:
    async def jwks(request: Request) -> JSONResponse:
        return JSONResponse(keys.jwks())

    async def readyz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ready"})

    routes = [Route("/.well-known/jwks.json", jwks), Route("/readyz", readyz)]
    for name, make in STANDIN_SUBGRAPHS.items():
        routes.append(
            Route(f"/subgraphs/{name}/graphql", _App(make(), keys), methods=["GET", "POST"])
        )
    return Starlette(routes=routes)


# --- an agency's own system: migratory movements keyed by document -------------------------

MOVEMENTS = {
    ("PASSPORT", "V123"): [("2026-01-10", "ENTRY", "Tacna")],
    ("CE", "E777"): [("2025-12-01", "ENTRY", "Tumbes"), ("2026-02-02", "EXIT", "Callao")],
}


@strawberry.type
class Movement:
    date: str
    direction: str
    post: str
    document_type: strawberry.Private[str]
    document_number: strawberry.Private[str]

    @strawberry.field
    def person(self) -> AgencyPerson:
        return AgencyPerson(document_type=self.document_type, document_number=self.document_number)


@strawberry.federation.type(keys=["documentType documentNumber"], name="Person")
class AgencyPerson:
    document_type: str
    document_number: str

    @strawberry.federation.field(requires_scopes=[["role:migraciones"]])
    def movements(self) -> list[Movement]:
        key = (self.document_type, self.document_number)
        return [_movement(key, m) for m in MOVEMENTS.get(key, [])]

    @classmethod
    def resolve_reference(cls, **rep: Any) -> AgencyPerson:
        return AgencyPerson(
            document_type=rep["documentType"], document_number=rep["documentNumber"]
        )


def _movement(key: tuple[str, str], m: tuple[str, str, str]) -> Movement:
    return Movement(
        date=m[0], direction=m[1], post=m[2], document_type=key[0], document_number=key[1]
    )


@strawberry.type
class AgencyQuery:
    @strawberry.federation.field(requires_scopes=[["role:migraciones"]])
    def movements_on_or_after(self, date: str) -> list[Movement]:
        return [_movement(k, m) for k, ms in MOVEMENTS.items() for m in ms if m[0] >= date]


@dataclass
class AgencyApp:
    keys: Keys

    def app(self) -> Starlette:
        schema = strawberry.federation.Schema(
            query=AgencyQuery, types=[AgencyPerson], federation_version=FEDERATION_VERSION
        )
        return Starlette(
            routes=[Route("/graphql", _App(schema, self.keys), methods=["GET", "POST"])]
        )
