"""The applicants' site in a real browser (Debian Chromium driven by Playwright), on a
phone (375x812) and a desktop: a person pre-registers with a dependant (Spanish errors
under the fields first), activates the account, logs in, books a remote appointment,
downloads and renews the work permit (told first what happens to the old one), and sees
who read their data. axe-core finds no violation on any page; screenshots go to docs/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.graphql_client import gql
from tests.hub.test_pre_registration import MUTATION as PRE_REGISTER
from tests.hub.test_pre_registration import submission as pre_registration_payload
from tests.site.browser import SIZES, browser, check_page, needs_chromium

pytestmark = needs_chromium
PASSWORD = "Quebrada-del-sol-24"
VERIFY = "query($t: String!) { verifyDocument(token: $t) { status } }"


@pytest.fixture(scope="module")
async def open_slots(engine: AsyncEngine) -> None:
    """Remote registration interviews at Lima in the coming days."""
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO appointment_slot (office_id, starts_at, mode, purpose, capacity)"
                " SELECT id, :t, 'remote', 'registration_interview', 5 FROM office"
                " WHERE code = 'LIM'"
            ),
            [{"t": start + timedelta(hours=h)} for h in (14, 15, 16)],
        )


def verified(hub: LiveHub, token: str) -> str:
    """What anyone scanning the QR is told (no login)."""
    body = httpx.post(f"{hub.url}/graphql", json={"query": VERIFY, "variables": {"t": token}})
    status: str = body.json()["data"]["verifyDocument"]["status"]
    return status


def fill_person(page: Any, prefix: str, person: dict[str, str]) -> None:
    for key, value in person.items():
        selector = f'[id="{prefix}.{key}"]'
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def pre_register(page: Any, hub: LiveHub, document: str, size: str) -> tuple[int, str, str]:
    page.goto(f"{hub.url}/")
    check_page(page, "inicio", size)
    page.get_by_role("link", name=re.compile("Iniciar un prerregistro")).click()
    page.wait_for_selector('[id="input.applicant.givenNames"]')
    fill_person(
        page,
        "input.applicant",
        {
            "givenNames": "Yusmary Alejandra",
            "paternalSurname": "Colmenares",
            "maternalSurname": "Rivas",
            "sex": "FEMALE",
            "birthDate": "1990-06-15",
            "nationality": "Venezuela",
            "document.type": "NATIONAL_ID",
            "document.number": document,
            "document.issuingCountry": "Venezuela",
        },
    )
    page.fill('[id="input.phone"]', "987 654 321")
    page.fill('[id="input.email"]', "no-es-un-correo")
    page.get_by_role("button", name="Agregar un familiar que viaja con usted").click()
    fill_person(
        page,
        "input.dependants.0",
        {
            "relationship": "CHILD",
            "givenNames": "Santiago",
            "paternalSurname": "Colmenares",
            "sex": "MALE",
            "birthDate": "2016-02-03",
            "nationality": "Venezuela",
        },
    )
    check_page(page, "prerregistro", size)
    # a wrong e-mail: the API's Spanish problem is shown under the field
    page.get_by_role("button", name="Enviar prerregistro").click()
    error = page.locator('[id="input.email-error"]')
    error.wait_for()
    assert error.inner_text() == "El correo electrónico no es válido."
    assert page.locator('[id="input.email"]').get_attribute("aria-invalid") == "true"
    check_page(page, "prerregistro-errores", size)
    email = f"yusmary.{document}@correo.pe"
    page.fill('[id="input.email"]', email)
    page.get_by_role("button", name="Enviar prerregistro").click()
    page.get_by_role("heading", name="Prerregistro recibido").wait_for()
    number = int(page.locator("[data-expediente]").inner_text())
    login = page.locator("[data-usuario]").inner_text()
    code = page.locator("[data-codigo]").inner_text()
    assert login == email and code
    assert "Próximos horarios para la entrevista de registro" in page.inner_text("main")
    assert "Remota, por videollamada" in page.inner_text("main")
    check_page(page, "prerregistro-confirmacion", size)
    return number, login, code


def members(database_url: str, number: int) -> list[tuple[str, str]]:
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.relationship, p.given_names FROM case_member m"
                " JOIN case_file c ON c.id = m.case_id JOIN person p ON p.id = m.person_id"
                " WHERE c.number = :n ORDER BY m.relationship DESC"
            ),
            {"n": number},
        ).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


@pytest.mark.parametrize("size", list(SIZES))
def test_an_applicant_does_everything_online(
    size: str, live_hub: LiveHub, database_url: str, open_slots: None, tmp_path: Path
) -> None:
    document = "81000001" if size == "telefono" else "81000002"
    with browser(SIZES[size]) as page:
        # pre-registration with a dependant
        number, login, code = pre_register(page, live_hub, document, size)
        assert members(database_url, number) == [
            ("principal", "Yusmary Alejandra"),
            ("child", "Santiago"),
        ]
        # activation with the code
        page.get_by_role("link", name="Activar mi cuenta ahora").click()
        page.wait_for_selector("#code")
        assert page.input_value("#login") == login
        page.fill("#code", code)
        page.fill("#password", "corta")
        page.fill("#password2", "corta")
        page.get_by_role("button", name="Activar mi cuenta").click()
        page.locator("#password-error").wait_for()
        assert "al menos 10 caracteres" in page.inner_text("#password-error")
        check_page(page, "activar", size)
        page.fill("#password", PASSWORD)
        page.fill("#password2", PASSWORD)
        page.get_by_role("button", name="Activar mi cuenta").click()
        page.get_by_role("heading", name="Cuenta activada").wait_for()
        # log in
        page.get_by_role("link", name="Ingresar", exact=True).last.click()
        page.wait_for_selector("#username")
        check_page(page, "ingresar", size)
        page.fill("#username", login)
        page.fill("#pass", PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        page.get_by_role("heading", name="Mi caso", exact=True).wait_for()
        assert page.inner_text("[data-estado]") == "Prerregistro recibido"
        assert f"Expediente N.° {number}" in page.inner_text("main")
        # book a remote registration interview
        page.get_by_role("button", name="Reservar una cita").click()
        page.locator("input[name=horario]").first.wait_for()
        check_page(page, "reservar-cita", size)
        page.locator("input[name=horario]").first.check()
        page.get_by_role("button", name="Confirmar la reserva").click()
        page.get_by_text(re.compile("Cita reservada:")).wait_for()
        assert page.inner_text("[data-estado]") == "Cita reservada"
        assert "Enlace de la videollamada" in page.inner_text("main")
        check_page(page, "mi-caso", size)
        # the commission issues a permit; the applicant downloads it
        secretary = mint("cepr-secretary", office="LIM")
        issued = gql(
            live_hub,
            secretary,
            "mutation($n: Int!) { issueWorkPermit(caseNumber: $n) { verificationUrl } }",
            n=number,
        )["data"]["issueWorkPermit"]
        old_token = issued["verificationUrl"].rsplit("/", 1)[1]
        page.reload()
        page.get_by_role("button", name="Descargar mi autorización (PDF)").wait_for()
        with page.expect_download() as first:
            page.get_by_role("button", name="Descargar mi autorización (PDF)").click()
        saved = tmp_path / "permiso.pdf"
        first.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF")
        # renewal: told what happens to the old permit before confirming
        page.get_by_role("button", name="Renovar en línea").click()
        warning = page.locator("#renovacion").inner_text()
        assert "quedará REEMPLAZADA" in warning and "NO VÁLIDO: reemplazado" in warning
        check_page(page, "renovar", size)
        assert verified(live_hub, old_token) == "valid"
        page.check("#entiendo")
        with page.expect_download() as renewed:
            page.get_by_role("button", name="Confirmar la renovación").click()
        renewed.value.save_as(tmp_path / "renovado.pdf")
        page.get_by_text(re.compile("Autorización renovada")).wait_for()
        assert verified(live_hub, old_token) == "replaced"
        # the card the commission printed, downloaded from home
        gql(
            live_hub,
            secretary,
            "mutation($n: Int!) { issueAsylumCard(caseNumber: $n) { number } }",
            n=number,
        )
        page.reload()
        with page.expect_download() as card:
            page.get_by_role("button", name="Descargar mi carné (PDF)").click()
        assert card.value.suggested_filename == f"carne-{number}-1.pdf"
        card.value.save_as(tmp_path / "carne.pdf")
        assert (tmp_path / "carne.pdf").read_bytes().startswith(b"%PDF")
        # a correction of the contact data: a wrong phone is refused under its field
        page.get_by_role("button", name="Corregir mis datos de contacto").click()
        page.fill('[id="input.phone"]', "12")
        page.get_by_role("button", name="Guardar la corrección").click()
        page.locator('[id="input.phone-error"]').wait_for()
        assert page.inner_text('[id="input.phone-error"]') == "El teléfono no es un número válido."
        check_page(page, "corregir-contacto", size)
        page.fill('[id="input.phone"]', "912 345 678")
        page.fill('[id="input.district"]', "Surquillo")
        page.get_by_role("button", name="Guardar la corrección").click()
        page.get_by_text("Sus datos de contacto fueron corregidos.").wait_for()
        assert "+51912345678" in page.inner_text("main") and "Surquillo" in page.inner_text("main")
        # the Migration Office checks the person; the person sees it in plain Spanish
        migraciones = mint("migraciones", purpose="deportation-protection")
        checked = httpx.post(
            f"{live_hub.url}/graphql",
            json={
                "query": "query($d: DocumentInput!) { protectionStatus(document: $d) { found } }",
                "variables": {
                    "d": {"type": "NATIONAL_ID", "number": document, "issuingCountry": "VE"}
                },
            },
            headers={
                "Authorization": f"Bearer {migraciones}",
                "X-Purpose": "deportation-protection",
            },
        ).json()
        assert checked["data"] == {"protectionStatus": {"found": True}}
        page.get_by_role("link", name="Ver quién consultó mis datos").click()
        page.get_by_role("heading", name="Quién consultó mis datos").wait_for()
        reads = page.inner_text("main")
        assert "Superintendencia Nacional de Migraciones" in reads
        assert "Comprobar que está protegido/a frente a la expulsión" in reads
        assert "deportation-protection" not in reads and "migraciones\n" not in reads
        check_page(page, "quien-leyo", size)


def read_reset_code(database_url: str, login: str) -> str:
    """The code the commission's mail gateway would deliver (the newest message)."""
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        body = conn.execute(
            text(
                "SELECT m.body FROM applicant_message m JOIN applicant_account a"
                " ON a.person_id = m.person_id WHERE a.login = :l ORDER BY m.id DESC LIMIT 1"
            ),
            {"l": login},
        ).scalar_one()
    engine.dispose()
    found = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", body)
    assert found is not None, body
    return found.group(1)


