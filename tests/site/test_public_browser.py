"""What anyone sees without logging in, in a real browser (Debian Chromium, Playwright):
a visitor reads the observatory (a chart and its table per dimension, why cells are
hidden, the date of the data) and downloads a CSV; a phone (375x812) opens the
certificate of validity of a valid card, a revoked permit and a forged code. axe-core
finds no violation; nothing scrolls sideways; screenshots go to docs/."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases
from tests.graphql_client import gql
from tests.site.browser import PHONE, SIZES, browser, check_page, needs_chromium

pytestmark = needs_chromium
GREEN, RED = "rgb(10, 107, 45)", "rgb(161, 14, 14)"


@pytest.fixture(scope="module")
async def documents(engine: AsyncEngine, live_hub: LiveHub) -> dict[str, str]:
    """Forty cases (so the statistics publish some cells), a card and a revoked permit."""
    cases = await make_cases(engine, 40, status="under_review", family_size=2)
    secretary = mint("cepr-secretary", office="LIM")
    card = gql(
        live_hub,
        secretary,
        "mutation($n: Int!) { issueAsylumCard(caseNumber: $n) { verificationUrl } }",
        n=cases[0].number,
    )["data"]["issueAsylumCard"]
    permit = gql(
        live_hub,
        secretary,
        "mutation($n: Int!) { issueWorkPermit(caseNumber: $n) { id verificationUrl } }",
        n=cases[1].number,
    )["data"]["issueWorkPermit"]
    revoked = gql(
        live_hub,
        secretary,
        'mutation($id: ID!) { revokeWorkPermit(id: $id, reason: "prueba") }',
        id=permit["id"],
    )
    assert revoked["data"] == {"revokeWorkPermit": True}
    head, body, signature = permit["verificationUrl"].rsplit("/", 1)[1].split(".")
    return {
        "valid": card["verificationUrl"].rsplit("/", 1)[1],
        "revoked": permit["verificationUrl"].rsplit("/", 1)[1],
        # the revoked permit's token with its claims changed: the signature no longer fits
        "forged": f"{head}.{body[:-4]}AAAA.{signature}",
    }


def verdict(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => { const v = document.querySelector('.veredicto');
        const icon = v.querySelector('svg').getBoundingClientRect();
        return {status: v.dataset.status, word: v.querySelector('.palabra').textContent,
                colour: getComputedStyle(v).backgroundColor, icon: Math.round(icon.width)}; }"""
    )
    return result


@pytest.mark.parametrize(
    ("kind", "status", "word", "colour"),
    [
        ("valid", "valid", "VÁLIDO", GREEN),
        ("revoked", "revoked", "NO VÁLIDO", RED),
        ("forged", "invalid", "NO VÁLIDO", RED),
    ],
)
def test_a_phone_opens_the_certificate_of_validity(
    kind: str, status: str, word: str, colour: str, live_hub: LiveHub, documents: dict[str, str]
) -> None:
    with browser(PHONE) as page:
        # when a phone opens what the QR says
        response = page.goto(f"{live_hub.url}/v/{documents[kind]}")
        assert response is not None
        assert response.status == (404 if kind == "forged" else 200)
        # then the verdict is unmistakable: a big icon, the word, the colour
        assert verdict(page) == {"status": status, "word": word, "colour": colour, "icon": 64}
        text = page.inner_text("main")
        assert "national_id" not in text and "passport" not in text
        if kind == "valid":
            assert "Carné de solicitante de refugio" in text
            assert "Documento nacional de identidad N.° T" in text
            assert "vigente; emitido el" in text
        if kind == "revoked":
            assert "NO VÁLIDO: revocado" in text and "válida desde" not in text
            assert "Autorización de trabajo" in text
        assert "(hora de Lima, America/Lima, UTC-05:00)" in text
        check_page(page, f"verificacion-{kind}", "telefono")


def test_a_visitor_reads_the_observatory_and_downloads_a_csv(
    live_hub: LiveHub, documents: dict[str, str], tmp_path: Path
) -> None:
    for size, viewport in SIZES.items():
        with browser(viewport) as page:
            page.goto(f"{live_hub.url}/")
            page.get_by_role("link", name="Estadísticas", exact=True).click()
            page.get_by_role("heading", name="Observatorio de refugio").wait_for()
            page.locator("section.estadistica").nth(5).wait_for()
            main = page.inner_text("main")
            # every chart has its table with its accuracy, and the page says why the
            # numbers are approximate, the privacy budget, and when
            assert page.locator("svg.grafico[role=img]").count() == 6
            assert page.locator("section.estadistica table").count() == 6
            assert "Cifras aproximadas, para que nadie pueda ser identificado" in main
            assert "Presupuesto de privacidad publicado: ρ = 0.5 por edición" in main
            assert main.count("Precisión de esta tabla: cada cifra puede tener hasta") == 6
            assert "oculto*" not in main
            assert "Datos al " in main and "edición N.° " in main
            # nationalities by their Spanish names; with few persons (the release of the
            # test database) Venezuela's noisy count may not reach its own row
            assert "Venezuela" in main or "Otras nacionalidades" in main
            check_page(page, "observatorio", size)
            # the CSV of the first table downloads as the API publishes it
            with page.expect_download() as download:
                page.get_by_role("link", name="Descargar esta tabla (CSV)").first.click()
            saved = tmp_path / f"{size}.csv"
            download.value.save_as(saved)
            rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
            assert download.value.suggested_filename == "estadisticas-sex-status.csv"
            assert rows[0][:2] == ["sex", "status"]
            assert any(r[0] == "TOTAL" and r[1] == "TOTAL" for r in rows[1:])


def test_the_verify_page_takes_a_code_or_an_address(
    live_hub: LiveHub, documents: dict[str, str]
) -> None:
    with browser(PHONE) as page:
        page.goto(f"{live_hub.url}/verificar")
        check_page(page, "verificar", "telefono")
        page.fill("#codigo", f"http://cualquier.sitio/v/{documents['valid']}")
        page.get_by_role("button", name="Verificar").click()
        page.wait_for_url(f"**/v/{documents['valid']}")
        assert verdict(page)["status"] == "valid"
