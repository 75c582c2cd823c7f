"""Tokens from other agencies' own identity providers, when configured.

``QHUB_EXTERNAL_ISSUERS`` is JSON: ``{"<issuer>": {"jwks_url": …, "audience": …,
"algorithms": ["RS256"], "role": "migraciones" | {"claim": "roles", "map": {…}},
"purposes_claim": "purposes"}}``. A token whose ``iss`` is listed is verified against
that issuer's published keys (fetched and cached) and its claims mapped to the hub's.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from auth.policy import AGENCY_ROLES
from auth.tokens import AGENCY_OF_ROLE, AuthError
from models.vocab import Role

JWKS_TTL = 300.0
ALLOWED = frozenset({"RS256", "ES256", "PS256", "EdDSA"})


@dataclass
class ExternalIssuer:
    issuer: str
    jwks_url: str
    audience: str
    algorithms: list[str]
    role: str | dict[str, Any]
    purposes_claim: str = "purposes"
    _keys: KeySet | None = None
    _fetched: float = 0.0

    def key_set(self) -> KeySet:
        if self._keys is None or time.monotonic() - self._fetched > JWKS_TTL:
            response = httpx.get(self.jwks_url, timeout=5)
            response.raise_for_status()
            self._keys = KeySet.import_key_set(response.json())
            self._fetched = time.monotonic()
        return self._keys

    def map_role(self, claims: dict[str, Any]) -> Role:
        """The hub role of an external token: the issuer's fixed role, or the first of the
        token's role values that the issuer's ``map`` names. Values are never taken as
        hub roles by themselves: another agency's identity provider cannot mint
        commission roles by putting their names in a claim."""
        if isinstance(self.role, str):
            return _agency_role(self.role)
        raw = claims.get(self.role.get("claim", "role"))
        values = raw if isinstance(raw, list) else [raw]
        mapping = self.role.get("map", {})
        for value in values:
            if isinstance(value, str) and value in mapping:
                return _agency_role(mapping[value])
        raise AuthError("INVALID_TOKEN", "El token externo no indica un rol reconocido.")


@dataclass
class ExternalIssuers:
    issuers: dict[str, ExternalIssuer] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str) -> ExternalIssuers:
        data = json.loads(text)
        issuers = {}
        for name, conf in data.items():
            algorithms = [a for a in conf.get("algorithms", ["RS256"]) if a in ALLOWED]
            if not algorithms:
                raise ValueError(f"QHUB_EXTERNAL_ISSUERS: {name}: ningún algoritmo admitido.")
            role = conf["role"]
            # Refuse a configuration that names a non-agency role now, not at the first token.
            for target in [role] if isinstance(role, str) else role.get("map", {}).values():
                _agency_role(target)
            issuers[name] = ExternalIssuer(
                issuer=name,
                jwks_url=conf["jwks_url"],
                audience=conf["audience"],
                algorithms=algorithms,
                role=conf["role"],
                purposes_claim=conf.get("purposes_claim", "purposes"),
            )
        return cls(issuers)

    def lists_issuer_of(self, token: str) -> bool:
        """Whether the token names (unverified) one of these issuers."""
        return (_unverified_issuer(token) or "") in self.issuers

    def claims_for(self, token: str) -> dict[str, Any] | None:
        """Hub-shaped claims of an external token, or None if its issuer is not listed."""
        issuer = self.issuers.get(_unverified_issuer(token) or "")
        if issuer is None:
            return None
        try:
            decoded = jwt.decode(token, issuer.key_set(), algorithms=issuer.algorithms)
        except (JoseError, ValueError) as exc:
            raise AuthError("INVALID_TOKEN", "Firma del token externo no válida.") from exc
        except httpx.HTTPError as exc:
            raise AuthError(
                "ISSUER_UNAVAILABLE", "No se pudo obtener las claves del emisor.", 503
            ) from exc
        claims = dict(decoded.claims)
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or exp < time.time():
            raise AuthError("TOKEN_EXPIRED", "El token externo ha expirado.")
        audience = claims.get("aud")
        if issuer.audience not in (audience if isinstance(audience, list) else [audience]):
            raise AuthError("INVALID_AUDIENCE", "El token externo no está destinado a este hub.")
        role = issuer.map_role(claims)
        purposes = claims.get(issuer.purposes_claim) or []
        return {
            "sub": f"{issuer.issuer}#{claims.get('sub')}",
            "exp": exp,
            "jti": claims.get("jti"),
            "role": role.value,
            "agency": AGENCY_OF_ROLE[role].value,
            "purposes": purposes if isinstance(purposes, list) else str(purposes).split(),
            "client_id": claims.get("azp") or claims.get("client_id"),
        }


def _agency_role(name: str) -> Role:
    """Only other agencies' roles come from their identity providers; commission staff
    and applicants sign in with the hub itself."""
    role = Role._value2member_map_.get(name)
    if role not in AGENCY_ROLES:
        raise ValueError(
            f"QHUB_EXTERNAL_ISSUERS: «{name}» no es un rol de agencia "
            f"({', '.join(sorted(r.value for r in AGENCY_ROLES))})."
        )
    return Role(name)


def _unverified_issuer(token: str) -> str | None:
    try:
        payload = token.split(".")[1]
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    issuer = value.get("iss") if isinstance(value, dict) else None
    return issuer if isinstance(issuer, str) else None
