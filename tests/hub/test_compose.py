"""docker-compose.yml as deployed: restart policies, secrets as files, images built from the
Dockerfile (nothing installed at start), only the gateway published, two hub instances on
shared keys behind it — and, since there is no Docker here, what it starts started directly
with the compose file's environment: the key maker, both hubs' container program
(scripts/container-hub.sh) and the real Hive Gateway's (scripts/container-gateway.sh).
Through the gateway, requests land on both instances, the pre-registration limit counts
citizens (not the gateway, not a made-up X-Forwarded-For), and readiness stays honest when
an instance stops."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from federation.compose import node_executable
from tests.conftest import free_port
from tests.hub.test_pre_registration import MUTATION, submission

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
SERVICES: dict[str, Any] = COMPOSE["services"]


HUBS = ("hub-a", "hub-b")


def test_every_service_restarts_and_the_programs_are_built_images() -> None:
    assert set(SERVICES) == {"postgres", "keys", "hub-a", "hub-b", "gateway"}
    # every long-running service restarts; the one-shot key maker does not run again
    assert {name: s.get("restart") for name, s in SERVICES.items()} == {
        **dict.fromkeys(SERVICES, "unless-stopped"),
        "keys": None,
    }
    targets = set(re.findall(r"^FROM \S+ AS (\S+)$", DOCKERFILE, re.MULTILINE))
    for name, target in {**dict.fromkeys((*HUBS, "keys"), "hub"), "gateway": "gateway"}.items():
        service = SERVICES[name]
        assert service["build"] == {"context": ".", "target": target}
        assert target in targets
        # nothing installed at start, no source tree mounted over the image
        assert "command" not in service or name == "keys"
        assert not any(str(v).split(":")[0] in (".", "./") for v in service.get("volumes", []))
    assert SERVICES["keys"]["command"] == ["qhub", "keys", "init"]
    for script in ("container-hub.sh", "container-gateway.sh"):
        assert f"scripts/{script}" in DOCKERFILE
        assert os.access(ROOT / "scripts" / script, os.X_OK)
    # every file the Dockerfile copies from the build context exists, and the gateway's
    # image holds every module its configuration imports
    for line in DOCKERFILE.replace("\\\n", " ").splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert list(ROOT.glob(source)), source
    config = (ROOT / "federation" / "gateway.config.mjs").read_text(encoding="utf-8")
    for module in re.findall(r'from "\./([\w.]+)"', config):
        assert f"federation/{module}" in DOCKERFILE, module


def test_only_the_gateway_is_published() -> None:
    assert {name for name, s in SERVICES.items() if "ports" in s} == {"gateway"}
    for name in HUBS:
        assert SERVICES[name]["expose"] == ["8000"]


def test_secrets_reach_the_containers_as_files() -> None:
    declared = COMPOSE["secrets"]
    assert all(set(spec) == {"file"} for spec in declared.values())
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == (
        "/run/secrets/postgres_password"
    )
    for name in HUBS:
        environment = SERVICES[name]["environment"]
        assert environment["QHUB_DATABASE_URL_FILE"] == "/run/secrets/database_url"
    for name, service in SERVICES.items():
        assert set(service.get("secrets", [])) <= set(declared), name
        for key, value in (service.get("environment") or {}).items():
            assert "PASSWORD" not in key or key.endswith("_FILE"), (name, key)
            assert not re.search(r"://[^/@\s]+:[^/@\s]+@", str(value)), (name, key)
    # the gateway sees the subgraphs' SDL, never the keys
    assert SERVICES["gateway"]["volumes"] == ["sdl:/srv/sdl:ro"]


def test_two_instances_share_keys_and_only_the_gateway_is_believed() -> None:
    a, b = (SERVICES[name] for name in HUBS)
    # one key volume, made once by the key maker, read-only for both instances
    keys_dir = a["environment"]["QHUB_KEYS_DIR"]
    assert keys_dir == b["environment"]["QHUB_KEYS_DIR"]
    assert SERVICES["keys"]["volumes"] == [f"hubkeys:{keys_dir}"]
    for service in (a, b):
        assert f"hubkeys:{keys_dir}:ro" in service["volumes"]
    assert a["depends_on"]["keys"] == {"condition": "service_completed_successfully"}
    # each its own data folder; one public name; hub-b starts on a migrated database
    assert {v for v in a["volumes"] if v.startswith("hubdata")} != {
        v for v in b["volumes"] if v.startswith("hubdata")
    }
    assert a["environment"]["QHUB_PUBLIC_URL"] == b["environment"]["QHUB_PUBLIC_URL"]
    assert b["depends_on"] == {"hub-a": {"condition": "service_healthy"}}
    assert "QHUB_SDL_DIR" in a["environment"] and "QHUB_SDL_DIR" not in b["environment"]
    # the gateway spreads calls over both, and is the only proxy the hubs believe
    gateway = SERVICES["gateway"]
    assert gateway["environment"]["QHUB_HUB_URLS"] == "http://hub-a:8000,http://hub-b:8000"
    address = gateway["networks"]["default"]["ipv4_address"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)
    for service in (a, b):
        assert service["environment"]["QHUB_TRUSTED_PROXIES"] == f"{address}/32"
    # two connection budgets fit PostgreSQL's 100 with room for migrations, backups, psql
    budgets = [int(s["environment"]["QHUB_MAX_CONNECTIONS"]) for s in (a, b)]
    assert sum(budgets) + 10 <= 100, budgets
    assert not any("pgbouncer" in str(s.get("image", "")) for s in SERVICES.values())


FEDERATION = ROOT / "federation"
RATE = 2  # pre-registrations a minute per citizen, for the test


@dataclass
class Program:
    """A container's program started here, its output in ``log``."""

    process: subprocess.Popen[bytes]
    log: Path
    url: str

    def lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text(errors="replace")
        return [json.loads(x) for x in text.splitlines() if x.startswith("{")]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def _environment(service: str, **moved: str) -> dict[str, str]:
    """The compose file's environment of ``service``, with paths and addresses moved here."""
    env = {
        key: str(value)
        for key, value in os.environ.items()
        if not key.startswith("QHUB_") or key == "QHUB_WEBHOOK_DISPATCH"
    }
    env.update({k: str(v) for k, v in (SERVICES[service].get("environment") or {}).items()})
    env.update(moved, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return env


def _start(command: list[str], env: dict[str, str], cwd: Path, log: Path, ready: str) -> Program:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    program = Program(process, log, ready.rsplit("/", 1)[0])
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            if httpx.get(ready, timeout=2).status_code == 200:
                return program
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{command} did not become ready"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def deployment(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """What `docker compose up` starts, started here: the key maker, hub-a, then hub-b,
    then the gateway in front of both (the gateway's address, 127.0.0.1 here, is the only
    trusted proxy, as its fixed address is in the compose file)."""
    base = tmp_path_factory.mktemp("compose")
    secret = base / "database_url"
    secret.write_text(database_url + "\n", encoding="utf-8")
    keys = base / "keys"
    made = subprocess.run(
        SERVICES["keys"]["command"],
        env=_environment("keys", QHUB_KEYS_DIR=str(keys)),
        cwd=base,
        capture_output=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    hubs: dict[str, Program] = {}
    for name in HUBS:
        port = free_port()
        moved = {
            "QHUB_DATABASE_URL_FILE": str(secret),
            "QHUB_DATA_DIR": str(base / name),
            "QHUB_KEYS_DIR": str(keys),
            "QHUB_HOST": "127.0.0.1",
            "QHUB_PORT": str(port),
            "QHUB_TRUSTED_PROXIES": "127.0.0.1/32",
            "QHUB_PRE_REGISTRATION_RATE_PER_MINUTE": str(RATE),
        }
        if "QHUB_SDL_DIR" in SERVICES[name]["environment"]:
            moved.update(
                QHUB_SDL_DIR=str(base / "sdl"), QHUB_SUBGRAPH_URL=f"http://127.0.0.1:{port}"
            )
        hubs[name] = _start(
            ["sh", str(ROOT / "scripts" / "container-hub.sh")],
            _environment(name, **moved),
            base,
            base / f"{name}.log",
            f"http://127.0.0.1:{port}/readyz",
        )
    port = free_port()
    urls = ",".join(hub.url for hub in hubs.values())
    gateway = _start(
        ["sh", str(ROOT / "scripts" / "container-gateway.sh")],
        _environment(
            "gateway",
            QHUB_HUB_URLS=urls,
            QHUB_JWKS_URL=f"{hubs['hub-a'].url}/.well-known/jwks.json",
            QHUB_SDL_DIR=str(base / "sdl"),
            QHUB_SUPERGRAPH=str(base / "supergraph.graphql"),
            GATEWAY_PORT=str(port),
            PATH=f"{Path(node_executable()).parent}{os.pathsep}{os.environ['PATH']}",
        ),
        FEDERATION,
        base / "gateway.log",
        f"http://127.0.0.1:{port}/readiness",
    )
    try:
        yield hubs, gateway, base
    finally:
        for program in (gateway, *hubs.values()):
            program.stop()


def test_the_hub_container_program_runs_with_the_compose_environment(deployment: Any) -> None:
    hubs, _, base = deployment
    url = hubs["hub-a"].url
    # Then it serves, wrote the SDL the gateway composes, and runs as configured:
    # GraphiQL off, JSON log lines with the request id
    answer = httpx.post(
        f"{url}/graphql", json={"query": "{ offices { code } }"}, headers={"X-Request-Id": "c-1"}
    )
    assert answer.status_code == 200 and answer.json()["data"]["offices"]
    assert json.loads((base / "sdl" / "subgraphs.json").read_text())
    page = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"})
    assert page.json()["errors"][0]["extensions"]["code"] == "GRAPHIQL_DISABLED"
    served = [x for x in hubs["hub-a"].lines() if x.get("request_id") == "c-1"]
    assert served and served[0]["status"] == 200 and served[0]["path"] == "/graphql"
    # and neither instance made keys in its data folder: both read the key volume
    for name in HUBS:
        assert not (base / name / "keys").exists()


def _through(gateway: Program, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.post(f"{gateway.url}/graphql", json=body, headers=headers, timeout=60)


def _landed(hubs: dict[str, Program], ids: set[str]) -> dict[str, set[str]]:
    return {
        name: {x["request_id"] for x in hub.lines() if x.get("request_id") in ids}
        for name, hub in hubs.items()
    }


def test_requests_through_the_gateway_land_on_both_instances(deployment: Any) -> None:
    hubs, gateway, _ = deployment
    # When twelve requests, each with its own id, go through the gateway
    ids = [f"rr-{uuid.uuid4().hex[:8]}-{i}" for i in range(12)]
    for rid in ids:
        answer = _through(gateway, {"query": "{ offices { code } }"}, **{"X-Request-Id": rid})
        assert answer.status_code == 200 and len(answer.json()["data"]["offices"]) == 14
    # Then each instance served some of them, and together all of them, each once
    landed = _landed(hubs, set(ids))
    assert landed["hub-a"] and landed["hub-b"], landed
    assert landed["hub-a"] | landed["hub-b"] == set(ids)
    assert not landed["hub-a"] & landed["hub-b"]


def test_one_token_is_accepted_by_the_gateway_and_both_instances(deployment: Any) -> None:
    hubs, gateway, base = deployment
    # Given a Migration Office token signed with the deployment's keys (the key volume)
    minted = subprocess.run(
        ["qhub", "token", "--role", "migraciones", "--purpose", "deportation-protection"],
        env=_environment(
            "hub-a",
            QHUB_KEYS_DIR=str(base / "keys"),
            QHUB_DATABASE_URL_FILE=str(base / "database_url"),
        ),
        cwd=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    # When it is used for six requests through the gateway
    ids = [f"tok-{uuid.uuid4().hex[:8]}-{i}" for i in range(6)]
    for rid in ids:
        answer = _through(
            gateway,
            {"query": "{ whoami { role purpose } }"},
            **{
                "Authorization": f"Bearer {token}",
                "X-Purpose": "deportation-protection",
                "X-Request-Id": rid,
            },
        )
        assert answer.status_code == 200, answer.text
        assert answer.json() == {
            "data": {"whoami": {"role": "migraciones", "purpose": "deportation-protection"}}
        }
    # Then both instances accepted it (each verifies the token itself)
    landed = _landed(hubs, set(ids))
    assert landed["hub-a"] and landed["hub-b"], landed


def _pre_register(gateway: Program, source: str, forwarded: str | None = None) -> str | None:
    """Through the gateway from the client address ``source``; the error code or None."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    document = str(uuid.uuid4().int % 10**8).zfill(8)
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=60) as client:
        answer = client.post(
            f"{gateway.url}/graphql",
            json={"query": MUTATION, "variables": {"input": submission(document)}},
            headers=headers,
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["errors"][0]["extensions"]["code"] if body.get("errors") else None


def test_the_limit_counts_citizens_behind_the_gateway(deployment: Any) -> None:
    _, gateway, _ = deployment
    if datetime.now(UTC).second > 45:  # not across a minute's edge (a fixed window)
        time.sleep(61 - datetime.now(UTC).second)
    first, second = (f"127.0.{uuid.uuid4().int % 200 + 10}.{n}" for n in (2, 3))
    # When a citizen at one address pre-registers up to the limit through the gateway
    # (spread over both instances), then once more
    codes = [_pre_register(gateway, first) for _ in range(RATE + 1)]
    # Then the limit holds for them (the deployment counts them once, not per instance)
    assert codes == [None] * RATE + ["RATE_LIMITED"]
    # and a forwarded address they make up buys them no new bucket: the hub reads the
    # address the gateway appended, not what the client wrote before it
    assert _pre_register(gateway, first, forwarded="203.0.113.77") == "RATE_LIMITED"
    assert _pre_register(gateway, first, forwarded=f"{second}") == "RATE_LIMITED"
    # while another citizen, behind the same gateway, has a bucket of their own
    assert _pre_register(gateway, second) is None


def test_each_instance_readiness_is_honest(deployment: Any) -> None:
    hubs, gateway, _ = deployment
    # Given both instances ready within the compose file's connection budget, and the
    # gateway saying so for each
    budget = int(SERVICES["hub-a"]["environment"]["QHUB_MAX_CONNECTIONS"])
    for hub in hubs.values():
        own = httpx.get(f"{hub.url}/readyz")
        assert own.status_code == 200
        assert (own.json()["budget"], own.json()["primary"]) == (budget, budget)
        assert sum(pool["max"] for pool in own.json()["pools"].values()) + 2 == budget
    ready = httpx.get(f"{gateway.url}/readiness", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "hubs": {f"{hub.url}/readyz": "ready" for hub in hubs.values()},
    }
    # When hub-b stops
    hubs["hub-b"].stop()
    # Then its own readiness does not answer, the gateway's names it unreachable and stays
    # ready on hub-a, and every request through the gateway is answered by hub-a
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{hubs['hub-b'].url}/readyz", timeout=2)
    after = httpx.get(f"{gateway.url}/readiness", timeout=10)
    assert after.status_code == 200
    assert after.json()["hubs"] == {
        f"{hubs['hub-a'].url}/readyz": "ready",
        f"{hubs['hub-b'].url}/readyz": "unreachable",
    }
    ids = [f"down-{uuid.uuid4().hex[:8]}-{i}" for i in range(6)]
    for rid in ids:
        answer = _through(gateway, {"query": "{ offices { code } }"}, **{"X-Request-Id": rid})
        assert answer.status_code == 200, answer.text
        assert len(answer.json()["data"]["offices"]) == 14
    assert _landed(hubs, set(ids)) == {"hub-a": set(ids), "hub-b": set()}
    # When hub-a stops too, the gateway is not ready
    hubs["hub-a"].stop()
    gone = httpx.get(f"{gateway.url}/readiness", timeout=10)
    assert gone.status_code == 503
    assert gone.json()["reason"] == "hub unreachable"
