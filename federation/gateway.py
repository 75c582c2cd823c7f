"""Run Hive Gateway (``gateway.config.mjs``) on a supergraph, as a child process.

The same command line serves ``qhub federation gateway``, the tests, the benchmarks and the
``gateway`` service of ``docker-compose.yml``::

    node federation/node_modules/@graphql-hive/gateway/dist/bin.js supergraph SUPERGRAPH \\
         -c federation/gateway.config.mjs --host HOST --port PORT
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from federation.compose import FEDERATION_DIR, SUPERGRAPH, ensure_npm_packages, node_executable

GATEWAY_BIN = FEDERATION_DIR / "node_modules" / "@graphql-hive" / "gateway" / "dist" / "bin.js"
CONFIG = FEDERATION_DIR / "gateway.config.mjs"


def gateway_command(
    supergraph: Path | str, host: str, port: int, config: Path = CONFIG
) -> list[str]:
    return [
        node_executable(),
        str(GATEWAY_BIN),
        "supergraph",
        str(Path(supergraph).resolve()),
        "-c",
        str(config),
        "--host",
        host,
        "--port",
        str(port),
    ]


def gateway_env(
    hub_url: str,
    *,
    issuer: str | None = None,
    audience: str | None = None,
    jwks_url: str | None = None,
    anonymous: bool = False,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a gateway process (JIT removed: it must never be on)."""
    env = {k: v for k, v in os.environ.items() if k not in {"JIT", "NODE_OPTIONS"}}
    env["QHUB_HUB_URL"] = hub_url
    for key, value in (
        ("QHUB_ISSUER", issuer),
        ("QHUB_AUDIENCE", audience),
        ("QHUB_JWKS_URL", jwks_url),
    ):
        if value is not None:
            env[key] = value
    env["QHUB_GATEWAY_ANONYMOUS"] = "1" if anonymous else "0"
    env.setdefault("LOG_LEVEL", "warn")
    env.update(extra or {})
    return env


class Gateway:
    """A Hive Gateway child process on ``host:port``; ``stop()`` ends it (and only it)."""

    def __init__(
        self,
        hub_url: str,
        port: int,
        supergraph: Path | str = SUPERGRAPH,
        host: str = "127.0.0.1",
        log: Path | None = None,
        config: Path = CONFIG,
        **env: object,
    ) -> None:
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}/graphql"
        self.command = gateway_command(supergraph, host, port, config)
        self.env = gateway_env(hub_url, **env)  # type: ignore[arg-type]
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> Gateway:
        ensure_npm_packages()
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command, cwd=FEDERATION_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        ready = f"http://{self.host}:{self.port}/readiness"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Hive Gateway terminó al iniciar (código {self.process.returncode})"
                )
            try:
                if httpx.get(ready, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Hive Gateway no estuvo listo a tiempo")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
