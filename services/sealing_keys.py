"""Key-encryption keys (KEKs) for sealed claim data, held outside the database.

A KEK wraps (AES-256-GCM, the case id as associated data) each case's data key; the
wrapped data key is what the database holds. Two places keep KEKs:

- ``FileKeyring``: one 32-byte file per KEK under ``<data dir>/claim-keys`` (mode 0600);
  for development, the demo and the tests.
- ``Pkcs11Keyring``: AES keys generated inside a PKCS#11 token (an HSM; SoftHSM2 in tests),
  never extractable: the token wraps and unwraps, the key never reaches the host.

KEK ids sort by creation time; the newest is the current one (what new data keys are
wrapped under). Older KEKs still unwrap until they are retired; retiring destroys the
KEK, so anything still wrapped under it — old backups included — can no longer be read.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEK_PREFIX = "qhub-claim-kek-"
NONCE_BYTES = 12


class SealingError(Exception):
    """A sealed value or data key that cannot be opened; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def wrap_context(case_id: int) -> bytes:
    """Associated data of a wrapped data key: it opens only as the key of this case."""
    return f"qhub/claim-data-key/v1|case:{case_id}".encode()


def new_kek_id() -> str:
    """Sorts by creation time (to the microsecond), then a random tail."""
    now = time.time_ns() // 1000
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000))
    return f"{stamp}{now % 1_000_000:06d}Z-{secrets.token_hex(3)}"


class Keyring(Protocol):
    """Where the KEKs are: wrap under the current one, unwrap under any not retired."""

    def current(self) -> str: ...

    def ids(self) -> list[str]: ...

    def wrap(self, kek_id: str, data_key: bytes, case_id: int) -> bytes: ...

    def unwrap(self, kek_id: str, wrapped: bytes, case_id: int) -> bytes: ...

    def create(self) -> str: ...

    def retire(self, kek_id: str) -> None: ...


def _unknown(kek_id: str) -> SealingError:
    return SealingError(
        "KEK_UNAVAILABLE",
        f"La clave maestra «{kek_id}» no está disponible (retirada o de otra instalación).",
    )


def _bad_wrap() -> SealingError:
    return SealingError(
        "DATA_KEY_INVALID", "La clave de datos del expediente no corresponde a este expediente."
    )


