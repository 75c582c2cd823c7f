"""Access tokens: minting (JWT, ES256, short-lived) and authenticating a request.

A token carries ``iss``, ``aud``, ``exp``, ``iat``, ``jti``, ``sub`` and the hub's claims:
``agency``, ``role``, ``office``, ``officer_id``, ``person_id``, ``purposes``. Other
agencies' requests must name one of their purposes in ``X-Purpose``; commission staff
work under ``case-management`` unless they name another they hold.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any

from auth.keys import KeyError_, KeyStore
from auth.policy import ROLE_PURPOSES
from auth.principal import ANONYMOUS, Principal
from models.vocab import Agency, Purpose, Role

AGENCY_OF_ROLE: dict[Role, Agency] = {
    Role.CEPR_REGISTRAR: Agency.CEPR,
    Role.CEPR_ELIGIBILITY: Agency.CEPR,
    Role.CEPR_SUPERVISOR: Agency.CEPR,
    Role.CEPR_SECRETARY: Agency.CEPR,
    Role.MIGRACIONES: Agency.MIGRACIONES,
    Role.MINSA: Agency.MINSA,
    Role.ACNUR: Agency.ACNUR,
    Role.APPLICANT: Agency.APPLICANT,
    Role.PUBLIC: Agency.PUBLIC,
}
CLOCK_SKEW = 30


class AuthError(Exception):
    """Authentication refused: HTTP ``status``, a stable ``code``, a Spanish ``message``."""

    def __init__(self, code: str, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class TokenIssuer:
    """Mints and checks the hub's own access tokens."""

    keys: KeyStore
    issuer: str
    audience: str
    ttl_seconds: int = 900

    def mint(
        self,
        role: Role,
        *,
        subject: str | None = None,
        purposes: frozenset[Purpose] | None = None,
        office: str | None = None,
        officer_id: int | None = None,
        person_id: int | None = None,
        client_id: str | None = None,
        ttl_seconds: int | None = None,
    ) -> str:
        """A signed access token for ``role`` (purposes default to the role's agreement)."""
        now = int(time.time())
        held = purposes if purposes is not None else ROLE_PURPOSES.get(role, frozenset())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + (ttl_seconds or self.ttl_seconds),
            "jti": uuid.uuid4().hex,
            "sub": subject or f"{role.value}:{office or person_id or 'admin'}",
            "agency": AGENCY_OF_ROLE[role].value,
            "role": role.value,
            "purposes": sorted(p.value for p in held),
        }
        if office:
            claims["office"] = office
        if officer_id is not None:
            claims["officer_id"] = officer_id
        if person_id is not None:
            claims["person_id"] = person_id
        if client_id:
            claims["client_id"] = client_id
        return self.keys.sign_jws(claims)

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid, current token for this hub; ``AuthError`` otherwise."""
        try:
            claims = self.keys.verify_jws(token)
        except KeyError_ as exc:
            raise AuthError(exc.code, exc.message) from exc
        now = time.time()
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            raise AuthError("INVALID_TOKEN", "El token no tiene fecha de expiración.")
        if exp + CLOCK_SKEW < now:
            raise AuthError("TOKEN_EXPIRED", "El token ha expirado; solicite uno nuevo.")
        nbf = claims.get("nbf")
        if isinstance(nbf, int | float) and nbf - CLOCK_SKEW > now:
            raise AuthError("INVALID_TOKEN", "El token todavía no es válido.")
        if claims.get("iss") != self.issuer:
            raise AuthError("INVALID_ISSUER", "El token no fue emitido por este hub.")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.audience not in audiences:
            raise AuthError("INVALID_AUDIENCE", "El token no está destinado a este hub.")
        return claims


def principal_from_claims(
    claims: Mapping[str, Any], requested_purpose: str | None, expires_at: float | None
) -> Principal:
    """The principal a verified token describes, with the purpose this request names."""
    try:
        role = Role(str(claims.get("role")))
    except ValueError as exc:
        raise AuthError("INVALID_TOKEN", "El token no indica un rol conocido.") from exc
    if role is Role.PUBLIC:
        raise AuthError("INVALID_TOKEN", "El token no indica un rol conocido.")
    # The token's purposes, within the role's data-sharing agreement: a token (above all
    # one from another agency's identity provider) cannot widen the agreement.
    held = frozenset(
        Purpose(p) for p in claims.get("purposes", []) if p in Purpose._value2member_map_
    ) & ROLE_PURPOSES.get(role, frozenset())
    purpose = _purpose(role, held, requested_purpose)
    office = claims.get("office")
    officer = claims.get("officer_id")
    person = claims.get("person_id")
    return Principal(
        role=role,
        agency=AGENCY_OF_ROLE[role],
        subject=str(claims.get("sub") or role.value),
        client_id=claims.get("client_id"),
        office_code=office if isinstance(office, str) else None,
        officer_id=officer if isinstance(officer, int) else None,
        person_id=person if isinstance(person, int) else None,
        purposes=held,
        purpose=purpose,
        token_id=claims.get("jti"),
        expires_at=expires_at,
    )


def _purpose(role: Role, held: frozenset[Purpose], requested: str | None) -> Purpose | None:
    agency = AGENCY_OF_ROLE[role]
    if requested:
        try:
            purpose = Purpose(requested)
        except ValueError as exc:
            raise AuthError(
                "PURPOSE_NOT_ALLOWED", f"El propósito «{requested}» no existe.", 403
            ) from exc
        if purpose not in held:
            raise AuthError(
                "PURPOSE_NOT_ALLOWED",
                f"El propósito «{requested}» no está en el acuerdo de su entidad.",
                403,
            )
        return purpose
    if agency in (Agency.MIGRACIONES, Agency.MINSA, Agency.ACNUR):
        raise AuthError(
            "PURPOSE_REQUIRED",
            "Indique el propósito de la consulta en la cabecera X-Purpose.",
            403,
        )
    if agency is Agency.CEPR:
        return Purpose.CASE_MANAGEMENT
    return None


def bearer_token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("INVALID_TOKEN", "Use 'Authorization: Bearer <token>'.")
    return token.strip()


@dataclass
class Authenticator:
    """Turns a request's headers into a principal (anonymous without a token)."""

    issuer: TokenIssuer
    external: Any = None  # auth.external.ExternalIssuers, when configured

    def __call__(self, request: Any) -> Principal | Awaitable[Principal]:
        """The principal; an awaitable of it for another agency's token, whose issuer's
        keys may have to be fetched over the network (never on the event loop)."""
        headers = request.headers
        token = bearer_token(headers)
        if token is None:
            return ANONYMOUS
        purpose = headers.get("x-purpose")
        if self.external is not None and self.external.lists_issuer_of(token):
            return self._external(token, purpose)
        return _principal(self.issuer.verify(token), purpose)

    async def _external(self, token: str, purpose: str | None) -> Principal:
        claims: dict[str, Any] | None = await asyncio.to_thread(self.external.claims_for, token)
        if claims is None:  # pragma: no cover - the issuer was listed a moment ago
            claims = self.issuer.verify(token)
        return _principal(claims, purpose)


def _principal(claims: dict[str, Any], purpose: str | None) -> Principal:
    exp = claims.get("exp")
    return principal_from_claims(
        claims, purpose, float(exp) if isinstance(exp, int | float) else None
    )
