"""The card renders on an ID-1 page, says it has no expiry, and its QR (decoded by zbar
from poppler's rendering) is the verification URL."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import psycopg
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.keys import KeyStore
from hub.readpool import libpq_url
from services.documents.card import CardData, issue_card, render_card, revoke_card
from services.documents.identity import load_identity
from services.documents.service import verify_permit_token
from tests.factories import make_cases


def test_card_is_id1_with_a_readable_qr_and_no_expiry(tmp_path: Path) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (220, 280), (180, 160, 140)).save(photo, format="JPEG")
    url = "https://hub.example/v/" + "t" * 200
    pdf = render_card(
        CardData(
            "C-106420-1",
            106420,
            "María José",
            "Pérez Gómez",
            "VE",
            "CEPR Lima",
            date(2026, 11, 22),
            url,
            photo.getvalue(),
        )
    )
    path = tmp_path / "carne.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Page size:       242.646 x 153.014 pts" in info, info  # 85.60 x 53.98 mm
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Sin fecha de vencimiento" in text and "106420" in text and "Venezuela" in text
    assert "vence" not in text.lower().replace("vencimiento", "")
    subprocess.run(
        ["pdftoppm", "-r", "600", "-png", "-singlefile", str(path), str(tmp_path / "c")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "c.png")], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == url


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
        first = await issue_card(
            conn, case.number, identity, lambda c: keys.sign_jws(c), "https://h", "test"
        )
        assert (await verify_permit_token(conn, first.token, keys.verify_jws)).status == "valid"
        # when a new card is printed, the first verifies as replaced
        second = await issue_card(
            conn, case.number, identity, lambda c: keys.sign_jws(c), "https://h", "test"
        )
        old = await verify_permit_token(conn, first.token, keys.verify_jws)
        assert (old.status, old.valid_to) == ("replaced", None)
        assert second.number == f"{case.number}-2"
        # when the second is revoked, the next verification says revoked
        await revoke_card(conn, second.id, "prueba")
        again = await verify_permit_token(conn, second.token, keys.verify_jws)
        assert again.status == "revoked" and "REVOCADO" in again.message
