"""The pseudonym master secret in a PKCS#11 token (an HSM; SoftHSM2 in tests).

The secret is a generic-secret key labelled ``MASTER_LABEL``, sensitive and not
extractable: the token computes the HMAC-SHA256 the identifiers are made of, and the
secret never reaches the host. HMAC-SHA256 under the same secret gives the same bytes in
the token as in ``hmac``, so a secret imported from an instance's ``pseudonym.key``
(``qhub keys init --copy-from``) keeps every identifier agencies already hold.

Every instance of a deployment opens the same token (``QHUB_PSEUDONYM_PKCS11_TOKEN``);
none makes the secret: ``qhub keys init`` does, once.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from services import pkcs11_sessions
from services.pseudonyms import MASTER_BYTES, Pseudonyms

MASTER_LABEL = "qhub-pseudonym-master"
# Agencies' derived cipher keys kept in memory: one per pseudonymous agency (3 today).
AGENCY_KEYS = 16


class PseudonymKeyMissing(Exception):
    """The token has no pseudonym secret (``qhub keys init`` makes it)."""


def _session(settings: Any) -> Any:
    return pkcs11_sessions.session(*pkcs11_sessions.token_settings(settings, "pseudonym"))


class TokenPseudonyms(Pseudonyms):
    """Identifiers made by the token's HMAC under the non-extractable master secret."""

    def __init__(self, session: Any) -> None:
        import pkcs11

        self._pkcs11 = pkcs11
        self._session = session
        self._lock = threading.Lock()
        self._agency_keys: dict[str, bytes] = {}
        try:
            self._key = session.get_key(
                object_class=pkcs11.ObjectClass.SECRET_KEY,
                key_type=pkcs11.KeyType.GENERIC_SECRET,
                label=MASTER_LABEL,
            )
        except (pkcs11.exceptions.NoSuchKey, pkcs11.exceptions.MultipleObjectsReturned) as exc:
            raise PseudonymKeyMissing(MASTER_LABEL) from exc

    @classmethod
    def from_settings(cls, settings: Any) -> TokenPseudonyms:
        return cls(_session(settings))

    def _mac(self, message: bytes) -> bytes:
        with self._lock:
            return bytes(self._key.sign(message, mechanism=self._pkcs11.Mechanism.SHA256_HMAC))

    def _agency_key(self, agency: str) -> bytes:
        # one token call per agency, not per identifier (the check bytes still take one)
        key = self._agency_keys.get(agency)
        if key is None:
            key = super()._agency_key(agency)
            if len(self._agency_keys) >= AGENCY_KEYS:
                self._agency_keys.clear()
            self._agency_keys[agency] = key
        return key


def install_master(settings: Any, master: bytes | None = None) -> bool:
    """Put the master secret in the token unless it holds one: ``master`` (an instance's
    ``pseudonym.key``, so identifiers stay the same) or fresh random bytes. True when
    it was put there now."""
    import pkcs11

    p = pkcs11
    session = _session(settings)
    try:
        TokenPseudonyms(session)
        return False
    except PseudonymKeyMissing:
        pass
    value = master if master is not None else os.urandom(MASTER_BYTES)
    if len(value) != MASTER_BYTES:
        raise ValueError(f"el secreto de seudónimos debe tener {MASTER_BYTES} bytes")
    session.create_object(
        {
            p.Attribute.CLASS: p.ObjectClass.SECRET_KEY,
            p.Attribute.KEY_TYPE: p.KeyType.GENERIC_SECRET,
            p.Attribute.LABEL: MASTER_LABEL,
            p.Attribute.VALUE: value,
            p.Attribute.TOKEN: True,
            p.Attribute.PRIVATE: True,
            p.Attribute.SIGN: True,
            p.Attribute.VERIFY: True,
            p.Attribute.SENSITIVE: True,
            p.Attribute.EXTRACTABLE: False,
        }
    )
    return True


def token_problem(settings: Any) -> str | None:
    """Why the configured token cannot give pseudonyms, or None."""
    try:
        TokenPseudonyms.from_settings(settings)
    except PseudonymKeyMissing:
        return "no guarda el secreto de seudónimos / holds no pseudonym secret"
    except Exception as exc:  # whatever stops the token opening refuses the start
        return f"no se pudo abrir / could not be opened ({type(exc).__name__})"
    return None
