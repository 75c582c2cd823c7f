"""Issuing and verifying work permits."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row, kwargs_row

from models.vocab import PENDING_STATUSES
from services.documents.identity import SigningIdentity
from services.documents.permit import (
    PermitData,
    document_es,
    permit_number,
    render_permit,
    sha256,
    sign_pdf,
)
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.input_limits import REASON, require_text

TOKEN_TYPE = "work-permit"
VALIDITY_DAYS = 365
Conn = AsyncConnection[Any]


@dataclass(frozen=True)
class IssuedPermit:
    id: str
    case_number: int
    valid_from: date
    valid_to: date
    token: str
    verification_url: str
    pdf: bytes
    sha256: str


async def issue_permit(
    conn: Conn,
    case_number: int,
    identity: SigningIdentity,
    sign_token: Callable[[dict[str, Any]], str],
    public_url: str,
    actor: str,
    today: date | None = None,
) -> IssuedPermit:
    """Render, sign and store the principal applicant's work permit for a pending claim.

    Valid from the filing date to a year after issue; an earlier permit of the same person
    becomes ``replaced``. Runs in one transaction: nothing is stored if anything fails.
    """
    today = today or date.today()
    cursor = await conn.execute(
        "SELECT c.id, c.number, c.status, c.filing_date, p.id, p.given_names,"
        " p.paternal_surname, coalesce(p.maternal_surname, ''), p.birth_date,"
        " p.country_of_birth, p.nationality, p.entry_date, p.street, p.department,"
        " p.province, p.district, p.phone, p.email, d.doc_type, d.number, b.photo,"
        " (SELECT count(*) FROM work_permit w WHERE w.case_id = c.id)"
        " FROM case_file c JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
        " JOIN person p ON p.id = m.person_id"
        " LEFT JOIN LATERAL (SELECT doc_type, number FROM identity_document"
        "   WHERE person_id = p.id ORDER BY id LIMIT 1) d ON true"
        " LEFT JOIN biometric_enrolment b ON b.person_id = p.id"
        " WHERE c.number = %s",
        (case_number,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise NotFound(f"No existe el expediente {case_number}.", "CASE_NOT_FOUND")
    (
        case_id,
        number,
        status,
        filing,
        person_id,
        given,
        paternal,
        maternal,
        born,
        birth_country,
        nationality,
        entry,
        street,
        department,
        province,
        district,
        phone,
        email,
        doc_type,
        doc_number,
        photo,
        issued_before,
    ) = row
    if status not in PENDING_STATUSES:
        raise Conflict(
            "Solo se autoriza a trabajar a solicitantes con la solicitud en trámite "
            f"(el expediente {number} está en estado «{status}»).",
            "NOT_ELIGIBLE_FOR_PERMIT",
        )
    permit_id = uuid.uuid4().hex
    valid_to = today + timedelta(days=VALIDITY_DAYS)
    token = sign_token({"typ": TOKEN_TYPE, "jti": permit_id, "exp_date": valid_to.isoformat()})
    url = f"{public_url}/v/{token}"
    data = PermitData(
        permit_id,
        today,
        number,
        given,
        f"{paternal} {maternal}".strip(),
        born,
        birth_country,
        nationality,
        doc_type,
        doc_number,
        entry,
        street,
        department,
        province,
        district,
        phone,
        email,
        filing,
        valid_to,
        identity.signer_name,
        url,
        permit_number(number, issued_before + 1),
        bytes(photo) if photo else None,
    )
    pdf = await sign_pdf(render_permit(data), identity)
    digest = sha256(pdf)
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO work_permit (id, case_id, person_id, valid_from, valid_to, issued_by,"
            " sha256, pdf) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (permit_id, case_id, person_id, filing, valid_to, actor, digest, pdf),
        )
        await conn.execute(
            "UPDATE work_permit SET status = 'replaced', replaced_by = %s"
            " WHERE person_id = %s AND status = 'active' AND id <> %s",
            (permit_id, person_id, permit_id),
        )
    return IssuedPermit(permit_id, number, filing, valid_to, token, url, pdf, digest)


async def eligible_cases(conn: Conn, today: date | None = None) -> list[int]:
    """Case numbers with a pending claim whose principal holds no active, unexpired permit."""
    cursor = await conn.execute(
        "SELECT c.number FROM case_file c"
        " JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
        " WHERE c.status = ANY(%s) AND NOT EXISTS (SELECT 1 FROM work_permit w"
        "   WHERE w.person_id = m.person_id AND w.status = 'active' AND w.valid_to >= %s)"
        " ORDER BY c.number",
        ([str(s.value) for s in PENDING_STATUSES], today or date.today()),
    )
    return [number for (number,) in await cursor.fetchall()]


def revocation_reason(reason: str) -> str:
    """The reason of a revocation, required (REASON_REQUIRED when empty or blank)."""
    require_text(("reason",), reason, REASON)
    if not reason.strip():
        raise ValidationFailed(
            [FieldProblem(("reason",), "REASON_REQUIRED", "Indique el motivo de la revocación.")]
        )
    return reason.strip()


async def revoke_permit(conn: Conn, permit_id: str, reason: str, actor: str = "") -> None:
    """Revoke a permit, with its reason (kept with who and when): from now on its QR
    verifies as revoked, and the certificate of validity says when and why."""
    text = revocation_reason(reason)
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE work_permit SET status = 'revoked', revoked_reason = %s,"
            " revoked_at = now(), revoked_by = %s"
            " WHERE id = %s AND status = 'active' RETURNING id",
            (text, actor, permit_id),
        )
        if await cursor.fetchone() is None:
            raise NotFound("No hay una autorización vigente con ese número.", "PERMIT_NOT_FOUND")


@dataclass(frozen=True)
class Verification:
    """The certificate of validity (constancia de validez) a QR yields."""

    status: str  # valid | revoked | replaced | expired | unknown | invalid
    message: str
    permit_id: str | None = None
    given_names: str | None = None
    surnames: str | None = None
    birth_date: date | None = None
    country_of_birth: str | None = None
    nationality: str | None = None
    document: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    kind: str | None = None  # permit | card
    number: str | None = None  # the number printed on the document
    revoked_on: date | None = None
    revoked_reason: str | None = None


MESSAGES = {
    "valid": "La persona ha solicitado la condición de refugiado y está autorizada a trabajar.",
    "revoked": "Esta autorización de trabajo fue REVOCADA y no es válida.",
    "replaced": "Esta autorización fue REEMPLAZADA por una más reciente y no es válida.",
    "expired": "Esta autorización de trabajo está VENCIDA.",
    "unknown": "El documento no figura en los registros de la Comisión.",
    "invalid": "El código no es una autorización emitida por la Comisión (firma no válida).",
}


# The holder's facts a certificate of validity shows (``p`` the person, ``d`` the first
# identity document), read by ``holder``.
HOLDER_COLUMNS = (
    "p.given_names,"
    " trim(p.paternal_surname || ' ' || coalesce(p.maternal_surname, '')) AS surnames,"
    " p.birth_date, p.country_of_birth, p.nationality, d.doc_type, d.number AS doc_number"
)
HOLDER_DOCUMENT = (
    " LEFT JOIN LATERAL (SELECT doc_type, number FROM identity_document"
    "   WHERE person_id = p.id ORDER BY id LIMIT 1) d ON true"
)


def holder(row: dict[str, Any]) -> dict[str, Any]:
    """The Verification fields of the holder, from a row with ``HOLDER_COLUMNS``."""
    return {
        "given_names": row["given_names"],
        "surnames": row["surnames"],
        "birth_date": row["birth_date"],
        "country_of_birth": row["country_of_birth"],
        "nationality": row["nationality"],
        "document": document_es(row["doc_type"], row["doc_number"]),
    }


async def verify_permit_token(
    conn: Conn,
    token: str,
    verify_jws: Callable[[str], dict[str, Any]],
    today: date | None = None,
) -> Verification:
    """Check the token's signature offline, then the permit's current status online. A
    card's QR carries the card's random id instead of a signed token."""
    from services.documents.card import CARD_REFERENCE, verify_card_claims

    if CARD_REFERENCE.match(token):
        return await verify_card_claims(conn, {"jti": token})
    try:
        claims = verify_jws(token)
    except Exception:  # any signature or format problem: not one of ours
        return Verification("invalid", MESSAGES["invalid"])
    if not isinstance(claims.get("jti"), str):
        return Verification("invalid", MESSAGES["invalid"])
    if claims.get("typ") == "asylum-card":
        return await verify_card_claims(conn, claims)
    if claims.get("typ") != TOKEN_TYPE:
        return Verification("invalid", MESSAGES["invalid"])
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(
            f"SELECT w.id, w.status, w.valid_from, w.valid_to, {HOLDER_COLUMNS},"
            " c.number AS case_number,"
            " (SELECT count(*) FROM work_permit e WHERE e.case_id = w.case_id"
            "  AND e.issued_at <= w.issued_at) AS ordinal,"
            " w.revoked_at::date AS revoked_on, w.revoked_reason"
            " FROM work_permit w JOIN person p ON p.id = w.person_id"
            " JOIN case_file c ON c.id = w.case_id" + HOLDER_DOCUMENT + " WHERE w.id = %s",
            (claims["jti"],),
        )
        row = await cursor.fetchone()
    if row is None:
        return Verification("unknown", MESSAGES["unknown"])
    status = row["status"]
    if status == "active":
        status = "expired" if row["valid_to"] < (today or date.today()) else "valid"
    return Verification(
        status,
        MESSAGES[status],
        permit_id=row["id"],
        **holder(row),
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        kind="permit",
        number=permit_number(row["case_number"], row["ordinal"]),
        revoked_on=row["revoked_on"],
        revoked_reason=row["revoked_reason"],
    )


async def own_case_number(conn: Conn, person_id: int) -> int:
    """The pending case in which the person is the principal applicant."""
    pending = [s.value for s in PENDING_STATUSES]
    row = await (
        await conn.execute(
            "SELECT c.number FROM case_member m JOIN case_file c ON c.id = m.case_id"
            " WHERE m.person_id = %s AND m.relationship = 'principal' AND c.status = ANY(%s)"
            " ORDER BY c.filing_date DESC LIMIT 1",
            (person_id, pending),
        )
    ).fetchone()
    if row is None:
        raise NotFound("No tiene una solicitud en trámite a su nombre.", "NO_PENDING_CASE")
    (number,) = row
    return int(number)


@dataclass(frozen=True)
class HeldPermit:
    id: str
    valid_from: date
    valid_to: date
    status: str
    pdf: bytes


async def own_permit(conn: Conn, person_id: int) -> HeldPermit | None:
    """The person's most recent work permit (to download), if any."""
    async with conn.cursor(row_factory=kwargs_row(HeldPermit)) as cursor:
        await cursor.execute(
            "SELECT id, valid_from, valid_to, status, pdf FROM work_permit WHERE person_id = %s"
            " ORDER BY issued_at DESC LIMIT 1",
            (person_id,),
        )
        held = await cursor.fetchone()
    # bytea arrives as memoryview or bytes depending on the connection's loaders
    return dataclasses.replace(held, pdf=bytes(held.pdf)) if held else None
