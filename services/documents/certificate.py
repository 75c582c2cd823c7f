"""The certificate of validity (constancia de validez): what ``/v/{token}`` shows, as rows
shared by the HTML page and a signed one-page PDF that states when (and in which time
zone) the register was consulted."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from services.documents.permit import AUTHOR, country_es, fecha, wrap
from services.documents.service import Verification

LIMA = ZoneInfo("America/Lima")
KINDS = {"permit": "Autorización de trabajo", "card": "Carné de solicitante de refugio"}
VERDICT = {
    "valid": "VÁLIDO",
    "revoked": "NO VÁLIDO",
    "replaced": "NO VÁLIDO",
    "expired": "NO VÁLIDO",
    "unknown": "NO VÁLIDO",
    "invalid": "NO VÁLIDO",
}
REASON = {
    "revoked": "revocado",
    "replaced": "reemplazado por un documento más reciente",
    "expired": "vencido",
}


def vigencia(v: Verification) -> str:
    """The validity line. Only a valid document says «válida desde … hasta …»; a revoked,
    replaced or expired one says so and nothing that could be read as valid."""
    if v.status != "valid":
        reason = REASON.get(v.status, "no figura en el registro")
        if v.status == "expired":
            return f"NO VÁLIDA: vencida el {fecha(v.valid_to)}"
        return f"NO VÁLIDO: {reason}"
    if v.valid_to is None:
        return f"vigente; emitido el {fecha(v.valid_from)}, sin fecha de vencimiento"
    return f"válida desde {fecha(v.valid_from)} hasta {fecha(v.valid_to)}"


def certificate_rows(v: Verification) -> list[tuple[str, str]]:
    if not v.permit_id:
        return []
    return [
        ("Tipo de documento", KINDS.get(v.kind or "permit", "Documento")),
        ("N.° de documento", v.number or v.permit_id),
        ("Nombres", v.given_names or "—"),
        ("Apellidos", v.surnames or "—"),
        ("Fecha de nacimiento", fecha(v.birth_date)),
        ("Lugar de nacimiento", country_es(v.country_of_birth)),
        ("Nacionalidad", country_es(v.nationality)),
        ("Documento de identidad", v.document or "Sin documento"),
        ("Vigencia", vigencia(v)),
        *(
            [("Revocación", f"el {fecha(v.revoked_on)}; motivo: {v.revoked_reason}")]
            if v.status == "revoked" and v.revoked_reason
            else []
        ),
    ]


def consulted_at(now: datetime | None = None) -> str:
    """«30/11/2026 a las 21:15 (hora de Lima, America/Lima, UTC-05:00)»."""
    local = (now or datetime.now(LIMA)).astimezone(LIMA)
    offset = local.strftime("%z")
    return (
        f"{local:%d/%m/%Y} a las {local:%H:%M} "
        f"(hora de Lima, America/Lima, UTC{offset[:3]}:{offset[3:]})"
    )


def render_certificate(v: Verification, now: datetime | None = None) -> bytes:
    """The unsigned PDF (``sign_pdf`` signs it as the commission)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, lang="es-PE")
    page.setTitle("Constancia de validez — CEPR")
    page.setAuthor(AUTHOR)
    page.setSubject(f"Constancia de validez: {VERDICT.get(v.status, 'NO VÁLIDO')}")
    page.setCreator("Qoricancha Hub")
    width, height = A4
    page.setFillColorRGB(0.05, 0.16, 0.33)
    page.rect(0, height - 28 * mm, width, 28 * mm, stroke=0, fill=1)
    page.setFillColorRGB(1, 1, 1)
    page.setFont("Helvetica-Bold", 10)
    page.drawString(
        20 * mm, height - 12 * mm, "REPÚBLICA DEL PERÚ — MINISTERIO DE RELACIONES EXTERIORES"
    )
    page.setFont("Helvetica", 10)
    page.drawString(20 * mm, height - 18 * mm, "Comisión Especial para los Refugiados (CEPR)")
    page.setFillColorRGB(0, 0, 0)
    y = height - 42 * mm
    page.setFont("Helvetica-Bold", 16)
    page.drawString(20 * mm, y, "CONSTANCIA DE VALIDEZ")
    ok = v.status == "valid"
    y -= 16 * mm
    page.setFillColorRGB(*((0.04, 0.42, 0.18) if ok else (0.63, 0.07, 0.07)))
    page.rect(20 * mm, y - 4 * mm, width - 40 * mm, 14 * mm, stroke=0, fill=1)
    page.setFillColorRGB(1, 1, 1)
    page.setFont("Helvetica-Bold", 15)
    page.drawString(25 * mm, y, VERDICT.get(v.status, "NO VÁLIDO"))
    page.setFillColorRGB(0, 0, 0)
    y -= 12 * mm
    page.setFont("Helvetica-Bold", 10.5)
    for line in wrap(v.message, 88):
        page.drawString(20 * mm, y, line)
        y -= 5.5 * mm
    y -= 6 * mm
    for label, value in certificate_rows(v):
        page.setFont("Helvetica-Bold", 10)
        page.drawString(20 * mm, y, label)
        page.setFont("Helvetica", 10)
        page.drawString(75 * mm, y, value[:70])
        y -= 7 * mm
    page.setFont("Helvetica", 8.5)
    page.drawString(
        20 * mm,
        28 * mm,
        f"Consulta realizada el {consulted_at(now)} en el registro de la Comisión.",
    )
    page.drawString(
        20 * mm,
        23 * mm,
        "Constancia firmada digitalmente por la Comisión Especial para los Refugiados.",
    )
    page.showPage()
    page.save()
    return out.getvalue()
