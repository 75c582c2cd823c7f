"""``qhub verify`` offline: a token, a QR image (rendered by poppler's pdftoppm) and a permit
PDF, checked against the published keys and the commission's CA; bad input gets a clear code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from auth.keys import KeyStore, verify_with_jwks
from hub.readpool import libpq_url
from services.documents.identity import load_identity
from services.documents.offline import verify_input
from services.documents.service import issue_permit, verify_permit_token
from tests.factories import make_cases


@pytest.fixture(scope="module")
async def issued(database_url: str, engine: AsyncEngine, tmp_path_factory: Any) -> dict[str, Any]:
    # given a permit issued by the service with a demo identity and a key store
    folder: Path = tmp_path_factory.mktemp("offline")
    identity = load_identity(folder / "signing")
    keys = KeyStore.open(folder / "keys")
    case = (await make_cases(engine, 1, status="under_review"))[0]
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        permit = await issue_permit(
            conn,
            case.number,
            identity,
            lambda c: keys.sign_jws(c, typ="qr+jwt"),
            "https://hub.example",
            "test",
        )
    pdf = folder / "permiso.pdf"
    pdf.write_bytes(permit.pdf)
    jwks = keys.public_jwks()
    (folder / "jwks.json").write_text(json.dumps(jwks))
    return {
        "permit": permit,
        "pdf": pdf,
        "folder": folder,
        "ca": identity.ca_pem,
        "jwks": jwks,
        "keys": keys,
        "identity": identity,
        "case": case,
        "url": database_url,
    }


def check(issued: dict[str, Any], argument: str, ca: bytes | None = None) -> Any:
    jwks = issued["jwks"]
    return verify_input(argument, lambda t: verify_with_jwks(t, jwks), ca or issued["ca"])


def test_the_permit_pdf_verifies_offline(issued: dict[str, Any]) -> None:
    result = check(issued, str(issued["pdf"]))
    assert (result.ok, result.code) == (True, "VALID"), result
    assert result.claims["jti"] == issued["permit"].id


def test_a_qr_image_rendered_by_pdftoppm_verifies(issued: dict[str, Any]) -> None:
    target = issued["folder"] / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", issued["pdf"], target], check=True
    )
    result = check(issued, str(target.with_suffix(".png")))
    assert (result.ok, result.code) == (True, "VALID"), result


def test_token_and_url_verify_and_a_tampered_token_is_refused(issued: dict[str, Any]) -> None:
    token = issued["permit"].token
    assert check(issued, token).code == "VALID"
    assert check(issued, issued["permit"].verification_url).code == "VALID"
    head, body, sig = token.split(".")
    flipped = sig[:-3] + ("A" if sig[-3] != "A" else "B") + sig[-2:]
    assert check(issued, f"{head}.{body}.{flipped}").code == "INVALID_TOKEN"
    assert check(issued, "basura-que-no-es-un-token").code == "INVALID_TOKEN"


def test_a_token_signed_by_another_key_is_unknown(issued: dict[str, Any]) -> None:
    stranger = KeyStore.open(issued["folder"] / "stranger")
    token = stranger.sign_jws({"typ": "work-permit", "jti": "x" * 32, "exp_date": "2099-01-01"})
    result = check(issued, token)
    assert (result.ok, result.code) == (False, "UNKNOWN_KEY")


def test_tampered_pdf_and_untrusted_ca_are_refused(issued: dict[str, Any]) -> None:
    data = issued["pdf"].read_bytes()
    at = data.index(b"/Author")
    tampered = issued["folder"] / "alterado.pdf"
    tampered.write_bytes(data[:at] + data[at:].replace(b"Comis", b"Cemis", 1))
    assert check(issued, str(tampered)).code == "BAD_SIGNATURE"
    other_ca = load_identity(issued["folder"] / "other-signing").ca_pem
    assert check(issued, str(issued["pdf"]), ca=other_ca).code == "BAD_SIGNATURE"


def test_image_without_code_and_pdf_that_is_not_a_permit(issued: dict[str, Any]) -> None:
    blank = issued["folder"] / "blanco.png"
    Image.new("L", (200, 200), 255).save(blank)
    assert check(issued, str(blank)).code == "NO_QR"
    not_pdf = issued["folder"] / "texto.png"
    not_pdf.write_text("no soy una imagen")
    assert check(issued, str(not_pdf)).code == "NO_QR"
    plain = issued["folder"] / "otro.pdf"
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(plain))
    page.drawString(100, 700, "Un PDF cualquiera")
    page.save()
    result = check(issued, str(plain))
    assert (result.ok, result.code) == (False, "BAD_SIGNATURE")
    assert "no tiene firma" in result.message


def test_qhub_verify_command_with_a_keys_file(issued: dict[str, Any]) -> None:
    from hub.cli import app

    (issued["folder"] / "ca.pem").write_bytes(issued["ca"])
    args = ["--keys", str(issued["folder"] / "jwks.json"), "--ca", str(issued["folder"] / "ca.pem")]
    ok = CliRunner().invoke(app, ["verify", str(issued["pdf"]), *args])
    assert ok.exit_code == 0, ok.output
    assert "VALID" in ok.output
    bad = CliRunner().invoke(app, ["verify", "basura", *args])
    assert bad.exit_code == 1
    assert "INVALID_TOKEN" in bad.output


async def test_renewal_replaces_the_old_permit(issued: dict[str, Any]) -> None:
    # given a second permit for the same case (renewal), when the first QR is scanned
    keys, url = issued["keys"], issued["url"]
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        renewed = await issue_permit(
            conn,
            issued["case"].number,
            issued["identity"],
            lambda c: keys.sign_jws(c),
            "https://hub.example",
            "test",
        )
        old = await verify_permit_token(conn, issued["permit"].token, keys.verify_jws)
        new = await verify_permit_token(conn, renewed.token, keys.verify_jws)
    # then the old one says replaced (and still verifies offline: it was ours), the new is valid
    assert (old.status, new.status) == ("replaced", "valid")
    assert "REEMPLAZADA" in old.message
    assert check(issued, issued["permit"].token).code == "VALID"
