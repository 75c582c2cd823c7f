"""The eligibility officer's and the Executive Secretary's day in the console, on the
demo data, through the UI only (Chromium).

Every page the journey passes is checked with axe-core (0 violations), the main pages
also at a 375 px phone width. The time from login to the dashboard and from a search to
the case page is measured in the page and printed (not asserted). With
QHUB_SCREENSHOT_DIR set, each role's dashboard and case page are saved there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.console.journey import (
    Demo,
    a_case,
    accessible,
    login,
    on_a_phone,
    open_first_assigned,
    search_case,
    shoot,
    visible_errors,
)

UNASSESSED = "AND NOT EXISTS (SELECT 1 FROM eligibility_assessment e WHERE e.case_id = c.id)"


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
    hub, url = demo_hub
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
    on_a_phone(page, "bandeja filtrada")
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
    # a case under review that nobody assessed (the demo assesses the newest of each office)
    search_case(page, a_case(url, "LIM", "under_review", UNASSESSED))
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
    number = open_first_assigned(page, hub, "eleg2.lim", "#assessment-form")
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
