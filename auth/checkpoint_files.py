"""Publishing checkpoints (files an auditor copies, the ``/audit/checkpoints`` endpoint) and
reading them back for ``qhub audit verify --checkpoints``.

Each checkpoint is ``<data dir>/checkpoints/<time>.checkpoint`` (the signed note) and,
when a timestamp authority is configured (``QHUB_TSA_URL``, the one the permits use), an
RFC 3161 timestamp token over the note's SHA-256 in ``<time>.tst``. ``keys.json`` beside
them is the hub's public key set, so a copy of the folder verifies on its own.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey
from psycopg import AsyncConnection

from auth.checkpoint_audit import Finding, chain_heads, compare
from auth.checkpoints import (
    ChainHead,
    Checkpoint,
    CheckpointError,
    open_note,
    parse_body,
    sign_note,
)
from auth.keys import KeyStore
from auth.log_verify import verify_chain

SUFFIX = ".checkpoint"


@dataclass(frozen=True)
class Published:
    name: str
    note: str
    timestamp_token: bytes | None  # DER CMS ContentInfo (TimeStampToken), if any

    def as_json(self) -> dict[str, Any]:
        token = self.timestamp_token
        return {
            "name": self.name,
            "note": self.note,
            "timestampToken": base64.b64encode(token).decode() if token else None,
        }


async def timestamp(note: str, tsa_url: str) -> bytes:
    """An RFC 3161 timestamp token over SHA-256(note) from the TSA (pyHanko's client)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    digest = hashlib.sha256(note.encode()).digest()
    token = await HTTPTimeStamper(tsa_url).async_timestamp(digest, "sha256")
    return bytes(token.dump())


def timestamp_time(note: str, token: bytes) -> datetime:
    """The time the TSA attests for ``note``; ``CheckpointError`` if the token is for
    something else. (The TSA's signature chain is checked by whoever trusts that TSA.)"""
    from asn1crypto import cms

    info = cms.ContentInfo.load(token)["content"]["encap_content_info"]["content"].parsed
    imprint = info["message_imprint"]["hashed_message"].native
    if imprint != hashlib.sha256(note.encode()).digest():
        raise CheckpointError("TIMESTAMP_MISMATCH", "El sello de tiempo es de otro documento.")
    return info["gen_time"].native  # type: ignore[no-any-return]


async def publish(
    conn: AsyncConnection[Any], store: KeyStore, directory: Path, tsa_url: str | None = None
) -> Published:
    """Sign a checkpoint of the log as it is now, timestamp it, write it to ``directory``."""
    checkpoint = Checkpoint(await chain_heads(conn), datetime.now(UTC))
    await _extends_the_last(conn, directory)
    store.refresh()
    kid = store.current_kid
    private = store.keys[kid].private_key
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    note = sign_note(checkpoint, kid, private)
    token = await timestamp(note, tsa_url) if tsa_url else None
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time_ns() // 1000
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000)) + f"{now % 10**6:06d}Z"
    if token is not None:
        (directory / f"{name}.tst").write_bytes(token)
    (directory / "keys.json").write_text(json.dumps(store.public_jwks()), encoding="utf-8")
    (directory / f"{name}{SUFFIX}").write_text(note, encoding="utf-8")
    return Published(name, note, token)


async def _extends_the_last(conn: AsyncConnection[Any], directory: Path) -> None:
    """Refuse to sign a log that does not extend the last checkpoint published here (the
    hub never certifies a rewritten history), or, for the first one, a broken chain."""
    last = published(directory, limit=1)
    findings: list[Finding] = []
    async with conn.transaction():  # the walks use server-side cursors
        if not last:
            report = await verify_chain(conn)
        else:
            certified = parse_body(last[0].note.partition("\n\n")[0] + "\n")
            findings = (await compare(conn, [(last[0].name, certified)]))[1]
            report = await verify_chain(conn, {h.chain: (h.count, h.head) for h in certified.heads})
    if findings or not report.intact:
        why = findings[0].message if findings else f"entrada {report.first_bad_id}: {report.reason}"
        raise CheckpointError(
            "CHAIN_CONTRADICTS_CHECKPOINT",
            f"No se firma un punto de control de un registro alterado ({why}).",
        )


