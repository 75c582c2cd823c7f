"""The hub's signing keys (ES256) in a PKCS#11 token (``QHUB_TOKEN_KEYS_PKCS11_TOKEN``;
an HSM, SoftHSM2 in tests), shared by every instance that opens the token.

Each key is a P-256 pair generated inside the token, labelled ``KEY_PREFIX + kid``; the
private half is sensitive and never extractable: the token signs (raw ECDSA over the
SHA-256 the host computes), the host keeps only the public halves (for verification and
the JWKS). The newest key id is the current one, as ``kid``s sort by creation time.
``TokenKey`` presents a token key as cryptography's ``EllipticCurvePrivateKey`` (its public
abstract class), so what signs with the hub's key (the access-log checkpoints) signs with
the token without knowing it. ``qhub keys init`` makes the first key; an instance never
does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from joserfc.jwk import ECKey

from auth.keys import ALGORITHM, KeyError_, KeyStore
from services import pkcs11_sessions

KEY_PREFIX = "qhub-jwt-"
REFRESH_SECONDS = 1.0


class TokenKey(ec.EllipticCurvePrivateKey):
    """A P-256 private key that stays in the token: ``sign`` asks the token."""

    def __init__(self, private: Any, public: ec.EllipticCurvePublicKey, lock: Any) -> None:
        self._private = private
        self._public = public
        self._lock = lock

    def sign(self, data: Any, signature_algorithm: ec.EllipticCurveSignatureAlgorithm) -> bytes:
        import pkcs11

        if not isinstance(signature_algorithm, ec.ECDSA) or not isinstance(
            signature_algorithm.algorithm, hashes.SHA256
        ):
            raise ValueError("la clave del token firma solo ECDSA con SHA-256")
        digest = hashlib.sha256(bytes(data)).digest()
        with self._lock:
            raw = bytes(self._private.sign(digest, mechanism=pkcs11.Mechanism.ECDSA))
        half = len(raw) // 2
        return encode_dss_signature(
            int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
        )

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._public

    @property
    def curve(self) -> ec.EllipticCurve:
        return self._public.curve

    @property
    def key_size(self) -> int:
        return self._public.curve.key_size

    def exchange(self, algorithm: ec.ECDH, peer_public_key: ec.EllipticCurvePublicKey) -> bytes:
        raise ValueError("la clave de firma del token no sirve para ECDH")

    def private_numbers(self) -> ec.EllipticCurvePrivateNumbers:
        raise ValueError("la clave privada no sale del token")

    def private_bytes(
        self,
        encoding: serialization.Encoding,
        format: serialization.PrivateFormat,
        encryption_algorithm: serialization.KeySerializationEncryption,
    ) -> bytes:
        raise ValueError("la clave privada no sale del token")

    def __copy__(self) -> TokenKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> TokenKey:
        return self


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class TokenKeyStore(KeyStore):
    """``KeyStore`` over the token: the same signing, verification and JWKS."""

    session: Any = None
    public: dict[str, ECKey] = field(default_factory=dict)
    lock: Any = field(default_factory=threading.Lock)
    refreshed_at: float = 0.0

    @classmethod
    def from_settings(cls, settings: Any, create: bool = False) -> TokenKeyStore:
        session = pkcs11_sessions.session(*pkcs11_sessions.token_settings(settings, "token_keys"))
        store = cls(settings.keys_dir, create=create, session=session)
        store._load()
        if store.current_kid not in store.keys:
            if not create:
                raise KeyError_(
                    "KEYS_MISSING",
                    "el token PKCS#11 no guarda clave de firma / no signing key in the token",
                )
            store.rotate()
        return store

    def _load(self) -> None:
        import pkcs11
        from pkcs11.util.ec import encode_ec_public_key

        p = pkcs11
        keys: dict[str, ECKey] = {}
        public: dict[str, ECKey] = {}
        with self.lock:
            found = list(self.session.get_objects({p.Attribute.CLASS: p.ObjectClass.PUBLIC_KEY}))
            for pub in found:
                label = str(pub[p.Attribute.LABEL])
                if not label.startswith(KEY_PREFIX):
                    continue
                kid = label.removeprefix(KEY_PREFIX)
                loaded = serialization.load_der_public_key(encode_ec_public_key(pub))
                assert isinstance(loaded, ec.EllipticCurvePublicKey)
                private = self.session.get_key(
                    object_class=p.ObjectClass.PRIVATE_KEY, key_type=p.KeyType.EC, label=label
                )
                keys[kid] = ECKey.import_key(TokenKey(private, loaded, self.lock))
                public[kid] = ECKey.import_key(loaded)
        self.keys, self.public = keys, public
        self.created = {kid: _created(kid) for kid in keys}
        self.current_kid = max(keys) if keys else ""

    def rotate(self, retention_seconds: float | None = None) -> str:
        import pkcs11
        from pkcs11.util.ec import encode_named_curve_parameters

        p = pkcs11
        kid = time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
        previous = self.current_kid
        with self.lock:
            parameters = self.session.create_domain_parameters(
                p.KeyType.EC,
                {p.Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
                local=True,
            )
            parameters.generate_keypair(
                store=True,
                label=KEY_PREFIX + kid,
                public_template={p.Attribute.VERIFY: True},
                private_template={
                    p.Attribute.SIGN: True,
                    p.Attribute.SENSITIVE: True,
                    p.Attribute.EXTRACTABLE: False,
                },
            )
        self._load()
        # as KeyStore.rotate: keys replaced before the previous one go once it has been
        # current longer than the retention
        retired = retention_seconds is not None and previous in self.created
        if retired and self.created[previous] + (retention_seconds or 0) < time.time():
            for old in [k for k in self.keys if k not in (kid, previous)]:
                self._drop(old)
            self._load()
        return kid

    def _drop(self, kid: str) -> None:
        import pkcs11

        p = pkcs11
        with self.lock:
            for cls_ in (p.ObjectClass.PRIVATE_KEY, p.ObjectClass.PUBLIC_KEY):
                for obj in self.session.get_objects(
                    {p.Attribute.CLASS: cls_, p.Attribute.LABEL: KEY_PREFIX + kid}
                ):
                    obj.destroy()

    def refresh(self) -> None:
        """Pick up keys made by ``qhub keys rotate`` in another process: at most once a
        second (a token with a made-up key id must not make every request list the
        token's objects)."""
        now = time.monotonic()
        if now - self.refreshed_at >= REFRESH_SECONDS:
            self.refreshed_at = now
            self._load()

    def sign_jws(self, claims: dict[str, Any], typ: str = "JWT") -> str:
        header = {"alg": ALGORITHM, "kid": self.current_kid, "typ": typ}
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        private = self.keys[self.current_kid].private_key
        assert isinstance(private, TokenKey)
        der = private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def verification_key(self, kid: str) -> ECKey | None:
        return self.public.get(kid)

    def public_jwks(self) -> dict[str, Any]:
        return {
            "keys": [
                {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
                for kid, key in self.public.items()
            ]
        }


def _created(kid: str) -> float:
    try:
        return time.mktime(time.strptime(kid.split("-")[0], "%Y%m%d%H%M%S"))
    except ValueError:
        return 0.0
