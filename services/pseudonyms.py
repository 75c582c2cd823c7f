"""Per-agency pseudonymous person identifiers.

Each agency sees, for a person, an identifier that is stable for that agency and that
cannot be linked to the identifier another agency sees; only the hub (the commission)
can turn it back into the person. The identifier is the person's id encrypted with a
key of that agency (AES on one block: a keyed permutation, so deterministic and
reversible only with the key), with 8 check bytes that reject made-up identifiers.
"""

from __future__ import annotations

import base64
import hmac
import os
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PREFIX = "p_"
MASTER_BYTES = 32


class Pseudonyms:
    """The identifiers, from a keyed MAC of the master secret (``_mac``): where the secret
    lives is the subclass's business (a file: ``Pseudonymizer``; a PKCS#11 token:
    ``services.pseudonym_token``). The same secret gives the same identifiers in both."""

    def _mac(self, message: bytes) -> bytes:
        raise NotImplementedError

    def _agency_key(self, agency: str) -> bytes:
        return self._mac(b"pseudonym:" + agency.encode())

    def _cipher(self, agency: str) -> Cipher[modes.ECB]:
        return Cipher(algorithms.AES(self._agency_key(agency)), modes.ECB())

    def _check(self, agency: str, person_id: int) -> bytes:
        return self._mac(f"check:{agency}:{person_id}".encode())[:8]

    def pseudonym(self, agency: str, person_id: int) -> str:
        """The identifier ``agency`` sees for ``person_id``."""
        block = person_id.to_bytes(8, "big") + self._check(agency, person_id)
        encryptor = self._cipher(agency).encryptor()
        sealed = encryptor.update(block) + encryptor.finalize()
        return PREFIX + base64.b32encode(sealed).decode().rstrip("=").lower()

    def person_id(self, agency: str, pseudonym: str) -> int | None:
        """The person behind an agency's identifier, or None if it is not one of its own."""
        if not pseudonym.startswith(PREFIX):
            return None
        try:
            raw = base64.b32decode(pseudonym[len(PREFIX) :].upper() + "======")
        except ValueError:
            return None
        if len(raw) != 16:
            return None
        decryptor = self._cipher(agency).decryptor()
        block = decryptor.update(raw) + decryptor.finalize()
        person_id = int.from_bytes(block[:8], "big")
        if not hmac.compare_digest(block[8:], self._check(agency, person_id)):
            return None
        return person_id


@dataclass(frozen=True)
class Pseudonymizer(Pseudonyms):
    """The master secret as bytes (a file of the data folder or of the shared key folder)."""

    master: bytes

    @classmethod
    def from_file(cls, path: Path, create: bool = True) -> Pseudonymizer:
        """The hub's master secret, created (0600) on first use when ``create`` (one
        instance, its own data folder; never in a shared key directory, where every
        instance must read the same secret)."""
        if create and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(MASTER_BYTES))
        master = path.read_bytes()
        if len(master) != MASTER_BYTES:
            raise ValueError(f"{path}: el secreto debe tener {MASTER_BYTES} bytes.")
        return cls(master)

    def _mac(self, message: bytes) -> bytes:
        return hmac.new(self.master, message, sha256).digest()


def pseudonyms_from_settings(settings: Any) -> Pseudonyms:
    """The PKCS#11 token's secret when ``pseudonym_pkcs11_token`` is set, else the file
    (made on first use only in an instance's own data folder)."""
    if getattr(settings, "pseudonym_pkcs11_token", None):
        from services.pseudonym_token import TokenPseudonyms

        return TokenPseudonyms.from_settings(settings)
    return Pseudonymizer.from_file(
        Path(settings.pseudonym_key_path),
        create=getattr(settings, "shared_keys_dir", None) is None,
    )
