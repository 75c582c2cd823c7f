"""Offline verification (``qhub verify``): a token, a QR image or a permit PDF, checked
against the published keys (``/.well-known/jwks.json``) and, for a PDF, the commission's CA.

No database: it tells whether the document was issued by the commission and is unaltered;
its current status (revoked / replaced) is what the online page ``/v/{token}`` adds.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from services.documents.card import CARD_REFERENCE
from services.documents.service import TOKEN_TYPE


@dataclass
class OfflineResult:
    ok: bool
    code: (
        str  # VALID | EXPIRED | INVALID_TOKEN | UNKNOWN_KEY | NO_QR | NOT_A_PERMIT | BAD_SIGNATURE
        # | ONLINE_ONLY (a card's QR: a reference, checked online)
    )
    message: str
    claims: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


def token_from_text(text: str) -> str:
    """The token of a verification URL (``…/v/{token}`` or ``….pdf``), or the text itself."""
    text = text.strip()
    if "/v/" in text:
        text = text.rsplit("/v/", 1)[1]
    return text.removesuffix(".pdf")


def qr_texts_from_image(path: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    with Image.open(path) as image:
        return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def qr_texts_from_pdf(path: Path) -> list[str]:
    """Render the first page with poppler's ``pdftoppm`` and decode its QR codes."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("Falta pdftoppm (poppler-utils): ejecute scripts/system-deps.sh.")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", path, target],
            check=True,
            capture_output=True,
        )
        return qr_texts_from_image(target.with_suffix(".png"))


def pdf_signature_problems(pdf: bytes, ca_pem: bytes | None) -> list[str]:
    """Empty when the PDF carries an intact signature chaining to ``ca_pem`` (bottom line)."""
    import io

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises many kinds on a broken file
        return ["El archivo no es un PDF legible."]
    if not signatures:
        return ["El PDF no tiene firma digital."]
    roots = []
    if ca_pem:
        _, _, der = pem.unarmor(ca_pem)
        roots.append(x509.Certificate.load(der))
    status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=roots))
    if status.bottom_line:
        return []
    problems = []
    if not status.intact:
        problems.append("El contenido fue modificado después de la firma.")
    if not status.valid:
        problems.append("La firma criptográfica no es válida.")
    if not status.trusted:
        problems.append("El certificado del firmante no proviene de la CA de la Comisión.")
    return problems or ["La firma no supera la validación."]


def verify_token(
    token: str, verify: Callable[[str], dict[str, Any]], today: date | None = None
) -> OfflineResult:
    try:
        claims = verify(token)
    except Exception as exc:
        code = getattr(exc, "code", "INVALID_TOKEN")
        if code != "UNKNOWN_KEY":
            code = "INVALID_TOKEN"
        message = (
            "El código está firmado con una clave que la Comisión no publica."
            if code == "UNKNOWN_KEY"
            else "El código no es un documento emitido por la Comisión (firma no válida)."
        )
        return OfflineResult(False, code, message)
    if claims.get("typ") not in (TOKEN_TYPE, "asylum-card") or not isinstance(
        claims.get("jti"), str
    ):
        return OfflineResult(False, "INVALID_TOKEN", "El código no corresponde a un documento.")
    ends = claims.get("exp_date")
    if isinstance(ends, str) and ends < (today or date.today()).isoformat():
        return OfflineResult(False, "EXPIRED", f"Documento vencido el {ends}.", claims)
    return OfflineResult(
        True,
        "VALID",
        "Firma de la Comisión válida. Consulte el estado actual en la página de verificación.",
        claims,
    )


def verify_input(
    argument: str,
    verify: Callable[[str], dict[str, Any]],
    ca_pem: bytes | None = None,
    today: date | None = None,
) -> OfflineResult:
    """A token, a verification URL, a QR image or a permit PDF."""
    path = Path(argument)
    details: list[str] = []
    try:
        is_file = path.is_file()
    except OSError:  # a token longer than a file name can be
        is_file = False
    if is_file:
        data = path.read_bytes()
        if data.startswith(b"%PDF"):
            problems = pdf_signature_problems(data, ca_pem)
            if problems:
                return OfflineResult(False, "BAD_SIGNATURE", " ".join(problems))
            details.append("Firma PAdES del PDF: íntegra y de confianza.")
            texts = qr_texts_from_pdf(path)
            not_found = OfflineResult(
                False, "NOT_A_PERMIT", "El PDF no contiene el código QR de un documento."
            )
        else:
            try:
                texts = qr_texts_from_image(path)
            except Exception:
                return OfflineResult(False, "NO_QR", "El archivo no es una imagen legible.")
            not_found = OfflineResult(False, "NO_QR", "No se encontró un código QR en la imagen.")
        texts = [t for t in texts if "/v/" in t]
        if not texts:
            return not_found
        argument = texts[0]
    token = token_from_text(argument)
    if CARD_REFERENCE.match(token):
        return OfflineResult(
            False,
            "ONLINE_ONLY",
            "Es el código de un carné: su validez se consulta solo en línea, abriendo la"
            " dirección del código QR.",
            details=details,
        )
    result = verify_token(token, verify, today)
    result.details = details + result.details
    return result
