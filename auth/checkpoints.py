"""Checkpoints of the access log: signed notes an auditor keeps outside the database.

A checkpoint says how many entries each chain of the log had and the hash of its last
entry, signed with the hub's signing key (``auth.keys``). Whoever holds an earlier
checkpoint can tell, without trusting the database, that the log was rewritten (even
with every hash recomputed after an edit), truncated, or forked — in any of its chains
(each hub instance appends to chains of its own, ``auth.log_chains``).

The text follows the C2SP signed-note / tlog-checkpoint form::

    qoricancha-hub/access-log          origin
    1234                               entries in all chains
    <base64 Merkle root of the chain lines>
    chain main 1000 <base64 head hash> one line per chain, by name
    chain 9f2c… 234 <base64 head hash>
    time 2026-11-30T02:00:00.000000+00:00

The root is RFC 6962's Merkle tree hash over the chain lines, except that a leaf's hash
is SHA-256 of the line itself (no 0x00 prefix: a line starts with ``chain``, never with
the 0x01 of an interior node, so the two cannot be confused). With one chain the root is
SHA-256 of its line, as in the checkpoints signed before there were several chains, so
those still open. An auditor of one chain needs its line and log2(chains) hashes
(``inclusion_proof``) to tie it to a signed root.

    — qhub-<kid> <base64(4-byte key hash || ECDSA P-256 SHA-256 signature, DER)>

The key hash is the first 4 bytes of SHA-256(name, newline, 0xFF, the public key in
DER): a signed note's key id, with 0xFF as this (non-standard) signature type.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "qoricancha-hub/access-log"
MAIN_CHAIN = "main"
DASH = "\u2014"
KEY_PREFIX = "qhub-"


class CheckpointError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ChainHead:
    chain: str
    count: int
    head: bytes  # the last entry's hash (32 zero bytes for an empty chain)


@dataclass(frozen=True)
class Checkpoint:
    heads: tuple[ChainHead, ...]
    at: datetime
    origin: str = ORIGIN

    @property
    def total(self) -> int:
        return sum(h.count for h in self.heads)

    def head(self, chain: str = MAIN_CHAIN) -> ChainHead | None:
        return next((h for h in self.heads if h.chain == chain), None)

    def lines(self) -> list[str]:
        heads = sorted(self.heads, key=lambda h: h.chain)
        return [f"chain {h.chain} {h.count} {_b64(h.head)}" for h in heads]

    def body(self) -> str:
        lines = self.lines()
        root = merkle_root([line.encode() for line in lines])
        time_line = f"time {self.at.astimezone(UTC).isoformat(timespec='microseconds')}"
        return "\n".join([self.origin, str(self.total), _b64(root), *lines, time_line]) + "\n"


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (RFC 6962, 2.1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def merkle_root(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return hashlib.sha256(leaves[0]).digest()
    k = _split(len(leaves))
    return _node(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


def inclusion_proof(leaves: list[bytes], index: int) -> list[bytes]:
    """The sibling hashes from leaf ``index`` up to the root (RFC 6962, 2.1.1)."""
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*inclusion_proof(leaves[:k], index), merkle_root(leaves[k:])]
    return [*inclusion_proof(leaves[k:], index - k), merkle_root(leaves[:k])]


def root_from_proof(leaf: bytes, index: int, size: int, proof: list[bytes]) -> bytes:
    """The root that leaf ``index`` of ``size`` leaves and its ``proof`` lead to."""
    if size == 1:
        return hashlib.sha256(leaf).digest()
    k = _split(size)
    if index < k:
        return _node(root_from_proof(leaf, index, k, proof[:-1]), proof[-1])
    return _node(proof[-1], root_from_proof(leaf, index - k, size - k, proof[:-1]))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _key_hash(name: str, public: ec.EllipticCurvePublicKey) -> bytes:
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(name.encode() + b"\n\xff" + der).digest()[:4]


def sign_note(checkpoint: Checkpoint, kid: str, private: ec.EllipticCurvePrivateKey) -> str:
    """The checkpoint as a signed note, signed with key ``kid``."""
    body = checkpoint.body()
    name = KEY_PREFIX + kid
    signature = private.sign(body.encode(), ec.ECDSA(hashes.SHA256()))
    blob = _key_hash(name, private.public_key()) + signature
    return f"{body}\n{DASH} {name} {_b64(blob)}\n"


def _invalid(message: str) -> CheckpointError:
    return CheckpointError("CHECKPOINT_MALFORMED", message)


def parse_body(body: str) -> Checkpoint:
    lines = body.rstrip("\n").split("\n")
    if len(lines) < 4 or lines[0] != ORIGIN:
        raise _invalid("No es un punto de control del registro de accesos de este hub.")
    heads: list[ChainHead] = []
    at: datetime | None = None
    for line in lines[3:]:
        word, _, rest = line.partition(" ")
        if word == "chain":
            chain, count, head = rest.split(" ")
            heads.append(ChainHead(chain, int(count), base64.b64decode(head)))
        elif word == "time":
            at = datetime.fromisoformat(rest)
    if at is None or not heads:
        raise _invalid("Al punto de control le faltan sus cadenas o su hora.")
    checkpoint = Checkpoint(tuple(heads), at)
    if checkpoint.body() != body:
        raise _invalid("El punto de control no está en forma canónica.")
    return checkpoint


def open_note(note: str, public_keys: Mapping[str, ec.EllipticCurvePublicKey]) -> Checkpoint:
    """The checkpoint of a signed note whose signature verifies with one of the hub's keys
    (by kid); ``CheckpointError`` (CHECKPOINT_MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE)."""
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise _invalid("Falta la línea en blanco antes de las firmas.")
    body += "\n"
    checkpoint = parse_body(body)
    names = []
    for line in signatures.strip("\n").split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise _invalid("Línea de firma con formato desconocido.")
        name, blob = parts[1], base64.b64decode(parts[2])
        names.append(name)
        public = public_keys.get(name.removeprefix(KEY_PREFIX))
        if public is None or blob[:4] != _key_hash(name, public):
            continue
        try:
            public.verify(blob[4:], body.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise CheckpointError(
                "BAD_SIGNATURE", "La firma del punto de control no es válida."
            ) from exc
        return checkpoint
    raise CheckpointError(
        "UNKNOWN_KEY", f"Ninguna clave conocida firmó el punto de control ({', '.join(names)})."
    )
