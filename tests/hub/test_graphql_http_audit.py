"""The GraphQL-over-HTTP spec, checked by graphql-http's own server audit suite (npm)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import LiveHub

JS = Path(__file__).resolve().parent.parent / "js"


@pytest.fixture(scope="module")
def js_tools() -> Path:
    if not (JS / "node_modules" / "graphql-http").exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed for the GraphQL-over-HTTP audit"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True)
    return JS


def test_every_must_and_should_audit_passes(live_hub: LiveHub, js_tools: Path) -> None:
    # Given the hub serving /graphql
    # When graphql-http's audit suite runs against it
    out = subprocess.run(
        ["node", "audit.mjs", f"{live_hub.url}/graphql"],
        cwd=js_tools,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(out.stdout.strip().splitlines()[-1])
    # Then every audit passes: MUST, SHOULD and MAY alike
    failures = [r for r in results if r["status"] != "ok"]
    levels = [r["name"].split()[0] for r in results]
    assert levels.count("MUST") >= 13 and levels.count("SHOULD") >= 23
    assert failures == [], json.dumps(failures, indent=1, ensure_ascii=False)
