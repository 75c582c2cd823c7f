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

from services.pseudonyms import MASTER_BYTES, Pseudonyms

MASTER_LABEL = "qhub-pseudonym-master"
# Agencies' derived cipher keys kept in memory: one per pseudonymous agency (3 today).
AGENCY_KEYS = 16


class PseudonymKeyMissing(Exception):
    """The token has no pseudonym secret (``qhub keys init`` makes it)."""


def _token_settings(settings: Any) -> tuple[str, str, str]:
    module = (
        settings.pseudonym_pkcs11_module
        or settings.claim_kek_pkcs11_module
        or settings.pkcs11_module
        or ""
    )
    pin = settings.pseudonym_pkcs11_pin or settings.claim_kek_pkcs11_pin or settings.pkcs11_pin
    return module, str(settings.pseudonym_pkcs11_token), pin or ""


# One session per token and process: a PKCS#11 login belongs to the process, so a second
# login fails (UserAlreadyLoggedIn), and closing a logged-in session logs every other out.
_SESSIONS: dict[tuple[str, str], Any] = {}


def _session(module: str, token_label: str, pin: str) -> Any:
    import pkcs11

    session = _SESSIONS.get((module, token_label))
    if session is None:
        token = pkcs11.lib(module).get_token(token_label=token_label)
        try:
            session = token.open(user_pin=pin, rw=True)
        except pkcs11.exceptions.UserAlreadyLoggedIn:  # the claim KEKs' keyring, same token
            session = token.open(rw=True)
        _SESSIONS[(module, token_label)] = session
    return session


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
        return cls(_session(*_token_settings(settings)))

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
    session = _session(*_token_settings(settings))
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
