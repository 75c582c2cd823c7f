"""Signed assertions of a protection answer (JWS with the hub's key id and time), which an
officer attaches to a file and anyone can verify later with the hub's published keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from auth.keys import KeyError_, KeyStore
from services.errors import FieldProblem, ValidationFailed
from services.protection import ProtectionRecord


def assertion_claims(record: ProtectionRecord, issuer: str, requested_by: str) -> dict[str, Any]:
    """What a signed assertion of a protection answer says (no personal data beyond the
    document asked about)."""
    doc = record.document
    return {
        "iss": issuer,
        "iat": int(datetime.now(UTC).timestamp()),
        "typ": ASSERTION_TYP,
        "document": {"type": doc.type, "number": doc.number, "issuingCountry": doc.issuing_country}
        if doc
        else None,
        "found": record.found,
        "protected": record.protected,
        "basis": record.basis,
        "since": record.since.isoformat() if record.since else None,
        "heldDocument": {
            "kind": record.document_held.kind,
            "number": record.document_held.number,
            "status": record.document_held.status,
            "validTo": record.document_held.valid_to.isoformat()
            if record.document_held.valid_to
            else None,
        }
        if record.document_held
        else None,
        "requestedBy": requested_by,
    }


ASSERTION_TYP = "protection-assertion"


@dataclass(frozen=True, slots=True)
class SignedAssertion:
    """A protection answer signed by the hub: the compact JWS and the key that signed it."""

    token: str
    key_id: str
    claims: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AssertionCheck:
    """The result of checking an assertion: ``code`` is VALID, INVALID_TOKEN or UNKNOWN_KEY."""

    valid: bool
    code: str
    message: str
    claims: dict[str, Any] | None


def sign_assertion(
    keys: KeyStore, record: ProtectionRecord, issuer: str, requested_by: str
) -> SignedAssertion:
    """Sign ``record`` with the hub's current key (its ``kid`` in the JWS header; the time
    in ``iat``). Anyone can check it later against the published JWKS."""
    claims = assertion_claims(record, issuer, requested_by)
    token = keys.sign_jws(claims, typ=f"{ASSERTION_TYP}+jwt")
    return SignedAssertion(token, keys.current_kid, claims)


def verify_assertion(keys: KeyStore, token: str) -> AssertionCheck:
    """Check an assertion's signature against the hub's keys (current and retained ones).

    A bad or foreign signature is an answer (``valid`` false, with its code), not an
    error; a validly signed token that is not a protection assertion is refused.
    """
    try:
        claims = keys.verify_jws(token)
    except KeyError_ as exc:
        return AssertionCheck(False, exc.code, exc.message, None)
    if claims.get("typ") != ASSERTION_TYP:
        raise ValidationFailed(
            [
                FieldProblem(
                    ("token",), "NOT_AN_ASSERTION", "El token no es una constancia de protección."
                )
            ]
        )
    return AssertionCheck(True, "VALID", "Firma válida del hub.", claims)
