"""What the officers' journeys in the console share: logging in and timing it, searching,
axe-core and the phone width, screenshots, and picking demo cases."""

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


def open_first_assigned(page: Any, hub: LiveHub, user: str, ready: str) -> int:
    """Log in as an eligibility officer and open the first case of "Asignados a mí" (its
    page shows ``ready``); its number."""
    login(page, hub, user)
    page.locator("#d-cola ~ * tbody a").first.click()
    page.wait_for_selector(ready)
    return int(page.inner_text("#detail-title").rsplit(" ", 1)[1])


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
