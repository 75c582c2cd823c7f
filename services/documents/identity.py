"""The signing identity of the Executive Secretary: a production PKCS#12 file, or a demo one.

The demo identity (a commission CA and the Executive Secretary's certificate, ECDSA P-256)
is created under the data folder on first use, so everything works out of the box;
production points ``QHUB_SIGNER_PKCS12`` at the real key.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


@dataclass(frozen=True)
class SigningIdentity:
    signer: signers.Signer
    ca_pem: bytes
    signer_name: str
    tsa_url: str | None = None  # RFC 3161 timestamp authority, when configured


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Comisión Especial para los Refugiados"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def create_demo_identity(directory: Path) -> None:
    """A test CA and the Executive Secretary's signing certificate (demo only)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("CEPR CA de demostración")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Secretaría Ejecutiva de la CEPR (demostración)"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (directory / "signer.pem").write_bytes(cert.public_bytes(pem))
    _write_private(
        directory / "signer.key",
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def load_identity(
    directory: Path,
    pkcs12: str | None = None,
    password: str | None = None,
    tsa_url: str | None = None,
) -> SigningIdentity:
    """The production PKCS#12 identity if configured, else the demo one (created if needed)."""
    if pkcs12:
        signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            pkcs12, passphrase=password.encode() if password else None
        )
        if signer is None:
            raise ValueError("No se pudo cargar el archivo PKCS#12 de firma.")
        chain = list(signer.cert_registry)
        root = chain[-1] if chain else signer.signing_cert
        return SigningIdentity(
            signer, root.dump(), signer.signing_cert.subject.human_friendly, tsa_url
        )
    if not (directory / "signer.key").exists():
        create_demo_identity(directory)
    ca = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes()).public_bytes(
            serialization.Encoding.DER
        )
    )
    cert_c = x509.load_pem_x509_certificate((directory / "signer.pem").read_bytes())
    cert = asn1_x509.Certificate.load(cert_c.public_bytes(serialization.Encoding.DER))
    key_c = serialization.load_pem_private_key((directory / "signer.key").read_bytes(), None)
    key = asn1_keys.PrivateKeyInfo.load(
        key_c.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([ca]),  # type: ignore[no-untyped-call]
    )
    common_name = cert_c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return SigningIdentity(signer, (directory / "ca.pem").read_bytes(), str(common_name), tsa_url)


def _pem_certificate(path: Path) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(serialization.Encoding.DER)
    )


def load_pkcs11_identity(
    module: str,
    token_label: str,
    pin: str,
    key_label: str,
    cert_pem: Path,
    ca_pem: Path,
    tsa_url: str | None = None,
    raw_ecdsa: bool = True,
) -> SigningIdentity:
    """The Executive Secretary's key on a PKCS#11 token (HSM, smart card, SoftHSM2).

    The private key never leaves the token; the signer's certificate and the CA are given as
    PEM files (tokens often hold only the key). ``raw_ecdsa``: hash on the host and ask the
    token for plain CKM_ECDSA (SoftHSM2 and many cards lack CKM_ECDSA_SHA256); use False for
    RSA keys.
    """
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    session = open_pkcs11_session(
        module, token_criteria=TokenCriteria(label=token_label), user_pin=pin
    )
    cert = _pem_certificate(cert_pem)
    ca = _pem_certificate(ca_pem)
    signer = PKCS11Signer(
        session,
        key_label=key_label,
        signing_cert=cert,
        ca_chain=[ca],
        use_raw_mechanism=raw_ecdsa,
    )
    return SigningIdentity(signer, ca_pem.read_bytes(), cert.subject.human_friendly, tsa_url)


def identity_from_settings(settings: Any) -> SigningIdentity:
    """PKCS#11 token if configured, else the PKCS#12 file, else the demo identity under
    ``data_dir/signing`` (created on first use) or the shared key directory's
    ``signing`` (made by ``qhub keys init``; ``hub.shared_keys`` checks it at start)."""
    tsa_url: str | None = settings.tsa_url
    if settings.pkcs11_module:
        return load_pkcs11_identity(
            settings.pkcs11_module,
            settings.pkcs11_token_label or "",
            settings.pkcs11_pin or "",
            settings.pkcs11_key_label or "",
            Path(settings.signer_cert_pem),
            Path(settings.signer_ca_pem),
            tsa_url,
        )
    return load_identity(
        Path(settings.document_signer_dir),
        settings.signer_pkcs12,
        settings.signer_pkcs12_password,
        tsa_url,
    )
