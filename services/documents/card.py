"""The asylum-seeker card (carné de solicitante): an ID-1 (85.60 x 53.98 mm) PDF with the
photo taken at biometric enrolment, case number, names, birth date, nationality, the
identity document of the country of origin, issuing office, issue date, a QR and **no
expiry date**: the QR tells whether the card is still valid (revoked and replaced cards
verify as such).

The QR carries ``{public_url}/v/{card id}`` (32 hex characters, random: ~56 characters in
all), so it stays a small QR (version 4-5) that decodes from a 150 dpi print; a signed
token in the URL would need ~280 characters. Text is fitted to its column (smaller, then
on two lines) so a long office name never runs into the QR."""

from __future__ import annotations

import dataclasses
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg.rows import dict_row, kwargs_row
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from services.documents.identity import SigningIdentity
from services.documents.permit import (
    AUTHOR,
    country_es,
    document_es,
    draw_qr,
    fecha,
    sha256,
    sign_pdf,
)
from services.documents.service import (
    HOLDER_COLUMNS,
    HOLDER_DOCUMENT,
    MESSAGES,
    Conn,
    Verification,
    holder,
    revocation_reason,
)
from services.errors import NotFound

ID1 = (85.60 * mm, 53.98 * mm)
CARD_TOKEN_TYPE = "asylum-card"
CARD_REFERENCE = re.compile(r"^[0-9a-f]{32}$")
NO_PHOTO = "Sin fotografía registrada"
QR_SIZE = 24 * mm
MARGIN = 2.5 * mm
PHOTO = (17 * mm, 21 * mm)
HEADER = 7.5 * mm
NAVY = (0.05, 0.16, 0.33)


@dataclass(frozen=True)
class CardData:
    card_number: str
    case_number: int
    given_names: str
    surnames: str
    birth_date: date | None
    nationality: str
    document: str  # in Spanish: type and number, or "Sin documento"
    office: str
    issue_date: date
    verification_url: str
    photo: bytes | None = None  # JPEG/PNG from the enrolment; a marked placeholder if None


def fit(
    text: str, width: float, font: str, size: float, smallest: float
) -> tuple[list[str], float]:
    """``text`` in at most two lines of ``width`` points: the biggest size down to
    ``smallest`` that fits on one line, else two lines at ``smallest`` (the second cut with
    an ellipsis if it still does not fit)."""
    current = size
    while current >= smallest:
        if stringWidth(text, font, current) <= width:
            return [text], current
        current -= 0.25
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, smallest) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    if stringWidth(lines[-1], font, smallest) > width:
        last = lines[-1]
        while last and stringWidth(last + "…", font, smallest) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines, smallest


def field(page: canvas.Canvas, x: float, y: float, width: float, label: str, value: str) -> float:
    """A small grey label over its value (fitted to ``width``); returns the next field's y."""
    page.setFont("Helvetica", 3.6)
    page.setFillColorRGB(0.3, 0.3, 0.3)
    page.drawString(x, y, label.upper())
    page.setFillColorRGB(0, 0, 0)
    lines, size = fit(value, width, "Helvetica-Bold", 5.8, 4.2)
    y -= 2.3 * mm
    for index, line in enumerate(lines):
        if index:
            y -= 2.0 * mm
        page.setFont("Helvetica-Bold", size)
        page.drawString(x, y, line)
    return float(y - 2.7 * mm)


