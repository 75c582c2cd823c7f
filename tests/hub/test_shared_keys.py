"""Issue 18: the keys of a deployment come from one place (QHUB_KEYS_DIR). Two `qhub serve`
processes with different data folders and the same key directory accept each other's
tokens and give the same person the same pseudonym; a key directory that lacks a key is
refused at start, and no instance makes keys of its own there."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.keys import KeyStore
from auth.oauth import hash_secret
from hub import shared_keys
from hub.readpool import libpq_url
from hub.settings import load_settings
from services.pseudonyms import Pseudonymizer
from tests.factories import make_cases
from tests.hub.test_db_faults import qhub_serve
from tests.hub.test_serve_workers import _wait_ready

ROOT = Path(__file__).resolve().parents[2]
SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PINS = ("--so-pin", "9999", "--pin", "1234")
SECRET = "secreto-de-prueba"
STATUS = """query($d: DocumentInput!) { protectionStatus(document: $d) {
  found protected person { id } } }"""


def keys_init(keys: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "keys", "init", *args],
        env={**env, "QHUB_KEYS_DIR": str(keys)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def two_instances(database_url: str, tmp_path_factory: Any) -> Iterator[tuple[str, str, Path]]:
    base = tmp_path_factory.mktemp("shared-keys")
    keys = base / "keys"
    made = keys_init(keys)
    assert made.returncode == 0, made.stdout + made.stderr
    common = {"QHUB_DATABASE_URL": libpq_url(database_url), "QHUB_KEYS_DIR": str(keys)}
    a = qhub_serve({**common, "QHUB_DATA_DIR": str(base / "a")}, output=True)
    b = qhub_serve({**common, "QHUB_DATA_DIR": str(base / "b")}, output=True)
    try:
        for proc, url in (a, b):
            _wait_ready(url, proc)
        yield a[1], b[1], base
    finally:
        stop(a[0])
        stop(b[0])


async def _client(engine: AsyncEngine) -> str:
    client_id = f"migraciones-{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes)"
                " VALUES (:c, :h, 'migraciones', '{migraciones}', '{deportation-protection}')"
            ),
            {"c": client_id, "h": hash_secret(SECRET)},
        )
    return client_id


def _token(url: str, client_id: str) -> str:
    response = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, SECRET),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]  # type: ignore[no-any-return]


def _status(url: str, token: str, number: str) -> httpx.Response:
    document = {"type": "NATIONAL_ID", "number": number, "issuingCountry": "VE"}
    return httpx.post(
        f"{url}/graphql",
        json={"query": STATUS, "variables": {"d": document}},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "deportation-protection"},
        timeout=30,
    )


async def test_two_instances_accept_each_others_tokens_and_agree_on_pseudonyms(
    two_instances: tuple[str, str, Path], engine: AsyncEngine
) -> None:
    a, b, base = two_instances
    # Given a person with a pending claim, and an agency's client
    case = (await make_cases(engine, 1, status="under_review", nationality="VE"))[0]
    async with engine.connect() as conn:
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": case.person_ids[0]},
            )
        ).scalar_one()
    client_id = await _client(engine)
    # When the agency gets a token from instance A and one from instance B, and looks the
    # person up with each token on the other instance
    from_a, from_b = _token(a, client_id), _token(b, client_id)
    on_b, on_a = _status(b, from_a, number), _status(a, from_b, number)
    # Then both answer (each accepts the other's token)
    assert on_b.status_code == on_a.status_code == 200, (on_b.text, on_a.text)
    person_b = on_b.json()["data"]["protectionStatus"]["person"]["id"]
    person_a = on_a.json()["data"]["protectionStatus"]["person"]["id"]
    # and name the person by the same pseudonym, the one the shared secret gives
    secret = Pseudonymizer((base / "keys" / "pseudonym.key").read_bytes())
    assert person_a == person_b == secret.pseudonym("migraciones", case.person_ids[0])
    # and both publish the same keys
    assert httpx.get(f"{a}/.well-known/jwks.json").json() == (
        httpx.get(f"{b}/.well-known/jwks.json").json()
    )
    # while neither instance made keys of its own in its data folder
    for name in ("a", "b"):
        assert not (base / name / "keys").exists()
        assert not (base / name / "claim-keys").exists()
        assert not (base / name / "signing").exists()


def _refused(keys: Path, database_url: str, tmp_path: Path) -> str:
    proc, _ = qhub_serve(
        {
            "QHUB_DATABASE_URL": libpq_url(database_url),
            "QHUB_DATA_DIR": str(tmp_path / "data"),
            "QHUB_KEYS_DIR": str(keys),
        },
        output=True,
    )
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2, out
    return out


def test_an_empty_key_directory_is_refused_and_left_empty(
    database_url: str, tmp_path: Path
) -> None:
    # Given a configured key directory that holds nothing
    keys = tmp_path / "keys"
    keys.mkdir()
    # When an instance starts on it
    out = _refused(keys, database_url, tmp_path)
    # Then it refuses, naming every missing key in Spanish and English, and how to make them
    assert f"QHUB_KEYS_DIR={keys}: el hub no arranca sin las claves compartidas" in out
    assert "the hub does not start without the shared keys" in out
    for missing in (
        f"falta la clave de firma de tokens / the token signing key is missing ({keys}/tokens",
        f"the pseudonym secret (32 bytes) is missing ({keys}/pseudonym.key)",
        f"the sealed-data keys are missing ({keys}/claim-keys",
        f"the document signer is missing ({keys}/signing",
        "qhub keys init",
    ):
        assert missing in out, out
    # and it made no key of its own, there or in its data folder
    assert list(keys.iterdir()) == []
    assert not (tmp_path / "data" / "keys").exists()


def test_a_key_directory_missing_one_key_is_refused(database_url: str, tmp_path: Path) -> None:
    # Given a shared directory made by `qhub keys init`, whose pseudonym secret was then
    # replaced by a truncated copy, and a directory that does not exist
    keys = tmp_path / "keys"
    assert keys_init(keys).returncode == 0
    (keys / "pseudonym.key").write_bytes(b"\x00" * 16)
    # When instances start on them
    out = _refused(keys, database_url, tmp_path)
    absent = _refused(tmp_path / "nowhere", database_url, tmp_path)
    # Then each is refused for what it lacks, and only that
    assert "el secreto de seudónimos (32 bytes)" in out
    assert "firma de tokens" not in out and "firmante" not in out
    assert f"la carpeta no existe / the directory does not exist: {tmp_path / 'nowhere'}" in (
        absent
    )
    assert not (tmp_path / "nowhere").exists()


def test_keys_init_keeps_an_instances_keys(tmp_path: Path) -> None:
    # Given an instance that ran alone on its data folder (keys made on first use)
    data = tmp_path / "data"
    alone = dataclasses.replace(load_settings(), data_dir=data, shared_keys_dir=None)
    store = KeyStore.load(alone)
    pseudonyms = Pseudonymizer.from_file(alone.pseudonym_key_path)
    # When its keys are made the deployment's shared keys
    shared = dataclasses.replace(alone, shared_keys_dir=tmp_path / "deployment-keys")
    shared_keys.init(shared, copy_from=data)
    shared_keys.check(shared)
    # Then tokens it signed stay valid and people keep their pseudonyms
    token = store.sign_jws({"sub": "x"})
    assert KeyStore.load(shared).verify_jws(token) == {"sub": "x"}
    again = Pseudonymizer.from_file(shared.pseudonym_key_path, create=False)
    assert again.pseudonym("minsa", 42) == pseudonyms.pseudonym("minsa", 42)
    # and running it again changes nothing
    assert shared_keys.init(shared) == []


def _softhsm(tmp_path: Path, database_url: str, label: str, **tokens: str) -> dict[str, str]:
    """The environment of processes using a fresh SoftHSM2 token ``label`` for the keys
    named in ``tokens`` (PSEUDONYM, TOKEN_KEYS), with a shared key folder."""
    assert Path(SOFTHSM).exists(), "softhsm2 (scripts/system-deps.sh)"
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QHUB_")}
    env.update(
        SOFTHSM2_CONF=str(conf),
        QHUB_KEYS_DIR=str(tmp_path / "deployment-keys"),
        QHUB_DATABASE_URL=libpq_url(database_url),
    )
    for use, token in tokens.items():
        env[f"QHUB_{use}_PKCS11_TOKEN"] = token
        env[f"QHUB_{use}_PKCS11_MODULE"] = SOFTHSM
        env[f"QHUB_{use}_PKCS11_PIN"] = "1234"
    _init_token(env, label)
    return env


def _init_token(env: dict[str, str], label: str) -> None:
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, *PINS],
        check=True,
        env=env,
        capture_output=True,
    )


async def test_the_pseudonym_secret_in_a_pkcs11_token(
    database_url: str, tmp_path: Path, engine: AsyncEngine
) -> None:
    # Given an instance that ran alone (its pseudonym secret a file of its data folder),
    # and a SoftHSM2 token for the deployment
    data = tmp_path / "data"
    alone = Pseudonymizer.from_file(data / "keys" / "pseudonym.key")
    env = _softhsm(tmp_path, database_url, "seudonimos", PSEUDONYM="seudonimos")
    # When the deployment's keys are made from that instance's, the secret into the token
    made = subprocess.run(
        [sys.executable, "-m", "hub.cli", "keys", "init", "--copy-from", str(data)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert "secreto de seudónimos en el token" in made.stdout
    # Then no file holds it in the shared folder, the token gives the same identifiers,
    # and the secret cannot be read out of the token
    assert not (tmp_path / "deployment-keys" / "pseudonym.key").exists()
    probe = subprocess.run(
        [sys.executable, "-m", "tests.hub.pseudonym_probe"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    seen = json.loads(probe.stdout)
    assert seen["migraciones-42"] == alone.pseudonym("migraciones", 42)
    assert seen["minsa-42"] == alone.pseudonym("minsa", 42)
    assert seen["back"] == 42
    assert (seen["value_read"], seen["extractable"], seen["label"]) == (False, False, True)
    print(f"PKCS#11 pseudonyms: {seen['us_per_identifier']} us per identifier (SoftHSM2)")
    # and a hub serving with it names a person by that identifier
    case = (await make_cases(engine, 1, status="under_review", nationality="VE"))[0]
    async with engine.connect() as conn:
        number = (
            await conn.execute(
                text("SELECT number FROM identity_document WHERE person_id = :p"),
                {"p": case.person_ids[0]},
            )
        ).scalar_one()
    client_id = await _client(engine)
    proc, url = qhub_serve({**env, "QHUB_DATA_DIR": str(tmp_path / "a")}, output=True)
    try:
        _wait_ready(url, proc)
        answer = _status(url, _token(url, client_id), number)
    finally:
        stop(proc)
    assert answer.json()["data"]["protectionStatus"]["person"]["id"] == alone.pseudonym(
        "migraciones", case.person_ids[0]
    )
    # and an instance pointed at a token without the secret refuses to start, saying so
    _init_token(env, "vacio")
    proc, _ = qhub_serve(
        {**env, "QHUB_PSEUDONYM_PKCS11_TOKEN": "vacio", "QHUB_DATA_DIR": str(tmp_path / "b")},
        output=True,
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2, out
    assert (
        "el token PKCS#11 «vacio» no guarda el secreto de seudónimos / holds no pseudonym"
        " secret (QHUB_PSEUDONYM_PKCS11_TOKEN)"
    ) in out


def _whoami(url: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json={"query": "{ whoami { role } }"},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "deportation-protection"},
        timeout=30,
    )


def test_the_signing_keys_in_a_pkcs11_token(database_url: str, tmp_path: Path) -> None:
    # Given a SoftHSM2 token for the deployment's signing keys and pseudonym secret
    env = _softhsm(tmp_path, database_url, "hub", TOKEN_KEYS="hub", PSEUDONYM="hub")

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", *args], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    # When the deployment's keys are made
    made = run("hub.cli", "keys", "init")
    # Then the signing key is made in the token, and no key file in the shared folder
    assert "clave de firma en el token «hub»" in made
    assert not (tmp_path / "deployment-keys" / "tokens").exists()
    # and it signs tokens and checkpoints that verify with the published keys, while the
    # private key cannot be read out of the token
    seen = json.loads(run("tests.hub.signing_key_probe"))
    assert seen["claims"] == {"sub": "probe"} and seen["own"] == {"sub": "again"}
    assert seen["checkpoint_chains"] == ["main"]
    assert (seen["value_read"], seen["extractable"]) == (False, False)
    # and a hub serving with the token accepts a token another process signed there,
    # and one signed after `qhub keys rotate` in a third process
    proc, url = qhub_serve({**env, "QHUB_DATA_DIR": str(tmp_path / "a")}, output=True)
    try:
        _wait_ready(url, proc)
        mint = ("hub.cli", "token", "--role", "migraciones", "--purpose", "deportation-protection")
        first = run(*mint).strip()
        assert _whoami(url, first).json() == {"data": {"whoami": {"role": "migraciones"}}}
        run("hub.cli", "keys", "rotate")
        second = run(*mint).strip()
        assert _kid(second) != seen["kid"]
        assert _whoami(url, second).json() == {"data": {"whoami": {"role": "migraciones"}}}
        published = {k["kid"] for k in httpx.get(f"{url}/.well-known/jwks.json").json()["keys"]}
        assert {seen["kid"], _kid(second)} <= published
    finally:
        stop(proc)
    assert not (tmp_path / "a" / "keys").exists()


def _kid(token: str) -> str:
    header = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])
