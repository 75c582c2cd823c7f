"""Each officer's day in the console, on the demo data, through the UI only (Chromium).

Every page the journey passes is checked with axe-core (0 violations), the main pages
also at a 375 px phone width. The time from login to the dashboard and from a search to
the case page is measured in the browser and printed (not asserted). With
QHUB_SCREENSHOT_DIR set, each role's dashboard and case page are saved there.
"""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from hub.readpool import libpq_url
from services.case_search import fold
from services.demo_data import DEMO_PASSWORD
from tests.conftest import LiveHub
from tests.console.conftest import axe_violations

Demo = tuple[LiveHub, str]


def visible_errors(page: Any) -> list[str]:
    return [e.inner_text() for e in page.locator(".error").all() if e.is_visible()]


def accessible(page: Any, what: str) -> None:
    assert axe_violations(page) == [], what


def on_a_phone(page: Any, what: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        accessible(page, f"{what} (375 px)")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{what}: the page scrolls sideways at 375 px ({width} px)"
    finally:
        page.set_viewport_size({"width": 1280, "height": 1000})


def shoot(page: Any, name: str) -> None:
    out = os.environ.get("QHUB_SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


def login(page: Any, hub: LiveHub, user: str) -> None:
    page.goto(f"{hub.url}/console/")
    page.fill("#username", user)
    page.fill("#password", DEMO_PASSWORD)
    started = time.perf_counter()
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#dashboard-body [data-status]", timeout=30_000)
    driven = 1000 * (time.perf_counter() - started)
    # measured in the page (performance marks of the console), and the part of it that is
    # the password check at /oauth/token (argon2, slow on purpose)
    total = between(page, "qhub:login", "qhub:dashboard")
    token = page.evaluate(
        "Math.round(performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('/oauth/token')).map(e => e.duration).pop() || 0)"
    )
    print(
        f"\n{user}: login -> dashboard {total:.0f} ms in the page (/oauth/token {token} ms,"
        f" session + dashboard {total - token:.0f} ms); {driven:.0f} ms as driven"
    )
    assert visible_errors(page) == []


def between(page: Any, start: str, end: str) -> float:
    """Milliseconds from the last ``start`` mark to the last ``end`` mark in the page."""
    return float(
        page.evaluate(
            "([a, b]) => { const t = n => performance.getEntriesByName(n).pop().startTime;"
            " return t(b) - t(a); }",
            [start, end],
        )
    )


def search_case(page: Any, number: int) -> None:
    page.fill("#q", str(number))
    started = time.perf_counter()
    page.press("#q", "Enter")
    page.wait_for_selector("#detail-body .workflow", timeout=30_000)
    driven = 1000 * (time.perf_counter() - started)
    shown = between(page, "qhub:search", "qhub:case")
    print(f"search -> case page {shown:.0f} ms in the page; {driven:.0f} ms as driven")
    assert page.inner_text("#detail-title") == f"Expediente N.º {number}"


def a_case(url: str, office: str, status: str, extra: str = "") -> int:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            "SELECT c.number FROM case_file c JOIN office o ON o.id = c.office_id"
            f" WHERE o.code = %s AND c.status = %s {extra} ORDER BY c.number LIMIT 1",
            (office, status),
        ).fetchone()
    assert row is not None
    return int(row[0])


def template_file(template: bytes) -> dict[str, Any]:
    """A biometric reader's template file, as the registrar picks it."""
    return {"name": "huella.tpl", "mimeType": "application/octet-stream", "buffer": template}


def next_month_at_nine() -> str:
    day = date.today() + timedelta(days=30)
    return f"{day.isoformat()}T09:00"


def a_principal(url: str) -> tuple[int, str, str]:
    """A Lima case and its principal's surnames and first given name, without accents."""
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            "SELECT c.number, p.maternal_surname || ' ' || p.paternal_surname, p.given_names"
            " FROM case_file c JOIN office o ON o.id = c.office_id"
            " JOIN case_member m ON m.case_id = c.id AND m.relationship = 'principal'"
            " JOIN person p ON p.id = m.person_id WHERE o.code = 'LIM'"
            " AND p.maternal_surname ~ '[áéíóú]' ORDER BY c.number LIMIT 1"
        ).fetchone()
    assert row is not None
    return int(row[0]), fold(row[1]), fold(row[2]).split()[0]


