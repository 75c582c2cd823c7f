"""docker-compose.yml as deployed: restart policies, secrets as files, images built from the
Dockerfile (nothing installed at start), only the gateway published — and the hub's
container program (scripts/container-hub.sh) started directly with the compose file's
environment, since there is no Docker here."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
SERVICES: dict[str, Any] = COMPOSE["services"]


def test_every_service_restarts_and_the_programs_are_built_images() -> None:
    assert set(SERVICES) == {"postgres", "hub", "gateway"}
    assert {name: s.get("restart") for name, s in SERVICES.items()} == dict.fromkeys(
        SERVICES, "unless-stopped"
    )
    targets = set(re.findall(r"^FROM \S+ AS (\S+)$", DOCKERFILE, re.MULTILINE))
    for name in ("hub", "gateway"):
        service = SERVICES[name]
        assert service["build"] == {"context": ".", "target": name}
        assert name in targets
        # nothing installed at start, no source tree mounted over the image
        assert "command" not in service
        assert not any(str(v).split(":")[0] in (".", "./") for v in service.get("volumes", []))
    for script in ("container-hub.sh", "container-gateway.sh"):
        assert f"scripts/{script}" in DOCKERFILE
        assert os.access(ROOT / "scripts" / script, os.X_OK)
    # every file the Dockerfile copies from the build context exists
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert list(ROOT.glob(source)), source


def test_only_the_gateway_is_published() -> None:
    assert {name for name, s in SERVICES.items() if "ports" in s} == {"gateway"}
    assert SERVICES["hub"]["expose"] == ["8000"]


def test_secrets_reach_the_containers_as_files() -> None:
    declared = COMPOSE["secrets"]
    assert all(set(spec) == {"file"} for spec in declared.values())
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == (
        "/run/secrets/postgres_password"
    )
    assert SERVICES["hub"]["environment"]["QHUB_DATABASE_URL_FILE"] == "/run/secrets/database_url"
    for name, service in SERVICES.items():
        assert set(service.get("secrets", [])) <= set(declared), name
        for key, value in (service.get("environment") or {}).items():
            assert "PASSWORD" not in key or key.endswith("_FILE"), (name, key)
            assert not re.search(r"://[^/@\s]+:[^/@\s]+@", str(value)), (name, key)
    # the gateway sees the subgraphs' SDL, not the hub's data (its signing keys)
    assert SERVICES["gateway"]["volumes"] == ["sdl:/srv/sdl:ro"]


def test_the_hub_container_program_runs_with_the_compose_environment(
    database_url: str, tmp_path: Path
) -> None:
    # Given the hub's environment from the compose file, with its paths and secret moved
    # to this machine (the secret is a file, as /run/secrets/database_url would be)
    secret = tmp_path / "database_url"
    secret.write_text(database_url + "\n", encoding="utf-8")
    port = free_port()
    env = {
        key: str(value)
        for key, value in os.environ.items()
        if not key.startswith("QHUB_") or key == "QHUB_WEBHOOK_DISPATCH"
    }
    env.update({k: str(v) for k, v in SERVICES["hub"]["environment"].items()})
    env.update(
        QHUB_DATABASE_URL_FILE=str(secret),
        QHUB_DATA_DIR=str(tmp_path / "data"),
        QHUB_SDL_DIR=str(tmp_path / "sdl"),
        QHUB_PUBLIC_URL=f"http://127.0.0.1:{port}",
        QHUB_HOST="127.0.0.1",
        QHUB_PORT=str(port),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    stderr = tmp_path / "hub.log"
    with stderr.open("wb") as log:
        process = subprocess.Popen(
            ["sh", str(ROOT / "scripts" / "container-hub.sh")],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, stderr.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the hub did not become ready"
            time.sleep(0.5)
        # Then it serves, wrote the SDL the gateway composes, and runs as configured:
        # GraphiQL off, JSON log lines with the request id
        answer = httpx.post(
            f"{url}/graphql",
            json={"query": "{ offices { code } }"},
            headers={"X-Request-Id": "c-1"},
        )
        assert answer.status_code == 200 and answer.json()["data"]["offices"]
        assert json.loads((tmp_path / "sdl" / "subgraphs.json").read_text())
        page = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"})
        assert page.json()["errors"][0]["extensions"]["code"] == "GRAPHIQL_DISABLED"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    lines = [json.loads(x) for x in stderr.read_text().splitlines() if x.startswith("{")]
    served = [x for x in lines if x.get("request_id") == "c-1"]
    assert served and served[0]["status"] == 200 and served[0]["path"] == "/graphql"
