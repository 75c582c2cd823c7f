"""Fixtures of the federation tests: real uvicorn subgraphs, real composition, real Hive Gateway.

Everything listens on 127.0.0.1 free ports and is stopped at the end of the module/session.
The npm packages of ``federation/`` are installed (``npm ci``) when missing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from federation.compose import Subgraph, compose, ensure_npm_packages
from federation.gateway import Gateway
from tests.conftest import free_port
from tests.federation.standins import (
    AUDIENCE,
    ISSUER,
    STANDIN_SUBGRAPHS,
    AgencyApp,
    Keys,
    hub_standin_app,
)


class ServerThread:
    """An ASGI app served by uvicorn in a thread on a free loopback port."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def federation_tools() -> Path:
    """``federation/node_modules``, installed with ``npm ci`` on a clean clone."""
    return ensure_npm_packages()


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="module")
def standin_hub(keys: Keys) -> Iterator[ServerThread]:
    server = ServerThread(hub_standin_app(keys)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def agency(keys: Keys) -> Iterator[ServerThread]:
    server = ServerThread(AgencyApp(keys).app()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def standin_subgraphs(standin_hub: ServerThread, agency: ServerThread) -> list[Subgraph]:
    """The stand-in hub's subgraphs (SDL fetched from the running servers) and the agency's."""
    hub = [
        Subgraph(name, f"{standin_hub.url}/subgraphs/{name}/graphql") for name in STANDIN_SUBGRAPHS
    ]
    return [*hub, Subgraph("movements", f"{agency.url}/graphql")]


@pytest.fixture(scope="module")
def supergraph(
    federation_tools: Path,
    standin_subgraphs: list[Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    out = tmp_path_factory.mktemp("supergraph") / "supergraph.graphql"
    compose(standin_subgraphs, out)
    return out


@pytest.fixture(scope="module")
def gateway(
    supergraph: Path, standin_hub: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    log = tmp_path_factory.mktemp("gateway") / "gateway.log"
    gw = Gateway(
        standin_hub.url, free_port(), supergraph, log=log, issuer=ISSUER, audience=AUDIENCE
    )
    with gw:
        yield gw
