"""RFC 3161: with a timestamp authority configured, the permit's PAdES signature carries a
signature timestamp. The TSA is a real HTTP responder (pyHanko's in-process stamper behind
http.server) with its own certificate (timeStamping EKU) under its own root."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from services.documents.identity import load_identity
from services.documents.permit import PermitData, render_permit, sign_pdf


def tsa_identity() -> tuple[asn1_x509.Certificate, asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
    now = datetime.now(UTC)
    # pyHanko's in-process stamper signs with RSA only
    root_key = ec.generate_private_key(ec.SECP256R1())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA de prueba — raíz")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA de prueba")]))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    private = key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(root.public_bytes(der)),
        asn1_x509.Certificate.load(cert.public_bytes(der)),
        asn1_keys.PrivateKeyInfo.load(private),
    )


@pytest.fixture(scope="module")
def tsa() -> Iterator[tuple[str, asn1_x509.Certificate]]:
    root, cert, key = tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)
    requests: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            requests.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa", root
    server.shutdown()
    assert requests, "the TSA was never asked"


async def test_permit_signature_carries_a_trusted_rfc3161_timestamp(
    tsa: tuple[str, asn1_x509.Certificate], tmp_path: Path
) -> None:
    url, tsa_root = tsa
    identity = load_identity(tmp_path / "signing", tsa_url=url)
    page = render_permit(
        PermitData(
            "1" * 32,
            date.today(),
            106420,
            "Ana",
            "Rojas",
            date(1990, 1, 1),
            "VE",
            "VE",
            "passport",
            "X1",
            date(2019, 1, 1),
            "Av. Perú 1",
            "Lima",
            "Lima",
            "Lima",
            "1",
            "a@b.pe",
            date(2019, 1, 2),
            date(2027, 1, 2),
            identity.signer_name,
            "https://hub.example/v/t",
        )
    )
    signed = await sign_pdf(page, identity)
    _, _, ca_der = pem.unarmor(identity.ca_pem)
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(ca_der), tsa_root], allow_fetching=False
    )
    status = await async_validate_pdf_signature(
        PdfFileReader(io.BytesIO(signed)).embedded_signatures[0], context
    )
    assert status.bottom_line, status.pretty_print_details()
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert abs((stamp.timestamp - datetime.now(UTC)).total_seconds()) < 600
