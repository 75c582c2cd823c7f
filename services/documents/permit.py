"""The work permit (autorización de trabajo, art. 14 of Law 27891): render, sign, verify.

One A4 page in Spanish with every item DOMAIN.md lists, a QR code whose URL carries a
compact token signed by the hub (verifiable offline against the published keys and
online for current status), and a PAdES signature of the Executive Secretary (pyHanko).
"""

from __future__ import annotations

import gettext
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pycountry
import qrcode
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from services.documents.identity import SigningIdentity

# Binary (not ASCII85) compressed streams: smaller files, and ~4 ms less per permit.
rl_config.useA85 = 0

LEGAL_TEXT = (
    "De conformidad con el artículo 14 de la Ley N.° 27891, Ley del Refugiado, y su "
    "Reglamento, la Comisión Especial para los Refugiados del Ministerio de Relaciones "
    "Exteriores hace constar que la persona identificada en el presente documento ha "
    "solicitado el reconocimiento de la condición de refugiado y que su solicitud se "
    "encuentra en trámite. La presente autorización faculta al portador a permanecer en el "
    "país y a trabajar, de manera dependiente o independiente, mientras su solicitud se "
    "encuentre en trámite y durante el período de vigencia indicado. Este documento no "
    "reemplaza los antecedentes policiales, penales ni judiciales, ni los documentos de "
    "identidad del portador, y no acredita el reconocimiento de la condición de refugiado. "
    "Su validez puede verificarse en todo momento escaneando el código QR."
)
AUTHOR = "Comisión Especial para los Refugiados — Ministerio de Relaciones Exteriores del Perú"
# The commission's contact lines printed on the permit (the Ministry's published address
# and switchboard); the verification address is the hub's own.
CONTACT_LINES = (
    "Comisión Especial para los Refugiados — Ministerio de Relaciones Exteriores",
    "Jr. Lampa 545, Cercado de Lima · Central telefónica (01) 204-2400",
)
_SPANISH = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
DOCUMENT_TYPES = {
    "passport": "Pasaporte",
    "national_id": "Documento nacional de identidad",
    "other": "Otro documento",
}


def country_es(code: str | None) -> str:
    """The country's name in Spanish (ISO 3166 code in, name out)."""
    if not code:
        return "—"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _SPANISH.gettext(getattr(country, "common_name", None) or country.name)


def document_es(doc_type: str | None, number: str | None) -> str:
    """An identity document in words: «Pasaporte 123», «Sin documento»."""
    if not doc_type and not number:
        return "Sin documento"
    kind = DOCUMENT_TYPES.get(doc_type or "", doc_type or "Documento")
    return f"{kind} N.° {number}" if number else kind


def permit_number(case_number: int, sequence: int) -> str:
    """The permit's number as people read it aloud: «AT-106420-01» (the case's n-th)."""
    return f"AT-{case_number}-{sequence:02d}"


