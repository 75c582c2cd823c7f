"""One place for a deployment's keys (issue 18): ``QHUB_KEYS_DIR``.

Instances that each keep keys in their own data folder reject each other's tokens and
give the same person different pseudonyms. With ``QHUB_KEYS_DIR`` set, every instance
reads the same folder (a volume or secret mount, read-only is enough)::

    tokens/           token signing keys (ES256 JWKs) and ``current``   auth.keys
    pseudonym.key     the 32-byte master secret of agencies' pseudonyms services.pseudonyms
                      (unless a PKCS#11 token holds it: services.pseudonym_token)
    claim-keys/       KEKs of sealed claim data, unless a PKCS#11 token holds them
    signing/          the demo document signer, unless PKCS#11 or PKCS#12 is set

``qhub keys init`` makes them once (or copies an existing instance's, so tokens and
pseudonyms stay what they were). An instance never makes keys of its own there: one that
finds a key missing refuses to start (``check``), saying which and how to make it.
Unset, nothing changes: each instance keeps its keys in its data folder, made on first
use (the demo needs no configuration).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hub.settings import Settings

HOW = (
    "Créelas una vez con «qhub keys init» (o cópielas de una instancia con «qhub keys init"
    " --copy-from CARPETA_DE_DATOS») / create them once with `qhub keys init`."
)


class KeyPlaceError(Exception):
    """The shared key directory lacks something every instance needs."""


def _problems(settings: Settings) -> list[str]:
    root = settings.shared_keys_dir
    assert root is not None
    if not root.is_dir():
        return [f"la carpeta no existe / the directory does not exist: {root}"]
    problems = _token_problems(settings)
    if not settings.token_keys_pkcs11_token and not _signing_key_file(settings):
        problems.append(
            "falta la clave de firma de tokens / the token signing key is missing"
            f" ({settings.keys_dir}/current)"
        )
    pseudonym = settings.pseudonym_key_path
    in_a_file = not settings.pseudonym_pkcs11_token  # a token is checked with the others
    if in_a_file and (not pseudonym.is_file() or pseudonym.stat().st_size != 32):
        problems.append(
            "falta el secreto de seudónimos (32 bytes) / the pseudonym secret (32 bytes)"
            f" is missing ({pseudonym})"
        )
    if not settings.claim_kek_pkcs11_token and not any(settings.claim_keys_dir.glob("*.kek")):
        problems.append(
            "faltan las claves de los datos sellados / the sealed-data keys are missing"
            f" ({settings.claim_keys_dir}; o QHUB_CLAIM_KEK_PKCS11_TOKEN)"
        )
    signer = settings.document_signer_dir
    if not (settings.pkcs11_module or settings.signer_pkcs12) and not all(
        (signer / name).is_file() for name in ("signer.key", "signer.pem", "ca.pem")
    ):
        problems.append(
            "falta el firmante de documentos / the document signer is missing"
            f" ({signer}; o QHUB_PKCS11_MODULE / QHUB_SIGNER_PKCS12)"
        )
    return problems


def _signing_key_file(settings: Settings) -> bool:
    pointer = settings.keys_dir / "current"
    kid = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    try:
        jwk = json.loads((settings.keys_dir / f"{kid}.jwk.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(kid) and "d" in jwk


def _token_problems(settings: Settings) -> list[str]:
    """What the configured PKCS#11 tokens lack (the pseudonym secret, the signing keys)."""
    problems = []
    if settings.pseudonym_pkcs11_token:
        from services.pseudonym_token import token_problem

        problem = token_problem(settings)
        if problem is not None:
            problems.append(
                f"el token PKCS#11 «{settings.pseudonym_pkcs11_token}» {problem}"
                " (QHUB_PSEUDONYM_PKCS11_TOKEN)"
            )
    if settings.token_keys_pkcs11_token:
        from auth.keys import KeyError_
        from auth.token_keys import TokenKeyStore

        try:
            TokenKeyStore.from_settings(settings)
        except KeyError_:
            problems.append(
                f"el token PKCS#11 «{settings.token_keys_pkcs11_token}» no guarda clave de"
                " firma / holds no signing key (QHUB_TOKEN_KEYS_PKCS11_TOKEN)"
            )
        except Exception as exc:  # whatever stops the token opening refuses the start
            problems.append(
                f"el token PKCS#11 «{settings.token_keys_pkcs11_token}» no se pudo abrir /"
                f" could not be opened ({type(exc).__name__})"
            )
    return problems


