"""The card renders on an ID-1 page, says it has no expiry, and its QR (decoded by zbar
from poppler's rendering) is the verification URL."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

from PIL import Image

from services.documents.card import CardData, render_card


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
