"""Supergraph composition: subgraph SDLs in, ``federation/supergraph.graphql`` out.

The composing is done by ``compose.mjs`` (``@theguild/federation-composition``, npm); this
module gathers the subgraphs, runs it, and raises :class:`CompositionError` with every
composition error when it fails. Subgraphs come from

- the hub's own schema (:func:`hub_subgraphs`: SDL printed in-process from
  ``schema.build.subgraph_schema``, routing URL ``{hub}/subgraphs/<name>/graphql``), or
- a running server (``Subgraph(name, url)`` with no SDL: fetched with ``{ _service { sdl } }``),
  which is how an agency's own subgraph joins, or
- SDL text or files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

FEDERATION_DIR = Path(__file__).resolve().parent
SUPERGRAPH = FEDERATION_DIR / "supergraph.graphql"
NODE_MODULES = FEDERATION_DIR / "node_modules"


class FederationToolsMissing(RuntimeError):
    """Node or npm is not installed."""


class CompositionError(RuntimeError):
    """Composition failed; ``errors`` holds one line per composition error."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("La composición del supergrafo falló:\n" + "\n".join(errors))


@dataclass(frozen=True)
class Subgraph:
    """One subgraph: its name, the URL the gateway calls, and its SDL (None: fetch from url)."""

    name: str
    url: str
    sdl: str | None = None

    def as_config(self) -> dict[str, str]:
        entry = {"name": self.name, "url": self.url}
        if self.sdl is not None:
            entry["sdl"] = self.sdl
        return entry


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise FederationToolsMissing("Se necesita Node.js (node) para la federación.")
    return node


def ensure_npm_packages() -> Path:
    """``npm ci`` in ``federation/`` when its packages are missing (a clean clone)."""
    if (NODE_MODULES / "@graphql-hive" / "gateway").is_dir() and (
        NODE_MODULES / "@theguild" / "federation-composition"
    ).is_dir():
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise FederationToolsMissing(
            "Se necesita npm para instalar las herramientas de federación."
        )
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=FEDERATION_DIR,
        check=True,
        timeout=900,
    )
    return NODE_MODULES


def hub_subgraphs(hub_url: str, names: Iterable[str] | None = None) -> list[Subgraph]:
    """The hub's subgraphs (``schema.build.SUBGRAPHS``), SDL printed from the schema itself."""
    from schema.build import SUBGRAPHS, subgraph_schema

    base = hub_url.rstrip("/")
    chosen = list(names) if names is not None else list(SUBGRAPHS)
    return [
        Subgraph(name, f"{base}/subgraphs/{name}/graphql", subgraph_schema(name).as_str())
        for name in chosen
    ]


def write_sdl(subgraphs: Sequence[Subgraph], out_dir: Path | str) -> Path:
    """Write each subgraph's SDL to ``out_dir/<name>.graphql`` and ``out_dir/subgraphs.json``.

    ``node compose.mjs --config out_dir/subgraphs.json`` then composes them without Python
    (what the gateway container of ``docker-compose.yml`` does).
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for sub in subgraphs:
        entry: dict[str, str] = {"name": sub.name, "url": sub.url}
        if sub.sdl is not None:
            (folder / f"{sub.name}.graphql").write_text(sub.sdl, encoding="utf-8")
            entry["sdlFile"] = f"{sub.name}.graphql"
        entries.append(entry)
    config = folder / "subgraphs.json"
    config.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    return config


def compose(
    subgraphs: Sequence[Subgraph],
    out: Path | str = SUPERGRAPH,
    headers: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> str:
    """Compose ``subgraphs`` into a supergraph written to ``out``; return its SDL.

    Raises :class:`CompositionError` (``out`` untouched) when composition fails.
    """
    ensure_npm_packages()
    out_path = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="qhub-compose-") as tmp:
        config = Path(tmp) / "subgraphs.json"
        config.write_text(json.dumps([s.as_config() for s in subgraphs]), encoding="utf-8")
        command = [
            node_executable(),
            str(FEDERATION_DIR / "compose.mjs"),
            "--config",
            str(config),
            "--out",
            str(out_path),
        ]
        for key, value in (headers or {}).items():
            command += ["--header", f"{key}: {value}"]
        done = subprocess.run(
            command,
            cwd=FEDERATION_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"},
        )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise CompositionError(lines or [f"compose.mjs salió con {done.returncode}"])
    return out_path.read_text(encoding="utf-8")
