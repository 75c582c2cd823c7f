"""``qhub federation sdl`` / ``qhub federation compose`` on the hub's own subgraphs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hub.cli import app
from schema.build import SUBGRAPHS


def test_sdl_writes_every_subgraph_and_a_compose_config(tmp_path: Path) -> None:
    # When the hub's subgraph SDL is exported for the gateway container
    result = CliRunner().invoke(
        app, ["federation", "sdl", "--hub-url", "http://hub:8000", "--out-dir", str(tmp_path)]
    )
    # Then each subgraph has its SDL (federation 2.9, with the policy's scopes) and its route
    assert result.exit_code == 0, result.output
    config = json.loads((tmp_path / "subgraphs.json").read_text())
    assert config == [
        {
            "name": name,
            "url": f"http://hub:8000/subgraphs/{name}/graphql",
            "sdlFile": f"{name}.graphql",
        }
        for name in SUBGRAPHS
    ]
    for name in SUBGRAPHS:
        sdl = (tmp_path / f"{name}.graphql").read_text()
        assert "https://specs.apollo.dev/federation/v2.9" in sdl


def test_compose_one_hub_subgraph_keeps_its_scopes(federation_tools: Path, tmp_path: Path) -> None:
    out = tmp_path / "supergraph.graphql"
    # When the commission's subgraph is composed by the command
    result = CliRunner().invoke(
        app,
        [
            *("federation", "compose", "--hub-url", "http://hub:8000"),
            *("--only", "cases", "--out", str(out)),
        ],
    )
    # Then the supergraph routes to the hub and carries the policy as @requiresScopes
    assert result.exit_code == 0, result.output
    sdl = out.read_text()
    assert 'join__graph(name: "cases", url: "http://hub:8000/subgraphs/cases/graphql")' in sdl
    assert "https://specs.apollo.dev/requiresScopes/v0.1" in sdl
    assert '["role:migraciones"]' in sdl


def test_compose_reports_errors_and_exits_non_zero(federation_tools: Path, tmp_path: Path) -> None:
    out = tmp_path / "supergraph.graphql"
    # Given an external subgraph that cannot be reached
    result = CliRunner().invoke(
        app,
        [
            *("federation", "compose", "--only", "cases"),
            *("--subgraph", "gone=http://127.0.0.1:9/x", "--out", str(out)),
        ],
    )
    # Then the command fails, names the subgraph, and writes nothing
    assert result.exit_code == 1
    assert "gone" in result.output
    assert not out.exists()
