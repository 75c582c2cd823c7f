"""The console's casework journeys of issue 14, on the demo data, through the UI only
(Chromium): the supervisor's manual assignment and reassignment and the reason each case
was left unassigned; the enrolment photos in the duplicate comparison, a "misma persona"
decision confirmed and then undone with a reason; case notes (claim data: the assigned
eligibility officer writes, the Secretary reads); a case's documents listed, downloaded
and revoked from the case page; the Secretary deciding a demo case assessed beforehand.

Database reads here only pick demo records and check what the UI did; every action goes
through the console. Every page passed is checked with axe-core (0 violations).
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Any

import psycopg

from hub.readpool import libpq_url
from tests.console.journey import (
    Demo,
    a_case,
    accessible,
    login,
    on_a_phone,
    open_first_assigned,
    search_case,
    shoot,
    template_file,
    visible_errors,
)


def png(rgb: tuple[int, int, int], size: int = 24) -> bytes:
    """A small solid-colour PNG (a stand-in for the enrolment camera's picture)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_url(url)) as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def test_supervisor_assigns_and_reassigns_a_case_and_reads_why_others_were_not(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    # given an office whose children's cases under review wait: none of its eligibility
    # officers works with children (the demo leaves them unassigned, as the rule would)
    (office,) = query(
        url,
        "SELECT o.code FROM office o WHERE EXISTS (SELECT 1 FROM case_file c"
        " WHERE c.office_id = o.id AND c.status = 'under_review'"
        " AND c.assigned_officer_id IS NULL) AND NOT EXISTS (SELECT 1 FROM officer f"
        " WHERE f.office_id = o.id AND f.role = 'cepr-eligibility' AND f.available"
        " AND 'children' = ANY(f.profiles)) ORDER BY o.code LIMIT 1",
    )[0]
    login(page, hub, "sup1.lim")
    page.click('[data-nav="queue"]')
    page.wait_for_selector("#assign-form")
    # when the supervisor runs the automatic assignment there
    page.select_option("#assign-office", office)
    page.click("#assign-form button[type=submit]")
    # then each case left unassigned says why, in Spanish
    page.wait_for_selector("#not-assigned li")
    reasons = page.locator("#not-assigned li").all_inner_texts()
    assert reasons and all(
        r.endswith(" — Ningún oficial disponible de la oficina atiende el perfil «children».")
        for r in reasons
    ), reasons
    accessible(page, "cola con los motivos de no asignación")

    # when they open a Lima case under review and assign it by hand
    number = a_case(url, "LIM", "under_review", "AND c.assigned_officer_id IS NOT NULL")
    search_case(page, number)
    page.wait_for_selector(
        "#assign-case-form #assign-officer option[value]:not([value=''])", state="attached"
    )
    accessible(page, "expediente con la asignación manual")
    on_a_phone(page, "expediente con la asignación manual")
    current = page.inner_text("#s-asignar + p")
    options = page.locator("#assign-officer option:not([disabled])[value]:not([value=''])")
    free = [
        (o.get_attribute("value"), o.inner_text())
        for o in options.all()
        if "(completa)" not in o.inner_text()
    ]
    chosen = [v for v, text in free if text.split(" · ")[0] not in current][:2]
    assert len(chosen) == 2, free
    names = [
        query(url, "SELECT full_name FROM officer WHERE username = %s", (u,))[0][0] for u in chosen
    ]
    page.select_option("#assign-officer", chosen[0])
    page.click("#assign-case-form button[type=submit]")
    page.wait_for_selector("#assign-case-form-out.error")  # no reason: refused on screen
    assert "Indique el motivo" in page.inner_text("#assign-case-form-out")
    page.fill("#assign-reason", "Habla quechua como la familia solicitante.")
    page.click("#assign-case-form button[type=submit]")
    page.wait_for_selector(f"#s-asignar + p:has-text('Asignado ahora a {names[0]}')")
    # and reassigns it to another officer of the office
    page.wait_for_selector("#assign-officer option[value]:not([value=''])", state="attached")
    page.select_option("#assign-officer", chosen[1])
    page.fill("#assign-reason", "Equilibrar la carga tras la licencia de la titular.")
    page.click("#assign-case-form button[type=submit]")
    page.wait_for_selector(f"#s-asignar + p:has-text('Asignado ahora a {names[1]}')")
    assert visible_errors(page) == []

    # then the case names the last officer and both assignments are recorded, with reasons
    rows = query(
        url,
        "SELECT o.username, a.rule_version, a.reason FROM case_assignment a"
        " JOIN officer o ON o.id = a.officer_id JOIN case_file c ON c.id = a.case_id"
        " WHERE c.number = %s AND a.rule_version = 'manual' ORDER BY a.id",
        (number,),
    )
    assert rows == [
        (chosen[0], "manual", "Asignación manual: Habla quechua como la familia solicitante."),
        (
            chosen[1],
            "manual",
            "Asignación manual: Equilibrar la carga tras la licencia de la titular.",
        ),
    ]

    assert names[1] in page.inner_text("#s-resumen + *")
    shoot(page, "supervision-asignacion")


def test_photos_in_the_duplicate_comparison_and_a_same_person_decision_undone(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    first = a_case(
        url,
        "LIM",
        "registered",
        "AND c.number > (SELECT min(number) + 40 FROM case_file WHERE status = 'registered')",
    )
    second = a_case(url, "LIM", "registered", f"AND c.number > {first}")
    template = os.urandom(300)
    # given a registrar who enrols two principals with the same template, each with a photo
    login(page, hub, "reg1.lim")
    for number, colour in ((first, (200, 30, 30)), (second, (30, 30, 200))):
        search_case(page, number)
        page.wait_for_selector("#enrol-form")
        page.set_input_files("#enrol-file", files=[template_file(template)])
        page.set_input_files(
            "#enrol-photo",
            files=[{"name": "foto.png", "mimeType": "image/png", "buffer": png(colour)}],
        )
        page.click("#enrol-form button[type=submit]")
        page.wait_for_selector("#enrol-form-out:not(:has-text('Guardando'))")
    assert "posible duplicado" in page.inner_text("#enrol-form-out")
    page.click("#enrol-form-out a")
    review = page.locator("#duplicates-body [data-review]").last.get_attribute("data-review")
    row = f'#duplicates-body [data-review="{review}"]'
    # the registrar sees both photos too (both persons are of the office)
    assert page.locator(f"{row} img.photo").count() == 2
    page.click("#who button")

    # when the supervisor compares them: both photos, each described for screen readers
    login(page, hub, "sup1.lim")
    page.click('[data-nav="duplicates"]')
    page.wait_for_selector(row)
    photos = page.locator(f"{row} img.photo")
    assert photos.count() == 2
    assert all(p.get_attribute("src").startswith("data:image/png;base64,") for p in photos.all())
    assert page.evaluate(
        f"[...document.querySelectorAll('{row} img.photo')].every(i => i.naturalWidth === 24)"
    )
    accessible(page, "comparación con fotografías")
    on_a_phone(page, "comparación con fotografías")
    shoot(page, "duplicados-fotos")
    # and decides "misma persona": first without the confirmation (refused on screen)
    page.select_option(f"#dup-{review}-decision", "DUPLICATE")
    page.fill(f"#dup-{review}-note", "Misma huella, mismo rostro en ambas fotografías.")
    page.click(f"{row} form.decision button[type=submit]")
    page.wait_for_selector(f"{row} .error:has-text('CONFIRMATION_REQUIRED')")
    page.check(f"#dup-{review}-confirm")
    page.click(f"{row} form.decision button[type=submit]")
    page.wait_for_selector(f"{row} :text('Misma persona — decidido por')")

    # when the page is opened again, the decision is listed with its undo
    page.reload()
    page.wait_for_selector(f"#undo-{review}-note")
    accessible(page, "decisiones «misma persona» que se pueden deshacer")
    page.fill(f"#undo-{review}-note", "Las fotografías muestran dos personas distintas.")
    page.click(f"{row} form.undo button[type=submit]")
    page.wait_for_selector(f"{row} .error:has-text('CONFIRMATION_REQUIRED')")
    page.check(f"#undo-{review}-confirm")
    page.click(f"{row} form.undo button[type=submit]")
    page.wait_for_selector(f"{row} :text('la revisión vuelve a estar pendiente')")
    assert visible_errors(page) == []

    # then the review is pending again, saying who undid the decision and why
    page.reload()
    page.wait_for_selector(f"#dup-{review}-decision")
    assert "Las fotografías muestran dos personas distintas." in page.inner_text(row)
    (status, undone_by) = query(
        url, "SELECT status, undone_by FROM possible_duplicate WHERE id = %s", (int(review),)
    )[0]
    assert (status, undone_by.split(":")[1]) == ("open", "cepr-supervisor")


def test_the_assigned_officer_writes_a_note_the_secretary_reads(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, _ = demo_hub
    page = browser_page
    number = open_first_assigned(page, hub, "eleg1.lim", "#note-form")
    # when the officer adds a note without text, then with it
    page.click("#note-form button[type=submit]")
    page.wait_for_selector("#note-form-out.error")
    assert "Escriba la nota" in page.inner_text("#note-form-out")
    page.fill("#note-text", "Pidió intérprete de quechua para la próxima entrevista.")
    page.click("#note-form button[type=submit]")
    # then the case page lists it with its author
    page.wait_for_selector("#s-notas ~ * li:has-text('intérprete de quechua')")
    assert "cepr-eligibility" in page.inner_text("#s-notas ~ ol")
    accessible(page, "expediente con notas")
    page.click("#who button")

    # when the Secretary opens the case, the note is there and there is no form to add one
    login(page, hub, "sec1.lim")
    search_case(page, number)
    page.wait_for_selector("#s-notas")
    assert "intérprete de quechua" in page.inner_text("#s-notas ~ ol")
    assert page.locator("#note-form").count() == 0
    page.click("#who button")

    # and a registrar of the office sees no notes at all (claim data is not theirs)
    login(page, hub, "reg1.lim")
    search_case(page, number)
    assert page.locator("#s-notas").count() == 0


def test_secretary_decides_an_assessed_demo_case_and_manages_its_documents(
    demo_hub: Demo, browser_page: Any
) -> None:
    hub, url = demo_hub
    page = browser_page
    login(page, hub, "sec1.lim")
    # given the dashboard's list of cases waiting, the demo's assessed ones first
    waiting = page.inner_text('section[aria-labelledby="d-decision"]')
    assert "Reconocer (cepr:cepr-eligibility:" in waiting, waiting
    page.locator("#d-decision ~ * tbody tr:has-text('Reconocer') a").first.click()
    page.wait_for_selector("#decision-form")
    number = int(page.inner_text("#detail-title").rsplit(" ", 1)[1])
    claim = page.inner_text('section[aria-labelledby="s-solicitud"]')
    assert "Reconocer" in claim and "grupo social" in claim

    # when the Secretary issues a work permit and a card, and opens the case again
    page.click("#permit-form button[type=submit]")
    page.wait_for_selector("#permit-form-out:has-text('Hecho'), #permit-form-out.error")
    page.click("#card-form button[type=submit]")
    page.wait_for_selector("#card-form-out:has-text('Hecho'), #card-form-out.error")
    assert visible_errors(page) == []
    page.reload()
    # then both documents are listed on the case page, in force
    page.wait_for_selector("#s-emitidos + * tbody tr:nth-child(2)")
    listed = page.locator("#s-emitidos + * tbody tr").all_inner_texts()
    assert any("Autorización de trabajo" in r and "Vigente" in r for r in listed), listed
    assert any("Carné de solicitante" in r and "Vigente" in r for r in listed), listed
    accessible(page, "expediente con documentos emitidos")
    on_a_phone(page, "expediente con documentos emitidos")
    shoot(page, "secretaria-documentos")
    # and one is downloaded from the list
    permit = page.locator("#s-emitidos + * tbody tr:has-text('Autorización') [data-download]")
    with page.expect_download() as download:
        permit.click()
    assert download.value.suggested_filename.startswith("autorizacion-")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    # and printed: the signed PDF opens in a tab of its own, for the browser's print
    with page.expect_popup() as printed:
        page.locator(
            "#s-emitidos + * tbody tr:has-text('Carné') button:has-text('Imprimir')"
        ).click()
    assert printed.value.url.startswith("blob:")

    # when the permit is revoked from the list, first without a reason
    row = page.locator("#s-emitidos + * tbody tr:has-text('Autorización')")
    row.locator("summary").click()
    row.locator("form button[type=submit]").click()
    page.wait_for_selector("#s-emitidos ~ * form .error:has-text('Indique el motivo')")
    row.locator("textarea").fill("Emitida antes de la decisión por error.")
    row.locator("form button[type=submit]").click()
    # then the list shows it revoked with its reason
    page.wait_for_selector("#s-emitidos + * tbody tr:has-text('Revocado')")
    assert "Emitida antes de la decisión por error." in page.inner_text("#s-emitidos + *")

    # and the Secretary decides with the recommendation beside the form
    page.select_option("#decision-outcome", "RECOGNISED")
    page.fill(
        "#decision-reasons", "Temor fundado de persecución por pertenencia a un grupo social."
    )
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector(".workflow li.current:has-text('Reconocido'), #decision-form-out.error")
    assert visible_errors(page) == []
    status = query(url, "SELECT status FROM case_file WHERE number = %s", (number,))[0][0]
    assert status == "recognised"
