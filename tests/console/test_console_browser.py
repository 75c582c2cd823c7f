"""The officers' console in a real browser (Debian Chromium, headless, driven by Playwright).

An officer logs in with username and password through ``/oauth/token``, sees the case
list, opens a case and sees its family and UNHCR needs. The page talks only to the hub.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.oauth import hash_secret
from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import MadeCase, make_cases
from tests.graphql_client import gql

QHUB = str(Path(sys.executable).with_name("qhub"))
PASSWORD = "clave-de-consola"
PAGE = 25  # console/src/pages/inbox.ts: rows per "Cargar más"


@pytest.fixture(scope="module")
async def officer_and_cases(engine: AsyncEngine) -> list[MadeCase]:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO officer (username, full_name, role, office_id, password_hash)"
                " SELECT 'consola.sup', 'Carmen Mamani', 'cepr-supervisor', id, :h FROM office"
                " WHERE code = 'LIM' ON CONFLICT (username) DO NOTHING"
            ),
            {"h": hash_secret(PASSWORD)},
        )
    return await make_cases(
        engine, PAGE + 2, office_code="LIM", family_size=3, needs=("WR-WR", "SM-CI")
    )


def visible_errors(page: object) -> list[str]:
    return [
        e.inner_text()
        for e in page.locator(".error").all()  # type: ignore[attr-defined]
        if e.is_visible()
    ]


def test_officer_logs_in_lists_cases_and_opens_one(
    live_hub: LiveHub,
    officer_and_cases: list[MadeCase],
    browser_page: object,
    tmp_path: Path,
) -> None:
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    console_errors: list[str] = []
    page.on("pageerror", lambda e: console_errors.append(str(e)))  # type: ignore[attr-defined]

    # given the console, served by the hub
    assert httpx.get(f"{live_hub.url}/console").status_code in (200, 308)
    page.goto(f"{live_hub.url}/console/")  # type: ignore[attr-defined]

    # when the officer logs in with username and password
    page.fill("#username", "consola.sup")  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-form button[type=submit]")  # type: ignore[attr-defined]

    # then the dashboard opens; the case list shows the office's cases, and who is logged in
    page.wait_for_selector("#dashboard-body [data-status]", timeout=20_000)  # type: ignore[attr-defined]
    page.click('[data-nav="inbox"]')  # type: ignore[attr-defined]
    page.wait_for_selector("#cases tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    assert visible_errors(page) == []
    assert "Supervisión CEPR · Oficina LIM" in page.inner_text("#who")  # type: ignore[attr-defined]
    rows = page.locator("#cases tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == PAGE
    assert "(hay más)" in page.inner_text("#inbox-status")  # type: ignore[attr-defined]

    # and "Cargar más" fetches the next pages (keyset) until our cases are all there
    numbers = {c.number for c in officer_and_cases}
    shown: set[int] = set()
    for _ in range(200):
        shown = {int(n) for n in rows.evaluate_all("rows => rows.map(r => r.dataset.case)")}
        if numbers <= shown or not page.is_visible("#more"):  # type: ignore[attr-defined]
            break
        before = rows.count()
        page.click("#more")  # type: ignore[attr-defined]
        page.wait_for_selector(f"#cases tbody tr:nth-child({before + 1})")  # type: ignore[attr-defined]
    assert len(shown) == rows.count()  # no case twice
    assert numbers <= shown
    assert "Solicitante principal" in page.inner_text("#cases thead")  # type: ignore[attr-defined]
    assert "sin permiso" not in page.inner_text("#cases tbody")  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "bandeja.png"), full_page=True)  # type: ignore[attr-defined]

    # when the officer opens a case
    case = officer_and_cases[0]
    page.click(f'#cases tbody tr[data-case="{case.number}"] a')  # type: ignore[attr-defined]
    page.wait_for_selector("#s-familia + * table tbody tr", timeout=20_000)  # type: ignore[attr-defined]

    # then the family and the UNHCR needs are shown, with Spanish labels and no error
    assert visible_errors(page) == []
    title = page.inner_text("#detail-title")  # type: ignore[attr-defined]
    assert title == f"Expediente N.º {case.number}"
    family = page.locator("#s-familia + * table tbody tr")  # type: ignore[attr-defined]
    assert family.count() >= 2
    assert "Solicitante principal" in page.inner_text("#s-familia + *")  # type: ignore[attr-defined]
    needs = page.inner_text("#s-necesidades + *")  # type: ignore[attr-defined]
    assert "WR-WR" in needs and "SM-CI" in needs
    assert "En evaluación" in page.inner_text("#detail-body")  # type: ignore[attr-defined]

    out = Path(os.environ.get("QHUB_SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "expediente.png"), full_page=True)  # type: ignore[attr-defined]
    shutil.copy(tmp_path / "bandeja.png", out / "bandeja.png") if out != tmp_path else None

    # and the supervisor's priority queue opens without an error
    page.click('[data-nav="queue"]')  # type: ignore[attr-defined]
    page.wait_for_selector("#queue-status:text-matches('vacía|mostrado')")  # type: ignore[attr-defined]
    assert visible_errors(page) == []
    page.screenshot(path=str(out / "cola.png"), full_page=True)  # type: ignore[attr-defined]

    # and the page talked to nobody but the hub, without a script error
    assert console_errors == []
    assert all(url.startswith(live_hub.url) for url in requests), requests


def test_an_unassigned_case_says_so_in_one_sentence(
    live_hub: LiveHub,
    officer_and_cases: list[MadeCase],
    browser_page: object,
) -> None:
    # given an eligibility officer of LIM not assigned to the case, with a token pasted
    # in the "avanzado" option
    token = subprocess.run(
        [QHUB, "token", "--role", "cepr-eligibility", "--office", "LIM"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    page = browser_page
    page.goto(f"{live_hub.url}/console/")  # type: ignore[attr-defined]
    page.click("details.advanced summary")  # type: ignore[attr-defined]
    page.fill("#token", token)  # type: ignore[attr-defined]
    page.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#dashboard-body [data-status]")  # type: ignore[attr-defined]
    assert "Elegibilidad CEPR · Oficina LIM" in page.inner_text("#who")  # type: ignore[attr-defined]

    # when they open the case directly
    number = officer_and_cases[0].number
    page.goto(f"{live_hub.url}/console/#/expediente/{number}")  # type: ignore[attr-defined]
    page.wait_for_selector("#detail-errors:not([hidden])")  # type: ignore[attr-defined]

    # then one sentence says why, and nothing of the case is shown
    assert visible_errors(page) == [
        "FORBIDDEN — Este expediente no está asignado a usted: solo puede ver los expedientes"
        " que tiene asignados."
    ]
    assert page.inner_text("#detail-body") == ""  # type: ignore[attr-defined]
    assert page.locator("#s-accion").count() == 0  # type: ignore[attr-defined]


def test_a_bad_token_shows_its_code_and_spanish_message_on_the_login(
    live_hub: LiveHub, browser_page: object
) -> None:
    page = browser_page
    page.goto(f"{live_hub.url}/console/")  # type: ignore[attr-defined]
    page.click("details.advanced summary")  # type: ignore[attr-defined]
    page.fill("#token", "no-es-un-token")  # type: ignore[attr-defined]
    page.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#login-error:not([hidden])")  # type: ignore[attr-defined]
    assert page.inner_text("#login-error").startswith("INVALID_TOKEN — ")  # type: ignore[attr-defined]
    assert page.is_visible("#login-form")  # type: ignore[attr-defined]
    assert not page.is_visible("#inbox")  # type: ignore[attr-defined]
    assert page.evaluate("sessionStorage.getItem('qhub.token')") is None  # type: ignore[attr-defined]


@pytest.fixture
async def open_review(live_hub: LiveHub, engine: AsyncEngine) -> tuple[int, MadeCase]:
    """Two persons of Tacna enrolled with one template: the second raises a review."""
    first, second = await make_cases(
        engine, 2, office_code="TCQ", family_size=1, status="appointment_scheduled", needs=()
    )
    registrar = mint("cepr-registrar", office="TCQ")
    template = base64.b64encode(os.urandom(300)).decode()
    enrol = (
        "mutation($p: Int!, $t: String!)"
        " { enrolBiometrics(personId: $p, template: $t) { outcome duplicateId } }"
    )
    assert (
        gql(live_hub, registrar, enrol, p=first.person_ids[0], t=template)["data"][
            "enrolBiometrics"
        ]["outcome"]
        == "ENROLLED"
    )
    raised = gql(live_hub, registrar, enrol, p=second.person_ids[0], t=template)
    return int(raised["data"]["enrolBiometrics"]["duplicateId"]), second


def use_token(page: object, hub: LiveHub, token: str) -> None:
    page.goto(f"{hub.url}/console/")  # type: ignore[attr-defined]
    page.click("details.advanced summary")  # type: ignore[attr-defined]
    page.fill("#token", token)  # type: ignore[attr-defined]
    page.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#who button")  # type: ignore[attr-defined]


def test_a_supervisor_decides_a_possible_duplicate_in_the_console(
    live_hub: LiveHub, open_review: tuple[int, MadeCase], browser_page: object, tmp_path: Path
) -> None:
    review, second = open_review
    page = browser_page
    # given the Tacna registrar: the review is listed, the decision is not theirs
    use_token(page, live_hub, mint("cepr-registrar", office="TCQ"))
    page.click('[data-nav="duplicates"]')  # type: ignore[attr-defined]
    row = f'#duplicates-body [data-review="{review}"]'
    page.wait_for_selector(row)  # type: ignore[attr-defined]
    assert "Pendiente (decide supervisión)" in page.inner_text(row)  # type: ignore[attr-defined]
    assert f"id {second.person_ids[0]}" in page.inner_text(row)  # type: ignore[attr-defined]
    page.click("#who button")  # log out  # type: ignore[attr-defined]

    # when a supervisor opens the page and decides "personas distintas" with a reason
    use_token(page, live_hub, mint("cepr-supervisor", office="LIM"))
    page.goto(f"{live_hub.url}/console/#/duplicados")  # type: ignore[attr-defined]
    page.wait_for_selector(row)  # type: ignore[attr-defined]
    assert page.get_attribute('[data-nav="duplicates"]', "aria-current") == "page"  # type: ignore[attr-defined]
    page.select_option(f"#dup-{review}-decision", "DISTINCT")  # type: ignore[attr-defined]
    page.click(f"{row} button[type=submit]")  # without a reason first  # type: ignore[attr-defined]
    page.wait_for_selector(f"{row} .error:has-text('NOTE_REQUIRED')")  # type: ignore[attr-defined]
    page.fill(f"#dup-{review}-note", "Hermanos gemelos, documentos distintos.")  # type: ignore[attr-defined]
    out = Path(os.environ.get("QHUB_SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "duplicados.png"), full_page=True)  # type: ignore[attr-defined]
    page.click(f"{row} button[type=submit]")  # type: ignore[attr-defined]

    # then the row says what was decided, and the database holds it
    page.wait_for_selector(f"{row} :text('Personas distintas')")  # type: ignore[attr-defined]
    assert visible_errors(page) == []
    status = _status_sync(live_hub, review)
    assert status == "DISTINCT"


def _status_sync(hub: LiveHub, review: int) -> str:
    body = gql(
        hub,
        mint("cepr-supervisor", office="LIM"),
        "query { possibleDuplicates(status: null, first: 200) { id status } }",
    )
    return next(d["status"] for d in body["data"]["possibleDuplicates"] if d["id"] == review)


def test_a_wrong_password_says_so_in_spanish(
    live_hub: LiveHub, officer_and_cases: list[MadeCase], browser_page: object
) -> None:
    page = browser_page
    page.goto(f"{live_hub.url}/console/")  # type: ignore[attr-defined]
    # when the officer types a wrong password
    page.fill("#username", "consola.sup")  # type: ignore[attr-defined]
    page.fill("#password", "no-es-la-clave")  # type: ignore[attr-defined]
    page.click("#login-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#login-error:not([hidden])")  # type: ignore[attr-defined]
    # then one Spanish sentence says so, and nobody is logged in
    assert page.inner_text("#login-error") == "Usuario o contraseña incorrectos."  # type: ignore[attr-defined]
    assert page.evaluate("sessionStorage.getItem('qhub.token')") is None  # type: ignore[attr-defined]