def published(directory: Path, limit: int | None = None) -> list[Published]:
    """The checkpoints in ``directory``, oldest first (the last ``limit`` only, if given)."""
    paths = sorted(directory.glob(f"*{SUFFIX}")) if directory.exists() else []
    if limit is not None:
        paths = paths[-limit:]
    out = []
    for path in paths:
        tst = path.with_suffix(".tst")
        out.append(
            Published(
                path.stem,
                path.read_text(encoding="utf-8"),
                tst.read_bytes() if tst.exists() else None,
            )
        )
    return out


def latest_heads(directory: Path) -> tuple[ChainHead, ...] | None:
    """What the newest checkpoint certified (to skip signing when nothing changed)."""
    last = published(directory, limit=1)
    return parse_body(last[0].note.partition("\n\n")[0] + "\n").heads if last else None


def public_keys(jwks: Mapping[str, Any]) -> dict[str, ec.EllipticCurvePublicKey]:
    keys: dict[str, ec.EllipticCurvePublicKey] = {}
    for data in jwks.get("keys", []):
        public = ECKey.import_key(data).public_key
        if isinstance(public, ec.EllipticCurvePublicKey):
            keys[str(data["kid"])] = public
    return keys


def load(source: str, store: KeyStore | None = None) -> tuple[list[Published], dict[str, Any]]:
    """Checkpoints and the public key set from a folder (an auditor's copy, with its
    ``keys.json``) or from a hub's ``/audit/checkpoints`` URL (keys from its JWKS)."""
    jwks: dict[str, Any] = {"keys": []}
    if source.startswith(("http://", "https://")):
        import httpx

        answer = httpx.get(source, timeout=30).json()
        items = answer.get("checkpoints", [answer])
        found = [
            Published(
                i["name"],
                i["note"],
                base64.b64decode(i["timestampToken"]) if i.get("timestampToken") else None,
            )
            for i in items
        ]
        base = source.split("/audit/")[0]
        jwks = httpx.get(f"{base}/.well-known/jwks.json", timeout=30).json()
    else:
        directory = Path(source)
        found = published(directory)
        if (directory / "keys.json").exists():
            jwks = json.loads((directory / "keys.json").read_text(encoding="utf-8"))
    if store is not None:
        jwks = {"keys": [*jwks.get("keys", []), *store.public_jwks()["keys"]]}
    return found, jwks


def opened(
    items: list[Published], jwks: Mapping[str, Any]
) -> tuple[list[tuple[str, Checkpoint]], list[Finding]]:
    """The checkpoints whose signature (and timestamp, if any) verify, and findings for
    those that do not (they are not used as evidence)."""
    keys = public_keys(jwks)
    good: list[tuple[str, Checkpoint]] = []
    bad: list[Finding] = []
    for item in items:
        try:
            checkpoint = open_note(item.note, keys)
            if item.timestamp_token is not None:
                timestamp_time(item.note, item.timestamp_token)
        except CheckpointError as exc:
            bad.append(Finding(exc.code, item.name, exc.message))
            continue
        good.append((item.name, checkpoint))
    return good, bad


def _digest(data: bytes, algorithm: str) -> bytes:
    return hashlib.new(algorithm, data).digest()


async def untrusted_timestamps(
    items: list[Published], tsa_roots: list[asn1_x509.Certificate]
) -> list[Finding]:
    """Findings for checkpoints whose RFC 3161 token is missing, not over the note, or not
    signed by a TSA chaining to ``tsa_roots`` (pyHanko's validation of the token)."""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko_certvalidator import ValidationContext

    findings = []
    for item in items:
        if item.timestamp_token is None:
            findings.append(
                Finding("NO_TIMESTAMP", item.name, "El punto de control no tiene sello de tiempo.")
            )
            continue
        note = item.note.encode()
        status = await validate_tst_signed_data(
            cms.ContentInfo.load(item.timestamp_token)["content"],
            ValidationContext(trust_roots=tsa_roots, allow_fetching=False),
            functools.partial(_digest, note),
        )
        if not (status["intact"] and status["valid"] and status["trust_problem_indic"] is None):
            findings.append(
                Finding(
                    "TIMESTAMP_UNTRUSTED",
                    item.name,
                    "El sello de tiempo no es de una autoridad de confianza o no corresponde"
                    " al punto de control.",
                )
            )
    return findings
