"""The registrar's and the supervisor's day in the console, on the demo data, through
the UI only (Chromium).

Every page the journey passes is checked with axe-core (0 violations), the main pages
also at a 375 px phone width. The time from login to the dashboard and from a search to
the case page is measured in the page and printed (not asserted). With
QHUB_SCREENSHOT_DIR set, each role's dashboard and case page are saved there.
"""

from __future__ import annotations

import os
import time
from typing import Any

from tests.console.journey import (
    Demo,
    a_case,
    a_principal,
    accessible,
    login,
    next_month_at_nine,
    on_a_phone,
    search_case,
    shoot,
    template_file,
    visible_errors,
)


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
    page.wait_for_selector("#slot-form-out:text-matches('Horario abierto|—')")
    assert visible_errors(page) == []
    assert page.inner_text("#slot-form-out").endswith("9:00 a. m., 4 cupos.")

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
    on_a_phone(page, "posibles duplicados (registro)")