def render_card(data: CardData) -> bytes:
    out = io.BytesIO()
    width, height = ID1
    page = canvas.Canvas(out, pagesize=ID1, pageCompression=1, lang="es-PE")
    page.setTitle(f"Carné de solicitante de refugio N.° {data.card_number}")
    page.setAuthor(AUTHOR)
    page.setSubject(f"qhub-card:{data.card_number}")
    page.setKeywords("carné, solicitante de refugio, CEPR, Perú")
    page.setCreator("Qoricancha Hub")
    # header band
    page.setFillColorRGB(*NAVY)
    page.rect(0, height - HEADER, width, HEADER, stroke=0, fill=1)
    page.setFillColorRGB(1, 1, 1)
    page.setFont("Helvetica-Bold", 5.6)
    page.drawString(
        MARGIN, height - 3.4 * mm, "REPÚBLICA DEL PERÚ · COMISIÓN ESPECIAL PARA LOS REFUGIADOS"
    )
    page.setFont("Helvetica", 5.2)
    page.drawString(MARGIN, height - 6.2 * mm, "Carné de solicitante de la condición de refugiado")
    page.setFillColorRGB(0, 0, 0)
    # photo, with the card's numbers and issue date under it
    px, py = MARGIN, height - HEADER - 1.5 * mm - PHOTO[1]
    if data.photo:
        page.drawImage(
            ImageReader(io.BytesIO(data.photo)),
            px,
            py,
            *PHOTO,
            preserveAspectRatio=True,
            anchor="c",
        )
    else:
        page.setFillColorRGB(0.93, 0.93, 0.93)
        page.rect(px, py, *PHOTO, stroke=0, fill=1)
        page.setFillColorRGB(0.25, 0.25, 0.25)
        page.setFont("Helvetica-Bold", 4.2)
        page.drawCentredString(px + PHOTO[0] / 2, py + PHOTO[1] / 2 + 1 * mm, "SIN FOTOGRAFÍA")
        page.setFont("Helvetica", 3.6)
        page.drawCentredString(px + PHOTO[0] / 2, py + PHOTO[1] / 2 - 1.5 * mm, "registrada")
        page.setFillColorRGB(0, 0, 0)
    page.setLineWidth(0.4)
    page.rect(px, py, *PHOTO)
    page.setFont("Helvetica-Bold", 5.2)
    page.drawString(px, py - 2.8 * mm, f"N.° {data.card_number}")
    page.setFont("Helvetica", 4.2)
    page.drawString(px, py - 5 * mm, f"Expediente {data.case_number}")
    field(page, px, py - 8 * mm, PHOTO[0] + 1 * mm, "Emisión", fecha(data.issue_date))
    # text column: from the photo to the QR's left edge, with a gap
    x = px + PHOTO[0] + 2.5 * mm
    column = width - MARGIN - QR_SIZE - 2 * mm - x
    half = (column - 1.5 * mm) / 2
    y = height - HEADER - 3 * mm
    y = field(page, x, y, column, "Apellidos", data.surnames)
    y = field(page, x, y, column, "Nombres", data.given_names)
    field(page, x + half + 1.5 * mm, y, half, "Nacionalidad", country_es(data.nationality))
    y = field(page, x, y, half, "Fecha de nacimiento", fecha(data.birth_date))
    y = field(page, x, y, column, "Documento de identidad", data.document)
    field(page, x, y, column, "Oficina emisora", data.office)
    # QR at the bottom right, with its caption
    qx, qy = width - MARGIN - QR_SIZE, 4.5 * mm
    draw_qr(page, data.verification_url, qx, qy, QR_SIZE)
    page.setFont("Helvetica", 3.8)
    page.drawCentredString(qx + QR_SIZE / 2, qy - 2 * mm, "Verifique con la cámara")
    footer = "Sin fecha de vencimiento: su validez se verifica con el código QR."
    if not data.photo:
        footer = f"{NO_PHOTO}. " + footer
    lines, size = fit(footer, width - 2 * MARGIN - QR_SIZE - 2 * mm, "Helvetica", 4, 3.6)
    fy = 2.2 * mm + (len(lines) - 1) * 1.6 * mm
    for line in lines:
        page.setFont("Helvetica", size)
        page.drawString(MARGIN, fy, line)
        fy -= 1.6 * mm
    page.showPage()
    page.save()
    return out.getvalue()


@dataclass(frozen=True)
class IssuedCard:
    id: str
    number: str
    case_number: int
    token: str
    verification_url: str
    pdf: bytes
    sha256: str


