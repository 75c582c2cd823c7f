"""One PKCS#11 session per token and process, shared by the hub's uses of a token (the
pseudonym secret, the token signing keys): a login belongs to the process, so a second
login fails (UserAlreadyLoggedIn), and closing a logged-in session logs every other out.
Bounded by the tokens configured (one to three)."""

from __future__ import annotations

import threading
from typing import Any

_SESSIONS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def session(module: str, token_label: str, pin: str) -> Any:
    """A read-write session on the token, logged in with ``pin`` (or already logged in by
    another session of this process, such as the claim KEKs' keyring)."""
    import pkcs11

    with _LOCK:
        found = _SESSIONS.get((module, token_label))
        if found is None:
            token = pkcs11.lib(module).get_token(token_label=token_label)
            try:
                found = token.open(user_pin=pin, rw=True)
            except pkcs11.exceptions.UserAlreadyLoggedIn:
                found = token.open(rw=True)
            _SESSIONS[(module, token_label)] = found
        return found


def token_settings(settings: Any, prefix: str) -> tuple[str, str, str]:
    """Module, token label and PIN of ``<prefix>_pkcs11_*``; module and PIN default to
    the claim KEKs', then the document signer's."""
    module = (
        getattr(settings, f"{prefix}_pkcs11_module", None)
        or settings.claim_kek_pkcs11_module
        or settings.pkcs11_module
        or ""
    )
    pin = (
        getattr(settings, f"{prefix}_pkcs11_pin", None)
        or settings.claim_kek_pkcs11_pin
        or settings.pkcs11_pin
    )
    return module, str(getattr(settings, f"{prefix}_pkcs11_token")), pin or ""
