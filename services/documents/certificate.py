"""The certificate of validity (constancia de validez) as a one-page PDF: what ``/v/{token}``
shows in HTML, for printing or attaching to a file."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from services.documents.permit import country_es, fecha
from services.documents.service import Verification


def vigencia(v: Verification) -> str:
    """ "válida desde … hasta …"; a card has no end date."""
    if v.valid_to is None:
        return f"emitido el {fecha(v.valid_from)}, sin fecha de vencimiento"
    return f"válida desde {fecha(v.valid_from)} hasta {fecha(v.valid_to)}"


def certificate_rows(v: Verification) -> list[tuple[str, str]]:
    if not v.permit_id:
        return []
    return [
        ("Nombres", v.given_names or "—"),
        ("Apellidos", v.surnames or "—"),
        ("Fecha de nacimiento", fecha(v.birth_date)),
        ("Lugar de nacimiento", country_es(v.country_of_birth)),
        ("Nacionalidad", country_es(v.nationality)),
        ("Documento", v.document or "—"),
        ("Vigencia", vigencia(v)),
        ("N.° de documento", v.permit_id),
    ]


def render_certificate(v: Verification, now: datetime | None = None) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle("Constancia de validez — CEPR")
    _, height = A4
    y = height - 25 * mm
    page.setFont("Helvetica", 9)
    page.drawString(20 * mm, y, "Comisión Especial para los Refugiados — Ministerio de")
    page.drawString(20 * mm, y - 4.5 * mm, "Relaciones Exteriores del Perú")
    page.setFont("Helvetica-Bold", 16)
    page.drawString(20 * mm, y - 16 * mm, "CONSTANCIA DE VALIDEZ")
    page.setFont("Helvetica-Bold", 11)
    if v.status == "valid":
        page.setFillColorRGB(0.04, 0.42, 0.18)
    else:
        page.setFillColorRGB(0.63, 0.07, 0.07)
    page.drawString(20 * mm, y - 28 * mm, v.message[:95])
    page.setFillColorRGB(0, 0, 0)
    y -= 42 * mm
    for label, value in certificate_rows(v):
        page.setFont("Helvetica-Bold", 10)
        page.drawString(20 * mm, y, label)
        page.setFont("Helvetica", 10)
        page.drawString(70 * mm, y, value[:80])
        y -= 7 * mm
    page.setFont("Helvetica", 8)
    when = (now or datetime.now()).strftime("%d/%m/%Y %H:%M")
    note = f"Consulta realizada el {when} en el registro de la Comisión."
    page.drawString(20 * mm, 20 * mm, note)
    page.showPage()
    page.save()
    return out.getvalue()
