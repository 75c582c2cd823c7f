"""Driving the site in Debian's Chromium (headless, Playwright): the browser, the two
screen sizes, axe-core's accessibility check and the page screenshots kept in ``docs/``."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "site" / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"telefono": PHONE, "escritorio": DESKTOP}

sync_api = pytest.importorskip("playwright.sync_api")
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not AXE.exists(),
    reason="Debian chromium, or site/node_modules (cd site && npm ci), missing",
)


@contextmanager
def browser(viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh Chromium profile with one page of ``viewport`` size, Spanish (Peru), Lima."""
    profile = tempfile.mkdtemp(prefix="qhub-site-chromium-")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            viewport=viewport,
            locale="es-PE",
            timezone_id="America/Lima",
            accept_downloads=True,
        )
        # axe-core on every page, through the browser (the site's CSP forbids inline scripts)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (WCAG 2.1 A/AA and best practices)."""
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
    )
    return list(result)


def no_sideways_scroll(page: Any) -> bool:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


def check_page(page: Any, name: str, size: str) -> None:
    """The page as a person sees it: accessible (axe: 0 violations), no sideways scrolling
    on a phone, and a screenshot in docs/ (``site-<name>-<size>.png``)."""
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    assert no_sideways_scroll(page), f"{name}: wider than the {size} screen"
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / f"site-{name}-{size}.png"), full_page=True)