async def issue_card(
    conn: Conn,
    case_number: int,
    identity: SigningIdentity,
    sign_token: Callable[[dict[str, Any]], str],
    public_url: str,
    actor: str,
    photo: bytes | None = None,
    today: date | None = None,
) -> IssuedCard:
    """Render, sign and store the principal applicant's card with the photo of their
    biometric enrolment (or ``photo``); the previous active card of the person becomes
    ``replaced``. One transaction. The QR carries the card's random id, not a signed
    token (``sign_token`` is kept for callers; the card PDF itself is signed)."""
    today = today or date.today()
    cursor = await conn.execute(
        "SELECT c.id, c.number, p.id, p.given_names,"
        " trim(p.paternal_surname || ' ' || coalesce(p.maternal_surname, '')), p.birth_date,"
        " p.nationality, o.id, o.name, (SELECT count(*) FROM asylum_card a WHERE a.case_id = c.id),"
        " d.doc_type, d.number, b.photo"
        " FROM case_file c JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
        " JOIN person p ON p.id = m.person_id JOIN office o ON o.id = c.office_id"
        " LEFT JOIN LATERAL (SELECT doc_type, number FROM identity_document"
        "   WHERE person_id = p.id ORDER BY id LIMIT 1) d ON true"
        " LEFT JOIN biometric_enrolment b ON b.person_id = p.id"
        " WHERE c.number = %s",
        (case_number,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
    (case_id, number, person_id, given, surnames, born, nationality, office_id, office, count,
     doc_type, doc_number, enrolled_photo) = row  # fmt: skip
    card_id = uuid.uuid4().hex
    card_number = f"{number}-{count + 1}"
    url = f"{public_url}/v/{card_id}"
    picture = photo or (bytes(enrolled_photo) if enrolled_photo else None)
    data = CardData(
        card_number,
        number,
        given,
        surnames,
        born,
        nationality,
        document_es(doc_type, doc_number),
        office,
        today,
        url,
        picture,
    )
    pdf = await sign_pdf(render_card(data), identity, "Carné de solicitante de refugio")
    digest = sha256(pdf)
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO asylum_card (id, number, case_id, person_id, office_id, issued_on,"
            " issued_by, sha256, pdf) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (card_id, card_number, case_id, person_id, office_id, today, actor, digest, pdf),
        )
        await conn.execute(
            "UPDATE asylum_card SET status = 'replaced', replaced_by = %s"
            " WHERE person_id = %s AND status = 'active' AND id <> %s",
            (card_id, person_id, card_id),
        )
    return IssuedCard(card_id, card_number, number, card_id, url, pdf, digest)


async def revoke_card(conn: Conn, card_id: str, reason: str, actor: str = "") -> None:
    """Revoke a card with its reason (REASON_REQUIRED), kept with who and when."""
    text = revocation_reason(reason)
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE asylum_card SET status = 'revoked', revoked_reason = %s,"
            " revoked_at = now(), revoked_by = %s"
            " WHERE id = %s AND status = 'active' RETURNING id",
            (text, actor, card_id),
        )
        if await cursor.fetchone() is None:
            raise NotFound("No hay un carné activo con ese número.", "CARD_NOT_FOUND")


CARD_MESSAGES = {
    "valid": "La persona ha solicitado la condición de refugiado; el carné está VIGENTE.",
    "revoked": "Este carné fue REVOCADO y no es válido.",
    "replaced": "Este carné fue REEMPLAZADO por uno más reciente y no es válido.",
}


async def verify_card_claims(conn: Conn, claims: dict[str, Any]) -> Verification:
    """The card's current status (``claims["jti"]`` is its id, from a signed token or the
    short QR reference)."""
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(
            f"SELECT a.number, a.status, a.issued_on, {HOLDER_COLUMNS},"
            " a.revoked_at::date AS revoked_on, a.revoked_reason"
            " FROM asylum_card a JOIN person p ON p.id = a.person_id"
            + HOLDER_DOCUMENT
            + " WHERE a.id = %s",
            (claims["jti"],),
        )
        row = await cursor.fetchone()
    if row is None:
        return Verification("unknown", MESSAGES["unknown"])
    status = "valid" if row["status"] == "active" else row["status"]
    return Verification(
        status,
        CARD_MESSAGES[status],
        permit_id=row["number"],
        **holder(row),
        valid_from=row["issued_on"],
        valid_to=None,
        kind="card",
        number=row["number"],
        revoked_on=row["revoked_on"],
        revoked_reason=row["revoked_reason"],
    )


@dataclass(frozen=True)
class HeldCard:
    number: str
    issued_on: date
    status: str
    pdf: bytes


async def own_card(conn: Conn, person_id: int) -> HeldCard | None:
    """The person's most recent card (to download and print), if any."""
    async with conn.cursor(row_factory=kwargs_row(HeldCard)) as cursor:
        await cursor.execute(
            "SELECT number, issued_on, status, pdf FROM asylum_card WHERE person_id = %s"
            " ORDER BY issued_at DESC LIMIT 1",
            (person_id,),
        )
        held = await cursor.fetchone()
    # bytea arrives as memoryview or bytes depending on the connection's loaders
    return dataclasses.replace(held, pdf=bytes(held.pdf)) if held else None
