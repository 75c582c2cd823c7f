"""The console's build: every GraphQL operation it sends is checked against the committed
contract of each role that sends it, the committed bundle matches the sources, and the
hub knows the operations by hash from start-up."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx

from services.casework import status
from tests.auth.tokens import mint
from tests.conftest import LiveHub

CONSOLE = Path(__file__).resolve().parents[2] / "console"
NODE = shutil.which("node") or "node"


def build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NODE, "tools/build.mjs", *args], cwd=CONSOLE, capture_output=True, text=True, timeout=300
    )


def test_the_committed_console_is_what_the_sources_build() -> None:
    # when the console is built from its sources into a temporary folder
    result = build("--check")
    # then every operation is valid for its roles and the committed output is identical
    assert result.returncode == 0, result.stderr
    assert "built output up to date" in result.stdout


def test_an_operation_asking_a_field_its_role_cannot_read_fails_the_build(tmp_path: Path) -> None:
    # given the console's operations, one of which (CaseDetail, sent by all four officer
    # roles) now asks for the principal's phone, which the secretary's contract lacks
    for source in (CONSOLE / "operations").glob("*.graphql"):
        shutil.copy(source, tmp_path / source.name)
    detail = tmp_path / "CaseDetail.graphql"
    detail.write_text(detail.read_text().replace("entryDate\n", "entryDate phone\n", 1))
    assert "entryDate phone" in detail.read_text()
    # when the operations are validated
    result = build("--validate-only", "--operations", str(tmp_path))
    # then the build fails naming the file, the role and the field
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Operations do not match the role contracts:",
        'CaseDetail.graphql:8:55: contract cepr-secretary: Cannot query field "phone" on type'
        ' "Person". Did you mean "photo"?',
    ]


def test_the_workflow_bar_uses_the_status_machine_of_the_service() -> None:
    # the console's moves are the service's: generic status changes, decisions, appeals
    machine = json.loads((CONSOLE / "src" / "workflow.json").read_text())
    console = {(f, t) for f, t, _ in machine["transitions"]}
    service = (
        set(status.TRANSITIONS)
        | set(getattr(status, "DECISIONS", ()))
        | set(getattr(status, "APPEALS", ()))
    )
    assert console == {(f.name, t.name) for f, t in service}
    assert set(machine["stages"]) <= {s for edge in console for s in edge}


def test_the_hub_knows_the_console_operations_by_hash(live_hub: LiveHub) -> None:
    # given the console's manifest of persisted operations
    manifest = json.loads((CONSOLE / "public" / "persisted-operations.json").read_text())
    session = next(h for h, op in manifest.items() if op["name"] == "Session")
    # when the console sends only the hash (no query text), as it does
    response = httpx.post(
        f"{live_hub.url}/graphql",
        json={
            "operationName": "Session",
            "variables": {},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": session}},
        },
        headers={
            "Authorization": f"Bearer {mint('cepr-registrar', office='LIM')}",
            "X-Purpose": "case-management",
        },
    )
    # then the hub runs it
    body = response.json()
    assert response.status_code == 200
    assert "errors" not in body
    assert body["data"]["whoami"] == {
        "role": "cepr-registrar",
        "agency": "cepr",
        "officeCode": "LIM",
        "purpose": "case-management",
    }
