"""The asylum-seeker card (carné de solicitante): an ID-1 (85.60 x 53.98 mm) PDF with a photo
slot, case number, names, nationality, issuing office, issue date, a QR and **no expiry date**:
the QR tells whether the card is still valid (revoked and replaced cards verify as such)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from services.documents.identity import SigningIdentity
from services.documents.permit import country_es, draw_qr, fecha, sha256, sign_pdf
from services.documents.service import MESSAGES, Conn, Verification
from services.errors import NotFound

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
    """Render, sign and store the principal applicant's card; the previous active card of the
    person becomes ``replaced``. One transaction."""
    today = today or date.today()
    cursor = await conn.execute(
        "SELECT c.id, c.number, p.id, p.given_names,"
        " trim(p.paternal_surname || ' ' || coalesce(p.maternal_surname, '')), p.nationality,"
        " o.id, o.name, (SELECT count(*) FROM asylum_card a WHERE a.case_id = c.id)"
        " FROM case_file c JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
        " JOIN person p ON p.id = m.person_id JOIN office o ON o.id = c.office_id"
        " WHERE c.number = %s",
        (case_number,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
    case_id, number, person_id, given, surnames, nationality, office_id, office, count = row
    card_id = uuid.uuid4().hex
    card_number = f"{number}-{count + 1}"
    token = sign_token({"typ": CARD_TOKEN_TYPE, "jti": card_id})
    url = f"{public_url}/v/{token}"
    data = CardData(card_number, number, given, surnames, nationality, office, today, url, photo)
    pdf = await sign_pdf(render_card(data), identity)
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
    return IssuedCard(card_id, card_number, number, token, url, pdf, digest)


async def revoke_card(conn: Conn, card_id: str, reason: str) -> None:
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE asylum_card SET status = 'revoked', revoked_reason = %s"
            " WHERE id = %s AND status = 'active' RETURNING id",
            (reason, card_id),
        )
        if await cursor.fetchone() is None:
            raise NotFound("No hay un carné activo con ese número.", "CARD_NOT_FOUND")


CARD_MESSAGES = {
    "valid": "La persona ha solicitado la condición de refugiado; el carné está VIGENTE.",
    "revoked": "Este carné fue REVOCADO y no es válido.",
    "replaced": "Este carné fue REEMPLAZADO por uno más reciente y no es válido.",
}


async def verify_card_claims(conn: Conn, claims: dict[str, Any]) -> Verification:
    cursor = await conn.execute(
        "SELECT a.number, a.status, a.issued_on, p.given_names,"
        " trim(p.paternal_surname || ' ' || coalesce(p.maternal_surname, '')), p.birth_date,"
        " p.country_of_birth, p.nationality,"
        " (SELECT doc_type || ' ' || number FROM identity_document d WHERE d.person_id = p.id"
        "  ORDER BY id LIMIT 1)"
        " FROM asylum_card a JOIN person p ON p.id = a.person_id WHERE a.id = %s",
        (claims["jti"],),
    )
    row = await cursor.fetchone()
    if row is None:
        return Verification("unknown", MESSAGES["unknown"])
    status = "valid" if row[1] == "active" else row[1]
    return Verification(
        status,
        CARD_MESSAGES[status],
        row[0],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[2],
        None,
    )
