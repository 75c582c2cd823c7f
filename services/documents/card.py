"""The asylum-seeker card (carné de solicitante): an ID-1 (85.60 x 53.98 mm) PDF with a photo
slot, case number, names, nationality, issuing office, issue date, a QR and **no expiry date**:
the QR tells whether the card is still valid (revoked and replaced cards verify as such)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from services.documents.permit import country_es, draw_qr, fecha

ID1 = (85.60 * mm, 53.98 * mm)
CARD_TOKEN_TYPE = "asylum-card"


@dataclass(frozen=True)
class CardData:
    card_number: str
    case_number: int
    given_names: str
    surnames: str
    nationality: str
    office: str
    issue_date: date
    verification_url: str
    photo: bytes | None = None  # JPEG/PNG; an empty framed slot when absent


def render_card(data: CardData) -> bytes:
    out = io.BytesIO()
    width, height = ID1
    page = canvas.Canvas(out, pagesize=ID1, pageCompression=1)
    page.setTitle(f"Carné de solicitante {data.card_number}")
    page.setSubject(f"qhub-card:{data.card_number}")
    page.setFont("Helvetica-Bold", 6.5)
    page.drawString(3 * mm, height - 4.5 * mm, "REPÚBLICA DEL PERÚ — CEPR")
    page.setFont("Helvetica", 5.5)
    page.drawString(3 * mm, height - 7.5 * mm, "Carné de solicitante de la condición de refugiado")
    # photo slot (25 x 30 mm)
    page.setLineWidth(0.4)
    page.rect(3 * mm, height - 40 * mm, 22 * mm, 28 * mm)
    if data.photo:
        page.drawImage(
            ImageReader(io.BytesIO(data.photo)), 3 * mm, height - 40 * mm, 22 * mm, 28 * mm
        )
    else:
        page.setFont("Helvetica", 5)
        page.drawCentredString(14 * mm, height - 26 * mm, "FOTO")
    x, y = 28 * mm, height - 13 * mm
    for label, value in (
        ("N.° de carné", data.card_number),
        ("Expediente", str(data.case_number)),
        ("Apellidos", data.surnames),
        ("Nombres", data.given_names),
        ("Nacionalidad", country_es(data.nationality)),
        ("Oficina", data.office),
        ("Emisión", fecha(data.issue_date)),
    ):
        page.setFont("Helvetica", 4.5)
        page.drawString(x, y, label.upper())
        page.setFont("Helvetica-Bold", 6)
        page.drawString(x, y - 2.4 * mm, value[:34])
        y -= 5.3 * mm
    draw_qr(page, data.verification_url, width - 22 * mm, 3 * mm, 20 * mm)
    page.setFont("Helvetica", 4.5)
    page.drawString(3 * mm, 3 * mm, "Sin fecha de vencimiento: verifique su validez con el QR.")
    page.showPage()
    page.save()
    return out.getvalue()