class FileKeyring:
    """KEKs as files (development and demo)."""

    def __init__(self, directory: Path, create: bool = True) -> None:
        """``create``: make the folder and a first KEK when there is none (one instance,
        its own data folder); without it a missing KEK is an error (a shared key
        directory, ``hub.shared_keys``: an instance never makes keys of its own there)."""
        self.directory = directory
        if not create:
            if not self.ids():
                raise SealingError(
                    "KEK_UNAVAILABLE", f"No hay ninguna clave maestra en {directory}."
                )
            return
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.ids():
            self.create()

    def _path(self, kek_id: str) -> Path:
        return self.directory / f"{kek_id}.kek"

    def ids(self) -> list[str]:
        return sorted(p.name.removesuffix(".kek") for p in self.directory.glob("*.kek"))

    def current(self) -> str:
        ids = self.ids()
        if not ids:
            raise SealingError("KEK_UNAVAILABLE", "No hay ninguna clave maestra activa.")
        return ids[-1]

    def _key(self, kek_id: str) -> AESGCM:
        try:
            return AESGCM(self._path(kek_id).read_bytes())
        except (OSError, ValueError) as exc:
            raise _unknown(kek_id) from exc

    def wrap(self, kek_id: str, data_key: bytes, case_id: int) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._key(kek_id).encrypt(nonce, data_key, wrap_context(case_id))

    def unwrap(self, kek_id: str, wrapped: bytes, case_id: int) -> bytes:
        key = self._key(kek_id)
        try:
            return key.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], wrap_context(case_id))
        except InvalidTag as exc:
            raise _bad_wrap() from exc

    def create(self) -> str:
        kek_id = new_kek_id()
        fd = os.open(self._path(kek_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(AESGCM.generate_key(bit_length=256))
        return kek_id

    def retire(self, kek_id: str) -> None:
        path = self._path(kek_id)
        if not path.exists():
            raise _unknown(kek_id)
        # overwrite before unlinking: the file system may keep the blocks otherwise
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()


class Pkcs11Keyring:
    """KEKs as non-extractable AES keys in a PKCS#11 token; the token does the wrapping."""

    def __init__(self, module: str, token_label: str, pin: str) -> None:
        import pkcs11

        self._pkcs11 = pkcs11
        token = pkcs11.lib(module).get_token(token_label=token_label)
        try:
            self._session: Any = token.open(user_pin=pin, rw=True)
        except pkcs11.exceptions.UserAlreadyLoggedIn:  # the pseudonym secret, same token
            self._session = token.open(rw=True)
        self._lock = threading.Lock()
        if not self.ids():
            self.create()

    def ids(self) -> list[str]:
        p = self._pkcs11
        with self._lock:
            labels = [
                str(obj[p.Attribute.LABEL])
                for obj in self._session.get_objects(
                    {
                        p.Attribute.CLASS: p.ObjectClass.SECRET_KEY,
                        p.Attribute.KEY_TYPE: p.KeyType.AES,
                    }
                )
            ]
        return sorted(
            label.removeprefix(KEK_PREFIX) for label in labels if label.startswith(KEK_PREFIX)
        )

    def current(self) -> str:
        ids = self.ids()
        if not ids:
            raise SealingError("KEK_UNAVAILABLE", "No hay ninguna clave maestra activa.")
        return ids[-1]

    def _key(self, kek_id: str) -> Any:
        p = self._pkcs11
        try:
            return self._session.get_key(
                object_class=p.ObjectClass.SECRET_KEY,
                key_type=p.KeyType.AES,
                label=KEK_PREFIX + kek_id,
            )
        except (p.exceptions.NoSuchKey, p.exceptions.MultipleObjectsReturned) as exc:
            raise _unknown(kek_id) from exc

    def _gcm(self, nonce: bytes, case_id: int) -> Any:
        return self._pkcs11.mechanisms.GCMParams(nonce, wrap_context(case_id), 128)

    def wrap(self, kek_id: str, data_key: bytes, case_id: int) -> bytes:
        p = self._pkcs11
        nonce = os.urandom(NONCE_BYTES)
        with self._lock:
            sealed = self._key(kek_id).encrypt(
                data_key, mechanism=p.Mechanism.AES_GCM, mechanism_param=self._gcm(nonce, case_id)
            )
        return nonce + bytes(sealed)

    def unwrap(self, kek_id: str, wrapped: bytes, case_id: int) -> bytes:
        p = self._pkcs11
        with self._lock:
            key = self._key(kek_id)
            try:
                return bytes(
                    key.decrypt(
                        wrapped[NONCE_BYTES:],
                        mechanism=p.Mechanism.AES_GCM,
                        mechanism_param=self._gcm(wrapped[:NONCE_BYTES], case_id),
                    )
                )
            except p.exceptions.PKCS11Error as exc:
                raise _bad_wrap() from exc

    def create(self) -> str:
        p = self._pkcs11
        kek_id = new_kek_id()
        with self._lock:
            self._session.generate_key(
                p.KeyType.AES,
                256,
                label=KEK_PREFIX + kek_id,
                store=True,
                template={
                    p.Attribute.SENSITIVE: True,
                    p.Attribute.EXTRACTABLE: False,
                    p.Attribute.ENCRYPT: True,
                    p.Attribute.DECRYPT: True,
                },
            )
        return kek_id

    def retire(self, kek_id: str) -> None:
        with self._lock:
            self._key(kek_id).destroy()


def keyring_from_settings(settings: Any) -> Keyring:
    """The PKCS#11 token when ``claim_kek_pkcs11_token`` is set, else the key files."""
    token = getattr(settings, "claim_kek_pkcs11_token", None)
    if token:
        return Pkcs11Keyring(
            settings.claim_kek_pkcs11_module or settings.pkcs11_module or "",
            token,
            settings.claim_kek_pkcs11_pin or settings.pkcs11_pin or "",
        )
    return FileKeyring(
        Path(settings.claim_keys_dir), create=getattr(settings, "shared_keys_dir", None) is None
    )