def check(settings: Settings) -> None:
    """``KeyPlaceError`` naming every key missing from the shared places: the key folder
    and the pseudonym secret's PKCS#11 token (nothing to check when neither is set)."""
    if settings.shared_keys_dir is not None:
        problems, place = _problems(settings), f"QHUB_KEYS_DIR={settings.shared_keys_dir}"
    else:
        problems, place = _token_problems(settings), "PKCS#11"
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise KeyPlaceError(
            f"{place}: el hub no arranca sin las claves compartidas / the hub does not"
            f" start without the shared keys:\n{lines}\n{HOW}"
        )


def init(settings: Settings, copy_from: Path | None = None) -> list[str]:
    """Make (or copy from an instance's data folder) what the shared directory lacks;
    what it already holds is kept. Returns what was made."""
    from auth.keys import KeyError_, KeyStore
    from auth.token_keys import TokenKeyStore
    from services.documents.identity import create_demo_identity
    from services.pseudonym_token import install_master
    from services.pseudonyms import Pseudonymizer
    from services.sealing_keys import FileKeyring

    root = settings.shared_keys_dir
    assert root is not None
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    made = []
    if copy_from is not None:
        sources = {
            settings.keys_dir: copy_from / "keys",
            settings.claim_keys_dir: copy_from / "claim-keys",
            settings.document_signer_dir: copy_from / "signing",
        }
        for target, source in sources.items():
            if source.is_dir() and not target.exists():
                ignored = shutil.ignore_patterns("pseudonym.key")
                shutil.copytree(source, target, ignore=ignored)
                made.append(f"{target} (de {source})")
        secret = copy_from / "keys" / "pseudonym.key"
        if secret.is_file() and settings.pseudonym_pkcs11_token:
            if install_master(settings, secret.read_bytes()):
                made.append(f"secreto de seudónimos en el token (de {secret})")
        elif secret.is_file() and not settings.pseudonym_key_path.exists():
            shutil.copy2(secret, settings.pseudonym_key_path)
            made.append(f"{settings.pseudonym_key_path} (de {secret})")
    if settings.token_keys_pkcs11_token:
        # a key made in the token (an instance's key files are not imported: what they
        # signed stops verifying, at most one token lifetime after the switch)
        try:
            TokenKeyStore.from_settings(settings)
        except KeyError_:
            TokenKeyStore.from_settings(settings, create=True)
            made.append(f"clave de firma en el token «{settings.token_keys_pkcs11_token}»")
    elif not (settings.keys_dir / "current").exists():
        KeyStore.open(settings.keys_dir)
        made.append(str(settings.keys_dir))
    if settings.pseudonym_pkcs11_token:
        if install_master(settings):
            made.append(f"secreto de seudónimos en el token «{settings.pseudonym_pkcs11_token}»")
    elif not settings.pseudonym_key_path.exists():
        Pseudonymizer.from_file(settings.pseudonym_key_path)
        made.append(str(settings.pseudonym_key_path))
    if not settings.claim_kek_pkcs11_token and not any(settings.claim_keys_dir.glob("*.kek")):
        FileKeyring(settings.claim_keys_dir)
        made.append(str(settings.claim_keys_dir))
    signer = settings.document_signer_dir
    if (
        not (settings.pkcs11_module or settings.signer_pkcs12)
        and not (signer / "signer.key").exists()
    ):
        create_demo_identity(signer)
        made.append(str(signer))
    return made
