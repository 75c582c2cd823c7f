"""Run in its own process by tests/hub/test_shared_keys.py (the PKCS#11 library reads
SoftHSM2's configuration once per process): ``python -m tests.hub.signing_key_probe``
with the hub's settings in the environment (QHUB_TOKEN_KEYS_PKCS11_*); prints, as JSON,
what signing with the token's key gave: a token verified against the published keys, a
checkpoint note opened with them, and whether the private key can be read out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pkcs11

from auth.checkpoints import ChainHead, Checkpoint, open_note, sign_note
from auth.keys import KeyStore, verify_with_jwks
from auth.token_keys import KEY_PREFIX, TokenKeyStore
from hub.settings import load_settings
from services import pkcs11_sessions


def main() -> dict[str, object]:
    store = KeyStore.load(load_settings())
    assert isinstance(store, TokenKeyStore)
    kid = store.current_kid
    jwks = store.public_jwks()
    seen: dict[str, object] = {
        "kid": kid,
        "claims": verify_with_jwks(store.sign_jws({"sub": "probe"}), jwks),
        "own": store.verify_jws(store.sign_jws({"sub": "again"})),
    }
    # the access-log checkpoints sign with the hub's key as cryptography's private key
    private = store.keys[kid].private_key
    assert private is not None
    checkpoint = Checkpoint((ChainHead("main", 1, b"\x00" * 32),), datetime.now(UTC))
    opened = open_note(sign_note(checkpoint, kid, private), {kid: private.public_key()})
    seen["checkpoint_chains"] = [head.chain for head in opened.heads]
    settings = load_settings()
    session = pkcs11_sessions.session(*pkcs11_sessions.token_settings(settings, "token_keys"))
    key = session.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=KEY_PREFIX + kid)
    try:
        seen["value_read"] = bool(key[pkcs11.Attribute.VALUE])
    except pkcs11.exceptions.PKCS11Error:
        seen["value_read"] = False
    seen["extractable"] = bool(key[pkcs11.Attribute.EXTRACTABLE])
    return seen


if __name__ == "__main__":
    print(json.dumps(main()))
