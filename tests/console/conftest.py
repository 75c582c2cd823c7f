"""Chromium (Debian's, headless, driven by Playwright) for the console's browser tests, a
hub on the demo data set, and axe-core's accessibility check."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from auth.oauth import hash_secret
from hub.readpool import libpq_url
from services.demo_data import DEMO_PASSWORD, generate_demo
from tests.conftest import LiveHub, create_database, drop_database

CHROMIUM = "/usr/bin/chromium"
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
AXE = Path(__file__).resolve().parents[2] / "console" / "node_modules" / "axe-core" / "axe.min.js"

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium missing")
    profile = tempfile.mkdtemp(prefix="qhub-chromium-")
    with sync_api.sync_playwright() as pw:
        # a fresh --user-data-dir: Playwright passes ``profile`` as that flag
        browser = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            viewport={"width": 1280, "height": 1000},
            locale="es-PE",
            accept_downloads=True,
        )
        page = browser.new_page()
        try:
            yield page
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="package")
def demo_hub(server_url: str) -> Iterator[tuple[LiveHub, str]]:
    """A hub serving a fresh database with the demo data set (1,200 persons)."""
    url = create_database(server_url, prefix="qhub_console_demo")
    with psycopg.connect(libpq_url(url)) as conn:
        with conn.transaction():
            generate_demo(conn, persons=1200, seed=5, password_hash=hash_secret(DEMO_PASSWORD))
        conn.execute("ANALYZE")
    hub = LiveHub(url).start()
    try:
        yield hub, url
    finally:
        hub.stop()
        drop_database(server_url, url)


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations of the page as it is now (rule: how many elements)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(  # type: ignore[no-any-return]
        "axe.run(document).then(r => r.violations.map("
        "v => `${v.id}: ${v.nodes.length} (${v.nodes[0].target.join(' ')})`))"
    )