def fecha(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


@dataclass(frozen=True)
class PermitData:
    """Everything printed on a work permit."""

    permit_id: str
    issue_date: date
    case_number: int
    given_names: str
    surnames: str
    birth_date: date
    country_of_birth: str | None
    nationality: str
    document_type: str | None
    document_number: str | None
    entry_date: date | None
    street: str | None
    department: str | None
    province: str | None
    district: str | None
    phone: str | None
    email: str | None
    valid_from: date
    valid_to: date
    signer: str
    verification_url: str
    number: str = ""  # permit_number(); the id when empty
    photo: bytes | None = None


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules (quiet zone included). A fixed mask pattern skips qrcode's pure-Python
    evaluation of all eight masks (~30 ms); any mask is valid for decoders."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0
    )
    code.add_data(url)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def draw_qr(page: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR as vector rectangles in module units (one per horizontal run of dark
    modules), emitted as raw path operators: reportlab's rect() formats floats slowly."""
    matrix = qr_matrix(url)
    n = len(matrix)
    ops: list[str] = []
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {n - r - 1} {c - start} 1 re")
            else:
                c += 1
    cell = size / n
    page.saveState()
    page.setFillColorRGB(0, 0, 0)
    page.addLiteral(f"{cell:.4f} 0 0 {cell:.4f} {x:.3f} {y:.3f} cm\n" + "\n".join(ops) + "\nf")
    page.restoreState()


def render_permit(data: PermitData) -> bytes:
    """The unsigned one-page PDF."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1, lang="es-PE")
    number = data.number or data.permit_id
    page.setTitle(f"Autorización de trabajo N.° {number} — expediente {data.case_number}")
    page.setAuthor(AUTHOR)
    page.setSubject(f"qhub-permit:{data.permit_id}")
    page.setKeywords("autorización de trabajo, Ley 27891, artículo 14, CEPR, Perú")
    page.setCreator("Qoricancha Hub")
    width, height = A4
    y = height - 22 * mm
    page.setFont("Helvetica-Bold", 10)
    page.drawString(20 * mm, y, "REPÚBLICA DEL PERÚ — MINISTERIO DE RELACIONES EXTERIORES")
    y -= 5 * mm
    page.drawString(20 * mm, y, "Comisión Especial para los Refugiados (CEPR)")
    photo_w, photo_h = 30 * mm, 38 * mm
    px, py = width - 20 * mm - photo_w, height - 20 * mm - photo_h
    if data.photo:
        page.drawImage(
            ImageReader(io.BytesIO(data.photo)),
            px,
            py,
            photo_w,
            photo_h,
            preserveAspectRatio=True,
            anchor="c",
        )
    else:
        page.setFont("Helvetica", 7.5)
        page.drawCentredString(px + photo_w / 2, py + photo_h / 2, "Sin fotografía registrada")
    page.setLineWidth(0.5)
    page.rect(px, py, photo_w, photo_h)
    y -= 14 * mm
    page.setFont("Helvetica-Bold", 15)
    page.drawString(20 * mm, y, "AUTORIZACIÓN DE TRABAJO")
    y -= 6 * mm
    page.setFont("Helvetica", 9)
    page.drawString(20 * mm, y, "Solicitante de la condición de refugiado — art. 14, Ley N.° 27891")
    y -= 6 * mm
    page.setFont("Helvetica-Bold", 10.5)
    page.drawString(20 * mm, y, f"Documento N.° {number}")
    y = min(y, py) - 9 * mm
    rows = [
        ("Fecha de emisión", fecha(data.issue_date)),
        ("N.° de expediente", str(data.case_number)),
        ("Nombres", data.given_names),
        ("Apellidos", data.surnames),
        ("Fecha de nacimiento", fecha(data.birth_date)),
        ("Lugar de nacimiento (país)", country_es(data.country_of_birth)),
        ("Nacionalidad", country_es(data.nationality)),
        ("Documento del país de origen", document_es(data.document_type, data.document_number)),
        ("Fecha de ingreso al Perú", fecha(data.entry_date)),
        ("Domicilio", data.street or "—"),
        (
            "Departamento / provincia / distrito",
            " / ".join(v or "—" for v in (data.department, data.province, data.district)),
        ),
        ("Teléfono", data.phone or "—"),
        ("Correo electrónico", data.email or "—"),
        ("Vigencia", f"desde {fecha(data.valid_from)} hasta {fecha(data.valid_to)}"),
    ]
    for label, value in rows:
        page.setFont("Helvetica-Bold", 9.5)
        page.drawString(20 * mm, y, label)
        page.setFont("Helvetica", 9.5)
        page.drawString(85 * mm, y, value[:60])
        y -= 6.2 * mm
    y -= 3 * mm
    text = page.beginText(20 * mm, y)
    text.setFont("Helvetica", 8.8)
    text.setLeading(11.5)
    for line in wrap(LEGAL_TEXT, 108):
        text.textLine(line)
    page.drawText(text)
    draw_qr(page, data.verification_url, width - 68 * mm, 24 * mm, 48 * mm)
    page.setFont("Helvetica", 7.5)
    page.drawCentredString(width - 44 * mm, 20.5 * mm, "Escanee para verificar la validez")
    page.setFont("Helvetica", 9)
    page.drawString(
        20 * mm, 52 * mm, f"Firmado digitalmente por: {data.signer[:60]}, Secretaría Ejecutiva"
    )
    page.setFont("Helvetica", 7.5)
    cy = 40 * mm
    for line in (*CONTACT_LINES, f"Verificación en línea: {_site(data.verification_url)}"):
        page.drawString(20 * mm, cy, line)
        cy -= 4 * mm
    page.setFont("Helvetica", 7)
    page.drawString(20 * mm, 12 * mm, f"Documento N.° {number} · expediente {data.case_number}")
    page.showPage()
    page.save()
    return out.getvalue()


def _site(url: str) -> str:
    return url.split("/v/", 1)[0] + "/verificar"


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


async def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    reason: str = "Autorización de trabajo — art. 14 de la Ley N.° 27891",
) -> bytes:
    """PAdES baseline signature (pyHanko) of the Executive Secretary, with an RFC 3161
    signature timestamp when the identity names a timestamp authority."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="FirmaSecretariaEjecutiva",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="Lima, Perú",
    )
    stamper = timestamps.HTTPTimeStamper(identity.tsa_url) if identity.tsa_url else None
    out: Any = await signers.async_sign_pdf(
        writer, meta, signer=identity.signer, timestamper=stamper
    )
    return bytes(out.getvalue())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