def test_registrar_moves_a_pre_registered_case_and_books_its_appointment(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    number = a_case(url, "LIM", "pre_registered")
    # given the Lima registrar on the dashboard
    login(page, hub, "reg1.lim")
    assert "Registro CEPR · Oficina LIM" in page.inner_text("#who")
    assert page.is_visible("#d-citas")  # today's appointments of the office
    accessible(page, "tablero del registro")
    on_a_phone(page, "tablero del registro")
    shoot(page, "registro-tablero")

    # when they open a card-pickup slot: first in the past (refused), then next month
    page.fill("#slot-starts", "2020-01-06T09:00")
    page.select_option("#slot-purpose", "CARD_PICKUP")
    page.click("#slot-form button[type=submit]")
    page.wait_for_selector("#slot-form-out.error")
    assert "no puede estar en el pasado" in page.inner_text("#slot-form-out")
    page.fill("#slot-starts", next_month_at_nine())
    page.click("#slot-form button[type=submit]")
    page.wait_for_selector("#slot-form-out:text-matches('Hecho|—')")
    assert visible_errors(page) == []

    # when they search the case by number
    search_case(page, number)
    # then the case page shows where it is and offers only the registrar's moves
    assert "Siguiente: Cita programada" in page.inner_text(".workflow")
    moves = page.locator("#to-status option").all_inner_texts()
    assert moves == ["Cita programada", "Desistido", "Abandonado"]
    assert page.locator("#s-prioridad").count() == 0  # the supervisor's, not shown
    accessible(page, "expediente (registro)")
    on_a_phone(page, "expediente (registro)")

    # when they book a free slot of the office (the one they opened is offered)
    page.wait_for_selector("#book-slot option[value]:not([value=''])", state="attached")
    assert any("Entrega de carné" in o for o in page.locator("#book-slot option").all_inner_texts())
    slot = page.locator("#book-slot option[value]:not([value=''])").first.get_attribute("value")
    page.select_option("#book-slot", slot)
    page.click("#book-form button[type=submit]")
    # then the case shows the booked appointment
    page.wait_for_selector("#s-citas + * tbody tr")
    assert "Reservada" in page.inner_text("#s-citas + *")
    assert visible_errors(page) == []
    shoot(page, "registro-expediente")


def test_supervisor_pages_the_queue_assigns_and_overrides_a_priority(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    login(page, hub, "sup1.lim")
    accessible(page, "tablero de supervisión")
    shoot(page, "supervision-tablero")

    # when the supervisor opens the queue: 25 rows and a next page, not a request limit
    page.click('[data-nav="queue"]')
    page.wait_for_selector("#queue-status:has-text('mostrados')")
    assert page.inner_text("#queue-status") == "25 expedientes mostrados (hay más)."
    page.click("#queue-more")
    page.wait_for_selector("#queue-status:has-text('50 expedientes')")
    assert page.locator("#queue-body tbody tr").count() == 50
    accessible(page, "cola")
    on_a_phone(page, "cola")

    # and runs the automatic assignment of Lima
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("#assign-out:has-text('asignado')")
    assert visible_errors(page) == []

    # and overrides the priority of the first case with a reason
    first = page.locator("#queue-body tbody tr").first.get_attribute("data-case")
    page.click(f'#queue-body tbody tr[data-case="{first}"] a')
    page.wait_for_selector("#priority-form")
    accessible(page, "expediente (supervisión)")
    shoot(page, "supervision-expediente")
    page.fill("#prio-score", "99")
    page.click("#priority-form button[type=submit]")
    page.wait_for_selector("#priority-form-out.error")
    assert "Indique el motivo" in page.inner_text("#priority-form-out")
    page.fill("#prio-reason", "Persona con discapacidad, informe médico del 20/11.")
    page.click("#priority-form button[type=submit]")
    page.wait_for_selector("#priority-form-out:has-text('Prioridad efectiva: 99')")

    # and finds a case by its applicant's name typed without accents, surnames first
    number, surnames, given = a_principal(url)
    page.fill("#q", f"{surnames} {given}")
    started = time.perf_counter()
    page.press("#q", "Enter")
    page.wait_for_selector(f'#results-body [data-case="{number}"], #detail-body .workflow')
    print(f"name search -> results {1000 * (time.perf_counter() - started):.0f} ms")
    if page.is_visible("#results"):
        accessible(page, "resultados de búsqueda")
        page.click(f'#results-body [data-case="{number}"] a')
        page.wait_for_selector("#detail-body .workflow")
    assert page.inner_text("#detail-title") == f"Expediente N.º {number}"

    # and the access log lists the reads, the newest first
    page.click('[data-nav="accesslog"]')
    page.wait_for_selector("#accesslog-status:text-matches('mostrados|No hay')")
    assert visible_errors(page) == []
    assert page.locator("#accesslog-body tbody tr").count() > 0
    accessible(page, "registro de accesos")

    # and the duplicate review page is reachable and accessible
    page.click('[data-nav="duplicates"]')
    page.wait_for_selector("#duplicates-status:text-matches('revisi|No hay')")
    accessible(page, "posibles duplicados")

    # and moves two registered cases to review at once, each outcome listed
    page.goto(f"{hub.url}/console/#/expedientes?estado=REGISTERED")
    page.wait_for_selector("#cases tbody tr:nth-child(2)")
    chosen = page.locator("#cases tbody tr").evaluate_all(
        "rows => rows.slice(0, 2).map(r => r.dataset.case)"
    )
    for number in chosen:
        page.check(f'#cases tr[data-case="{number}"] input.pick')
    page.select_option("#bulk-to", "UNDER_REVIEW")
    page.fill("#bulk-reason", "Entrevista de registro completa.")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector(f'#bulk-out li[data-case="{chosen[1]}"]')
    assert page.locator("#bulk-out li").all_inner_texts() == [
        f"N.º {n}: ahora En evaluación." for n in chosen
    ]
    accessible(page, "bandeja con acción sobre seleccionados")


def test_eligibility_officer_records_interview_and_assessment_of_an_assigned_case(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, _ = demo_hub
    page = browser_page
    login(page, hub, "eleg1.lim")
    # the dashboard lists the cases assigned to them
    assert "Asignados a mí" in page.inner_text("#d-cola")
    assert page.locator('[data-nav="duplicates"]').is_hidden()
    accessible(page, "tablero de elegibilidad")
    shoot(page, "elegibilidad-tablero")
    page.locator("#d-cola + * tbody a, #d-cola ~ * tbody a").first.click()
    page.wait_for_selector("#interview-form")
    accessible(page, "expediente (elegibilidad)")
    on_a_phone(page, "expediente (elegibilidad)")
    shoot(page, "elegibilidad-expediente")

    # when they record the interview
    page.fill("#iv-held", "2026-11-25T10:00")
    page.fill("#iv-summary", "Relata amenazas de un grupo armado en su barrio; presenta denuncia.")
    page.click("#interview-form button[type=submit]")
    # then the case page reads it back
    page.wait_for_selector(
        'section[aria-labelledby="s-solicitud"] :text("presenta denuncia"),'
        " #interview-form-out.error"
    )
    assert visible_errors(page) == []

    # and the assessment with its recommendation
    page.check("#assessment-form input[value=SOCIAL_GROUP]")
    page.fill("#as-credibility", "Relato coherente y consistente con la información del país.")
    page.fill("#as-analysis", "Temor fundado de persecución por pertenencia a un grupo social.")
    page.click("#assessment-form button[type=submit]")
    page.wait_for_selector(
        'section[aria-labelledby="s-solicitud"] :text("Temor fundado"), #assessment-form-out.error'
    )
    assert visible_errors(page) == []
    claim = page.inner_text('section[aria-labelledby="s-solicitud"]')
    assert "Reconocer" in claim and "Pertenencia a un grupo social" in claim
    accessible(page, "expediente con la solicitud leída")


def test_secretary_sees_a_refused_decision_and_issues_and_revokes_a_work_permit(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, _ = demo_hub
    page = browser_page
    login(page, hub, "sec1.lim")
    assert page.locator('[data-nav="queue"]').is_hidden()  # no queue: no blank page
    accessible(page, "tablero de la Secretaría")
    on_a_phone(page, "tablero de la Secretaría")
    shoot(page, "secretaria-tablero")

    # when the Secretary issues work permits for two waiting cases at once
    picks = page.locator("#d-decision ~ * input.pick")
    picks.nth(0).check()
    picks.nth(1).check()
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector("#batch-out li:nth-child(2)")
    issued = page.locator("#batch-out li").all_inner_texts()
    assert len(issued) == 2
    assert all("emitida" in line and "Descargar" in line for line in issued), issued

    # when the Secretary opens the cases under review from the dashboard
    page.click('#dashboard-body tr[data-status="UNDER_REVIEW"] a')
    page.wait_for_selector("#cases tbody tr")
    assert set(page.locator("#cases tbody td .badge").all_inner_texts()) == {"En evaluación"}
    accessible(page, "bandeja filtrada")
    # the list is saved as a filter, and downloaded as a spreadsheet
    page.fill("#filter-name", "Por decidir")
    page.click("#save-filter button[type=submit]")
    page.wait_for_selector("#saved-filters button:has-text('Por decidir')")
    with page.expect_download() as download:
        page.click("#download-list")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + page.locator("#cases tbody tr").count()
    assert lines[0].startswith('"Expediente","Solicitante principal"')
    page.click("#filters button[type=reset]")
    page.wait_for_selector("#cases tbody tr")
    page.click("#saved-filters button:has-text('Por decidir')")
    page.wait_for_selector("#inbox-status:has-text('mostrado')")
    assert page.input_value("select[name=status]") == "UNDER_REVIEW"
    page.locator("#cases tbody tr a").first.click()
    page.wait_for_selector("#decision-form")
    assert page.locator("#status-form").count() == 0  # decisions, not a status change
    accessible(page, "expediente (Secretaría)")
    shoot(page, "secretaria-expediente")

    # and decides a case that has no assessment yet: the refusal is shown, in Spanish
    page.select_option("#decision-outcome", "RECOGNISED")
    page.fill("#decision-reasons", "Se acreditan los elementos de la definición ampliada.")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#decision-form-out.error")
    assert page.inner_text("#decision-form-out") == (
        "NO_ASSESSMENT — Falta la evaluación de elegibilidad de esta instancia."
    )
    assert "En evaluación" in page.inner_text(".workflow li.current")

    # then a work permit of the pending case is issued, downloaded and revoked with a reason
    number = int(page.inner_text("#detail-title").rsplit(" ", 1)[1])
    page.click("#permit-form button[type=submit]")
    page.wait_for_selector("#detail a.download, #permit-form-out.error")
    assert page.locator("#permit-form-out.error").count() == 0, page.inner_text("#permit-form-out")
    with page.expect_download() as download:
        page.click("#detail a.download")
    assert download.value.suggested_filename == f"autorizacion-{number}.pdf"
    page.click("#revoke-permit button[type=submit]")
    page.wait_for_selector("#revoke-permit-out.error")
    assert "Indique el motivo" in page.inner_text("#revoke-permit-out")
    page.fill("#revoke-permit-reason", "Emitida por error de datos.")
    page.click("#revoke-permit button[type=submit]")
    page.wait_for_selector("#revoke-permit-out:has-text('revocada')")


def test_secretary_decides_a_case_the_eligibility_officer_assessed(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, _ = demo_hub
    page = browser_page
    # given an eligibility officer who records the interview and the assessment of a case
    # assigned to them
    login(page, hub, "eleg2.lim")
    page.locator("#d-cola ~ * tbody a").first.click()
    page.wait_for_selector("#assessment-form")
    number = int(page.inner_text("#detail-title").rsplit(" ", 1)[1])
    page.fill("#iv-held", "2026-11-24T09:30")
    page.fill("#iv-summary", "Relata detenciones por participar en protestas; trae constancias.")
    page.click("#interview-form button[type=submit]")
    page.wait_for_selector('section[aria-labelledby="s-solicitud"] :text("protestas")')
    page.check("#assessment-form input[value=POLITICAL_OPINION]")
    page.fill("#as-credibility", "Relato detallado y coherente, con pruebas documentales.")
    page.fill("#as-analysis", "Persecución por opinión política atribuida; sin protección estatal.")
    page.click("#assessment-form button[type=submit]")
    page.wait_for_selector('section[aria-labelledby="s-solicitud"] :text("política atribuida")')
    page.click("#who button")  # log out

    # when the Secretary (whose dashboard lists the cases waiting for a decision) finds it,
    # the recommendation is beside the decision form
    login(page, hub, "sec1.lim")
    assert page.is_visible("#d-decision")
    search_case(page, number)
    page.wait_for_selector("#decision-form")
    assert "Reconocer" in page.inner_text('section[aria-labelledby="s-solicitud"]')
    # and decides to recognise
    page.select_option("#decision-outcome", "RECOGNISED")
    page.fill("#decision-reasons", "Temor fundado de persecución por opinión política.")
    page.click("#decision-form button[type=submit]")

    # then the case page shows it recognised, the decision in its history, no error
    page.wait_for_selector(".workflow li.current:has-text('Reconocido'), #decision-form-out.error")
    assert visible_errors(page) == []
    assert "Siguiente: Cerrado" in page.inner_text(".workflow")
    assert page.locator("#decision-form").count() == 0
    assert "Reconocido" in page.inner_text("#s-historial + *")


def test_registrar_registers_a_case_after_enrolling_the_principals_biometrics(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    number = a_case(url, "LIM", "appointment_scheduled")
    login(page, hub, "reg2.lim")
    search_case(page, number)
    page.wait_for_selector("#register-form")
    accessible(page, "registro del expediente")

    # when the registrar registers before enrolling the principal's biometrics
    page.check("#reg-identity")
    page.fill("#reg-prof-0", "Enfermera")
    page.select_option("#reg-edu-0", "UNIVERSITY")
    page.fill("#nm-given", "Lucía")
    page.fill("#nm-paternal", "Rondón")
    page.select_option("#nm-sex", "FEMALE")
    page.fill("#nm-birth", "2019-05-04")
    page.select_option("#nm-relationship", "CHILD")
    page.select_option("#need-code", "SC")
    page.click("#register-form button[type=submit]")
    # then the refusal says why, in Spanish, and the case is not registered
    page.wait_for_selector("#register-form-out.error")
    refusal = page.inner_text("#register-form-out")
    assert refusal.startswith("BIOMETRICS_MISSING — "), refusal
    assert "Cita programada" in page.inner_text(".workflow li.current")

    # when they enrol the principal's template from the reader's file, and register again
    template = os.urandom(300)
    page.set_input_files("#enrol-file", files=[template_file(template)])
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#enrol-form-out:has-text('Datos biométricos registrados.')")
    page.click("#register-form button[type=submit]")

    # then the case is registered, with the new child and the need
    page.wait_for_selector(".workflow li.current:has-text('Registrado'), #register-form-out.error")
    assert visible_errors(page) == []
    assert "Lucía Rondón" in page.inner_text("#s-familia + *")
    assert "SC" in page.inner_text("#s-necesidades + *")

    # when the same template is enrolled for the new child, a possible duplicate is raised,
    # said in Spanish with a link to its review
    page.select_option("#enrol-person", label="Lucía Rondón")
    page.set_input_files("#enrol-file", files=[template_file(template)])
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#enrol-form-out a[href='#/duplicados']")
    assert page.inner_text("#enrol-form-out").startswith(
        "Coincide con una persona ya enrolada: queda un posible duplicado para supervisión."
    )
    page.click("#enrol-form-out a")
    page.wait_for_selector("#duplicates-body [data-review]")
    assert "Pendiente (decide supervisión)." in page.inner_text("#duplicates-body")
    accessible(page, "posibles duplicados (registro)")
