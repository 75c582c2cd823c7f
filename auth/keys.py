"""The hub's signing keys (ES256): access tokens, QR tokens and signed assertions.

Keys live as private JWKs under ``<data dir>/keys`` (or the deployment's shared key
directory, ``QHUB_KEYS_DIR``: ``hub.shared_keys``) with a pointer to the current one.
``rotate`` makes a new key current and keeps the previous ones for verification, so a
token signed before a rotation stays valid until it expires; retired keys are dropped
once nothing they signed can still be valid. Verification accepts only ES256 and only
known key ids: ``alg: none``, HS256 signed with the public key, and unknown ``kid`` all
fail with a typed error.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

ALGORITHM = "ES256"
CURRENT = "current"


class KeyError_(Exception):
    """A token or signature that the key store refuses; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class KeyStore:
    """Current and previous signing keys, loaded from (and saved to) a folder."""

    directory: Path
    keys: dict[str, ECKey] = field(default_factory=dict)
    created: dict[str, float] = field(default_factory=dict)
    current_kid: str = ""
    # make a first key when there is none (see ``load``)
    create: bool = True

    @classmethod
    def load(cls, settings: Any) -> KeyStore:
        """The store under ``settings.keys_dir``, created with a first key if empty —
        unless it is a shared key directory: every instance must sign with the same
        keys, so one never makes its own there (``KeyError_`` KEYS_MISSING)."""
        shared = getattr(settings, "shared_keys_dir", None) is not None
        if getattr(settings, "token_keys_pkcs11_token", None):
            from auth.token_keys import TokenKeyStore  # the keys in a PKCS#11 token

            return TokenKeyStore.from_settings(settings)
        return cls.open(Path(settings.keys_dir), create=not shared)

    @classmethod
    def open(cls, directory: Path, create: bool = True) -> KeyStore:
        store = cls(directory, create=create)
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        for path in sorted(directory.glob("*.jwk.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            kid = data["kid"]
            store.keys[kid] = ECKey.import_key(data)
            store.created[kid] = float(data.get("qhub_created", path.stat().st_mtime))
        pointer = directory / CURRENT
        if pointer.exists():
            store.current_kid = pointer.read_text(encoding="utf-8").strip()
        if store.current_kid not in store.keys:
            if not create:
                raise KeyError_(
                    "KEYS_MISSING",
                    f"{directory}: no hay clave de firma actual / no current signing key.",
                )
            store.rotate()
        return store

    def rotate(self, retention_seconds: float | None = None) -> str:
        """Make a new current key; drop keys retired longer ago than ``retention_seconds``."""
        kid = time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
        key = ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig"}, private=True)
        now = time.time()
        data = {**key.as_dict(private=True), "kid": kid, "alg": ALGORITHM, "qhub_created": now}
        path = self.directory / f"{kid}.jwk.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        previous = self.current_kid
        self.keys[kid] = key
        self.created[kid] = now
        self.current_kid = kid
        (self.directory / CURRENT).write_text(kid + "\n", encoding="utf-8")
        if retention_seconds is not None and previous:
            # A key retired at `now` stops mattering `retention_seconds` later; keys
            # replaced before (created before the previous current key) can go once
            # the previous key has been current that long.
            for old in list(self.keys):
                if old in (kid, previous):
                    continue
                if self.created[previous] + retention_seconds < now:
                    self._drop(old)
        return kid

    def _drop(self, kid: str) -> None:
        self.keys.pop(kid, None)
        self.created.pop(kid, None)
        (self.directory / f"{kid}.jwk.json").unlink(missing_ok=True)

    def refresh(self) -> None:
        """Pick up keys rotated by another process (``qhub keys rotate``)."""
        pointer = self.directory / CURRENT
        try:
            current = pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return
        if current == self.current_kid and current in self.keys:
            return
        try:
            fresh = KeyStore.open(self.directory, create=self.create)
        except (KeyError_, OSError, ValueError):  # mid-rotation elsewhere: keep ours
            return
        self.keys, self.created, self.current_kid = fresh.keys, fresh.created, fresh.current_kid

    def sign_jws(self, claims: dict[str, Any], typ: str = "JWT") -> str:
        """Compact JWS of ``claims`` with the current key (``kid`` in the header)."""
        key = self.keys[self.current_kid]
        header = {"alg": ALGORITHM, "kid": self.current_kid, "typ": typ}
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])

    def verify_jws(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by one of our keys; ``KeyError_`` otherwise.

        Checks the signature only: expiry, issuer and audience are the caller's rules.
        """
        header = _header(token)
        if header.get("alg") != ALGORITHM:
            raise KeyError_("INVALID_TOKEN", "Algoritmo de firma no aceptado.")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise KeyError_("UNKNOWN_KEY", "La firma no indica su clave.")
        if kid not in self.keys:
            self.refresh()
        key = self.verification_key(kid)
        if key is None:
            raise KeyError_("UNKNOWN_KEY", "La firma usa una clave desconocida.")
        try:
            decoded = jwt.decode(token, key, algorithms=[ALGORITHM])
        except (JoseError, ValueError) as exc:
            raise KeyError_("INVALID_TOKEN", "Firma no válida.") from exc
        return dict(decoded.claims)

    def verification_key(self, kid: str) -> ECKey | None:
        return self.keys.get(kid)

    def public_jwks(self) -> dict[str, Any]:
        """The public keys, as published at ``/.well-known/jwks.json``."""
        keys = []
        for kid, key in self.keys.items():
            public = key.as_dict(private=False)
            keys.append({**public, "kid": kid, "alg": ALGORITHM, "use": "sig"})
        return {"keys": keys}


def _header(token: str) -> dict[str, Any]:
    import base64

    try:
        head = token.split(".")[0]
        padded = head + "=" * (-len(head) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeyError_("INVALID_TOKEN", "El token no tiene un formato válido.") from exc
    if not isinstance(value, dict) or token.count(".") != 2:
        raise KeyError_("INVALID_TOKEN", "El token no tiene un formato válido.")
    return value


def verify_with_jwks(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Offline verification against a published key set (for ``qhub verify`` and others)."""
    header = _header(token)
    if header.get("alg") != ALGORITHM:
        raise KeyError_("INVALID_TOKEN", "Algoritmo de firma no aceptado.")
    for data in jwks.get("keys", []):
        if data.get("kid") == header.get("kid"):
            key = ECKey.import_key(data)
            try:
                return dict(jwt.decode(token, key, algorithms=[ALGORITHM]).claims)
            except (JoseError, ValueError) as exc:
                raise KeyError_("INVALID_TOKEN", "Firma no válida.") from exc
    raise KeyError_("UNKNOWN_KEY", "La firma usa una clave desconocida.")
