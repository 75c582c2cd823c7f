"""GraphiQL in a real browser (Debian's Chromium): it starts from the hub's own assets
under the hub's Content-Security-Policy, with nothing refused, and runs a query."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from playwright import sync_api

from tests.conftest import LiveHub

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium missing")


def test_graphiql_runs_offline_under_the_csp(live_hub: LiveHub, tmp_path: Path) -> None:
    profile = tempfile.mkdtemp(prefix="qhub-chromium-")
    problems: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, viewport={"width": 1280, "height": 900}
        )
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
            )
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on(
                "request",
                lambda r: None if r.url.startswith(live_hub.url) else outside.append(r.url),
            )
            page.goto(f"{live_hub.url}/graphql")
            page.wait_for_selector(".graphiql-container", timeout=20_000)
            page.locator(".graphiql-query-editor .CodeMirror").first.click()
            page.keyboard.press("Control+a")
            page.keyboard.type("{ offices { code")
            page.locator(".graphiql-execute-button").click()
            try:
                page.locator(".graphiql-response").filter(has_text='"LIM"').wait_for(timeout=20_000)
            finally:
                page.screenshot(path=str(tmp_path / "graphiql.png"))
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    assert outside == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []


def test_the_certificate_page_keeps_its_hashed_inline_style(live_hub: LiveHub) -> None:
    profile = tempfile.mkdtemp(prefix="qhub-chromium-")
    refused: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
            page.goto(f"{live_hub.url}/v/no-es-un-token")
            header = page.locator("header")
            # the style applied (the policy allows exactly that <style> by its hash)
            assert header.evaluate("h => getComputedStyle(h).backgroundColor") == (
                "rgb(13, 42, 84)"
            )
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    assert [r for r in refused if "Content Security Policy" in r] == []
