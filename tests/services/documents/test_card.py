"""The card in a stranger's hands, checked by tools nobody here wrote: poppler's pdfinfo
(ID-1 page, metadata), pdftotext (every item a police officer needs), pdfsig (signature
valid and trusted), zbar on a 150 dpi render (the QR is the issued URL); the office name
never reaches the QR; the enrolment photo is printed, and a card without one says so."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import psycopg
from PIL import Image
from reportlab.lib.units import mm
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.keys import KeyStore
from hub.readpool import libpq_url
from services.documents.card import (
    ID1,
    MARGIN,
    NO_PHOTO,
    PHOTO,
    QR_SIZE,
    CardData,
    fit,
    issue_card,
    render_card,
    revoke_card,
)
from services.documents.identity import load_identity
from services.documents.service import verify_permit_token
from tests.factories import make_cases

BORDER_POST = "Puesto fronterizo CEBAF Tumbes (frontera norte)"


def jpeg(colour: tuple[int, int, int] = (180, 60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 300), colour).save(out, format="JPEG")
    return out.getvalue()


def tool(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def qr_at_150_dpi(pdf: Path, folder: Path) -> str:
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(folder / "render")],
        check=True,
    )
    return subprocess.run(
        ["zbarimg", "--raw", "-q", str(folder / "render.png")], capture_output=True, text=True
    ).stdout.strip()


def nss_trusting(ca_pem: bytes, folder: Path) -> str:
    nss = folder / "nss"
    nss.mkdir(exist_ok=True)
    (folder / "ca.pem").write_bytes(ca_pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-n", "cepr-ca", "-t", "CT,C,C", "-i", str(folder / "ca.pem"),
         "-d", f"sql:{nss}"],
        check=True,
    )  # fmt: skip
    return f"sql:{nss}"


def test_the_longest_office_name_stays_left_of_the_qr() -> None:
    # given the text column of the card (photo to QR)
    column = ID1[0] - MARGIN - QR_SIZE - 2 * mm - (MARGIN + PHOTO[0] + 2.5 * mm)
    # when the border post's name is fitted
    lines, size = fit(BORDER_POST, column, "Helvetica-Bold", 6, 4.4)
    # then it is whole, on at most two lines, each within the column
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert " ".join(lines) == BORDER_POST and len(lines) <= 2
    assert all(stringWidth(line, "Helvetica-Bold", size) <= column for line in lines)


def test_text_never_enters_the_qr_area(tmp_path: Path) -> None:
    # given a card of the border post with a long name and document
    pdf = tmp_path / "carne.pdf"
    pdf.write_bytes(
        render_card(
            CardData(
                "106420-1", 106420, "María José Antonieta", "Pérez Gómez de la Torre",
                date(1990, 3, 4), "VE", "Documento nacional de identidad N.° V-12345678",
                BORDER_POST, date(2026, 11, 22), "http://127.0.0.1:8000/v/" + "a" * 32, jpeg(),
            )
        )
    )  # fmt: skip
    # when poppler lays out the words with their boxes
    html = tool("pdftotext", "-bbox", str(pdf), "-")
    import re

    qr_left = ID1[0] - MARGIN - QR_SIZE  # points; pdftotext's y grows downwards
    qr_top, qr_bottom = ID1[1] - (4.5 * mm + QR_SIZE), ID1[1] - 4.5 * mm
    boxes = [
        (float(x0), float(y0), float(x1), float(y1), word)
        for x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html
        )
    ]
    assert len(boxes) > 30
    # then no word's box touches the QR's square (with 1 mm around it)
    touching = [
        word
        for x0, y0, x1, y1, word in boxes
        if x1 > qr_left - 1 * mm and y1 > qr_top - 1 * mm and y0 < qr_bottom + 1 * mm
    ]
    assert touching == [], touching
    assert "Tumbes (frontera norte)" in tool("pdftotext", str(pdf), "-").replace("\n", " ")


async def test_an_issued_card_holds_up_with_independent_tools(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    # given a case of the border post whose principal was enrolled with a photo
    case = (await make_cases(engine, 1, status="registered", office_code="CEBAF"))[0]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO biometric_enrolment (person_id, matcher, template_ref, enrolled_by,"
                " photo) VALUES (:p, 'local-simhash', :r, 'prueba', :f)"
            ),
            {"p": case.person_ids[0], "r": f"ref-{case.number}", "f": jpeg()},
        )
    identity = load_identity(tmp_path / "signing")
    keys = KeyStore.open(tmp_path / "keys")
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        # when the card is issued
        card = await issue_card(
            conn, case.number, identity, keys.sign_jws, "http://127.0.0.1:8000", "prueba"
        )
    pdf = tmp_path / "carne.pdf"
    pdf.write_bytes(card.pdf)
    # then the QR is short and decodes from a 150 dpi render to the issued URL
    assert len(card.verification_url) == len("http://127.0.0.1:8000/v/") + 32
    assert qr_at_150_dpi(pdf, tmp_path) == card.verification_url
    # the signature is valid and trusted for pdfsig
    out = tool("pdfsig", "-nssdir", nss_trusting(identity.ca_pem, tmp_path), str(pdf))
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    # the metadata is in order
    info = tool("pdfinfo", str(pdf))
    assert f"Title:           Carné de solicitante de refugio N.° {card.number}" in info
    assert "Author:          Comisión Especial para los Refugiados" in info
    assert "Page size:       242.646 x 153.014 pts" in info
    catalog = tool("pdfinfo", "-meta", str(pdf)) + pdf.read_bytes().decode("latin-1")
    assert "/Lang (es-PE)" in catalog
    # every item a police officer matches the holder with is printed
    words = " ".join(tool("pdftotext", str(pdf), "-").split())
    for item in (
        f"N.° {card.number}",
        f"Expediente {case.number}",
        "Pérez González",
        "Persona",
        "Venezuela",
        "Documento nacional de identidad N.° T",
        "Puesto fronterizo CEBAF Tumbes (frontera norte)",
        "FECHA DE NACIMIENTO",
        "Sin fecha de vencimiento",
    ):
        assert item in words, (item, words)
    assert NO_PHOTO not in words
    # and the photo is on the page (an image XObject)
    assert "1 " in tool("pdfimages", "-list", str(pdf)).splitlines()[-1]


async def test_a_card_without_enrolment_photo_says_so(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    case = (await make_cases(engine, 1, status="registered"))[0]
    identity = load_identity(tmp_path / "signing")
    keys = KeyStore.open(tmp_path / "keys")
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        card = await issue_card(conn, case.number, identity, keys.sign_jws, "https://h", "t")
    pdf = tmp_path / "carne.pdf"
    pdf.write_bytes(card.pdf)
    words = " ".join(tool("pdftotext", str(pdf), "-").split())
    assert "SIN FOTOGRAFÍA" in words and NO_PHOTO in words


async def test_card_lifecycle_valid_replaced_revoked(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    # given a case and the signing identity and keys
    case = (await make_cases(engine, 1, status="registered"))[0]
    identity = load_identity(tmp_path / "signing")
    keys = KeyStore.open(tmp_path / "keys")
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        first = await issue_card(conn, case.number, identity, keys.sign_jws, "https://h", "test")
        valid = await verify_permit_token(conn, first.token, keys.verify_jws)
        assert (valid.status, valid.kind, valid.number) == ("valid", "card", f"{case.number}-1")
        assert valid.document is not None and valid.document.startswith(
            "Documento nacional de identidad N.° "
        )
        # when a new card is printed, the first verifies as replaced
        second = await issue_card(conn, case.number, identity, keys.sign_jws, "https://h", "test")
        old = await verify_permit_token(conn, first.token, keys.verify_jws)
        assert (old.status, old.valid_to) == ("replaced", None)
        assert second.number == f"{case.number}-2"
        # when the second is revoked, the next verification says revoked
        await revoke_card(conn, second.id, "prueba")
        again = await verify_permit_token(conn, second.token, keys.verify_jws)
        assert again.status == "revoked" and "REVOCADO" in again.message
        # a made-up reference of the same shape is unknown
        forged = await verify_permit_token(conn, "0" * 32, keys.verify_jws)
        assert forged.status == "unknown"


async def test_enrolment_keeps_the_photo_the_card_prints(
    database_url: str, engine: AsyncEngine
) -> None:
    from auth.principal import Principal
    from models.vocab import Agency, Role
    from services.casework.biometrics import LocalMatcher, enrol
    from services.errors import ValidationFailed

    case = (await make_cases(engine, 1, status="registered"))[0]
    registrar = Principal(Role.CEPR_REGISTRAR, Agency.CEPR, "officer:r", office_code="LIM")
    async with await psycopg.AsyncConnection.connect(
        libpq_url(database_url), autocommit=True
    ) as conn:
        # a photo that is not an image is refused, and nothing is enrolled
        try:
            await enrol(conn, registrar, LocalMatcher(), case.person_ids[0], b"t" * 64, b"GIF89a")
            raise AssertionError("a GIF was accepted")
        except ValidationFailed as exc:
            assert [(p.path, p.code) for p in exc.problems] == [(("photo",), "INVALID_PHOTO")]
        # a JPEG is kept with the enrolment
        photo = jpeg((10, 120, 200))
        await enrol(conn, registrar, LocalMatcher(), case.person_ids[0], b"t" * 64, photo)
        row = await (
            await conn.execute(
                "SELECT photo FROM biometric_enrolment WHERE person_id = %s",
                (case.person_ids[0],),
            )
        ).fetchone()
    assert row is not None and bytes(row[0]) == photo


def test_offline_verification_sends_a_card_reference_online() -> None:
    from services.documents.offline import verify_input

    def no_key(token: str) -> dict[str, object]:
        raise AssertionError("a card reference is not a signed token")

    result = verify_input("https://hub.example/v/" + "3f" * 16, no_key)
    assert (result.ok, result.code) == (False, "ONLINE_ONLY")
    assert "en línea" in result.message