def test_a_forgotten_password_is_replaced_with_a_code(live_hub: LiveHub, database_url: str) -> None:
    # given an activated account
    data = pre_registration_payload("81000003")
    body = httpx.post(
        f"{live_hub.url}/graphql", json={"query": PRE_REGISTER, "variables": {"input": data}}
    ).json()["data"]["preRegister"]
    login = body["activationLogin"]
    activated = httpx.post(
        f"{live_hub.url}/account/activate",
        json={"login": login, "code": body["activationCode"], "password": PASSWORD},
    )
    assert activated.status_code == 200
    with browser(SIZES["telefono"]) as page:
        # when the person asks for a code from the login page
        page.goto(f"{live_hub.url}/ingresar")
        page.get_by_role("link", name="Olvidé mi contraseña").click()
        page.wait_for_selector("#login")
        page.fill("#login", login)
        page.get_by_role("button", name="Enviarme un código").click()
        page.wait_for_selector("#code")
        check_page(page, "recuperar", "telefono")
        # and types the code from the message, in lower case
        page.fill("#code", read_reset_code(database_url, login).lower())
        page.fill("#password", "Otra-clave-segura-8")
        page.fill("#password2", "Otra-clave-segura-8")
        page.get_by_role("button", name="Cambiar la contraseña").click()
        page.get_by_role("heading", name="Contraseña cambiada").wait_for()
        # then the new password opens the case
        page.get_by_role("link", name="Ingresar", exact=True).last.click()
        page.fill("#username", login)
        page.fill("#pass", "Otra-clave-segura-8")
        page.get_by_role("button", name="Ingresar").click()
        page.get_by_role("heading", name="Mi caso", exact=True).wait_for()
