"""The Executive Secretary's key on a PKCS#11 token: SoftHSM2 (Debian's softhsm2) holds the
key; the permit signed through it validates with pyHanko (bottom line) and poppler's pdfsig."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from hub.settings import Settings
from services.documents.identity import create_demo_identity, identity_from_settings
from services.documents.permit import PermitData, render_permit, sign_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture()
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert shutil.which("softhsm2-util") and Path(MODULE).exists(), "softhsm2 (system-deps.sh)"
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "cepr",
            "--so-pin",
            "9999",
            "--pin",
            "1234",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    create_demo_identity(tmp_path / "signing")
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(tmp_path / "signing" / "signer.key"),
            "--token",
            "cepr",
            "--label",
            "secretaria",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    (tmp_path / "signing" / "signer.key").unlink()  # the key now lives only in the token
    return tmp_path


async def test_a_permit_signed_on_softhsm2_validates(token: Path) -> None:
    signing = token / "signing"
    settings = Settings(
        data_dir=token / "var",
        pkcs11_module=MODULE,
        pkcs11_token_label="cepr",
        pkcs11_pin="1234",
        pkcs11_key_label="secretaria",
        signer_cert_pem=str(signing / "signer.pem"),
        signer_ca_pem=str(signing / "ca.pem"),
    )
    identity = identity_from_settings(settings)
    assert not (token / "var" / "signing").exists()  # no demo identity was made
    page = render_permit(
        PermitData(
            "2" * 32,
            date.today(),
            106421,
            "Luis",
            "Quispe",
            date(1988, 2, 3),
            "CO",
            "CO",
            "passport",
            "AB123",
            date(2020, 1, 1),
            "Jr. Puno 5",
            "Lima",
            "Lima",
            "Lima",
            "1",
            "l@q.pe",
            date(2020, 1, 5),
            date(2027, 1, 5),
            identity.signer_name,
            "https://hub.example/v/t",
        )
    )
    signed = await sign_pdf(page, identity)
    _, _, der = pem.unarmor(identity.ca_pem)
    status = await async_validate_pdf_signature(
        PdfFileReader(io.BytesIO(signed)).embedded_signatures[0],
        ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)]),
    )
    assert status.bottom_line, status.pretty_print_details()

    path = token / "hsm.pdf"
    path.write_bytes(signed)
    nss = token / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-n",
            "cepr-ca",
            "-t",
            "CT,C,C",
            "-d",
            f"sql:{nss}",
            "-i",
            str(signing / "ca.pem"),
        ],
        check=True,
    )
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True
    ).stdout
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Certificate Validation: Certificate is Trusted." in out, out
