"""Claim data sealed at rest: envelope encryption with AES-256-GCM (``cryptography``).

Each case has one random data key; the database holds it only wrapped by a key-encryption
key (KEK) kept outside the database (``services.sealing_keys``: a PKCS#11 token or key
files). Each claim value is sealed under its case's data key with associated data naming
the case and the field, so a ciphertext moved to another case or another field does not
open (``SEALED_VALUE_MISMATCH``).

A sealed value is ``b"\\x01" + nonce (12 bytes) + ciphertext and tag``. Values written
before sealing existed are ``b"\\x00" + UTF-8 text`` (migration 0010); they read as they
are until ``qhub keys rotate-claims`` seals them.

Services seal when they write and open only when a caller asks for the text (the GraphQL
layer checks the policy and logs the read before it calls the read helpers in
``services.casework.claim_records``). Search and statistics never open anything.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import AsyncConnection

from services.sealing_keys import Keyring, SealingError, keyring_from_settings

SEALED = b"\x01"
LEGACY = b"\x00"
NONCE_BYTES = 12

_keyring: Keyring | None = None
# Unwrapped data keys, keyed by what the database row says (a rewrap is a new entry).
# Bounded, and short-lived: a KEK retired in another process stops working here too.
_data_keys: TTLCache[tuple[int, str, bytes], AESGCM] = TTLCache(maxsize=4096, ttl=300)
_lock = threading.Lock()


def configure(keyring: Keyring | None) -> Keyring | None:
    """Use ``keyring`` from now on (None: from the settings on next use); return the old."""
    global _keyring
    previous, _keyring = _keyring, keyring
    forget_data_keys()
    return previous


def keyring() -> Keyring:
    """The configured keyring, or the one the settings name (key files by default)."""
    global _keyring
    if _keyring is None:
        from hub.settings import get_settings

        _keyring = keyring_from_settings(get_settings())
    return _keyring


def forget_data_keys() -> None:
    with _lock:
        _data_keys.clear()


def field_context(case_id: int, field: str) -> bytes:
    """Associated data of a sealed value: opens only as ``field`` of case ``case_id``."""
    return f"qhub/claim/v1|case:{case_id}|field:{field}".encode()


@dataclass(frozen=True)
class CaseKey:
    """A case's data key, unwrapped: seals and opens that case's claim values."""

    case_id: int
    aead: AESGCM

    def seal(self, plaintext: str, field: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        body = self.aead.encrypt(nonce, plaintext.encode(), field_context(self.case_id, field))
        return SEALED + nonce + body

    def open(self, blob: bytes | memoryview, field: str) -> str:
        data = bytes(blob)
        if data[:1] == LEGACY:
            return data[1:].decode()
        if data[:1] != SEALED:
            raise SealingError("SEALED_VALUE_INVALID", "Valor sellado con un formato desconocido.")
        try:
            plain = self.aead.decrypt(
                data[1 : 1 + NONCE_BYTES],
                data[1 + NONCE_BYTES :],
                field_context(self.case_id, field),
            )
        except InvalidTag as exc:
            raise SealingError(
                "SEALED_VALUE_MISMATCH",
                f"El valor sellado de «{field}» no pertenece al expediente {self.case_id}"
                " (alterado o copiado de otro registro).",
            ) from exc
        return plain.decode()


def _unwrapped(case_id: int, kek_id: str, wrapped: bytes) -> CaseKey:
    cache_key = (case_id, kek_id, wrapped)
    with _lock:
        aead = _data_keys.get(cache_key)
    if aead is None:
        aead = AESGCM(keyring().unwrap(kek_id, wrapped, case_id))
        with _lock:
            _data_keys[cache_key] = aead
    return CaseKey(case_id, aead)


def key_from_row(case_id: int, kek_id: str, wrapped: bytes | memoryview) -> CaseKey:
    """The case key from a ``claim_data_key`` row a caller already fetched."""
    return _unwrapped(case_id, kek_id, bytes(wrapped))


async def case_key(conn: AsyncConnection[Any], case_id: int) -> CaseKey | None:
    """The case's data key, or None when nothing of the case was ever sealed."""
    row = await (
        await conn.execute(
            "SELECT kek_id, wrapped FROM claim_data_key WHERE case_id = %s", (case_id,)
        )
    ).fetchone()
    if row is None:
        return None
    kek_id, wrapped = row
    return key_from_row(case_id, kek_id, wrapped)


async def case_key_for_writing(conn: AsyncConnection[Any], case_id: int) -> CaseKey:
    """The case's data key, made (and wrapped under the current KEK) on first use."""
    existing = await case_key(conn, case_id)
    if existing is not None:
        return existing
    ring = keyring()
    kek_id = ring.current()
    data_key = AESGCM.generate_key(bit_length=256)
    inserted = await (
        await conn.execute(
            "INSERT INTO claim_data_key (case_id, kek_id, wrapped) VALUES (%s, %s, %s)"
            " ON CONFLICT (case_id) DO NOTHING RETURNING case_id",
            (case_id, kek_id, ring.wrap(kek_id, data_key, case_id)),
        )
    ).fetchone()
    if inserted is None:  # another writer made it first
        made = await case_key(conn, case_id)
        assert made is not None
        return made
    return CaseKey(case_id, AESGCM(data_key))


async def seal(conn: AsyncConnection[Any], plaintext: str, *, case_id: int, field: str) -> bytes:
    """``plaintext`` sealed as ``field`` of the case (its data key made if needed)."""
    return (await case_key_for_writing(conn, case_id)).seal(plaintext, field)


def open_value(key: CaseKey | None, blob: bytes | memoryview, field: str) -> str:
    """The text of a sealed ``field`` with its case's key (None: the case has none, so
    only a value written before sealing existed can be read)."""
    if key is not None:
        return key.open(blob, field)
    data = bytes(blob)
    if data[:1] == LEGACY:
        return data[1:].decode()
    raise SealingError("DATA_KEY_MISSING", "El expediente no tiene clave de datos.")


async def open_sealed(
    conn: AsyncConnection[Any], blob: bytes | memoryview, *, case_id: int, field: str
) -> str:
    """The text of a sealed ``field`` of the case; ``SealingError`` if it does not open."""
    return open_value(await case_key(conn, case_id), blob, field)
