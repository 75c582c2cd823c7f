"""Each role's contract as SDL, committed under ``schema/contracts/`` and checked by a test."""

from __future__ import annotations

from pathlib import Path

from models.vocab import Role

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "schema" / "contracts"


def contract_sdl(role: Role) -> str:
    from hub.routes_graphql import contract_for

    return contract_for(role).sdl.rstrip() + "\n"


def write_contracts(directory: Path = CONTRACTS_DIR) -> list[Path]:
    """Write ``<role>.graphql`` for every role; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for role in Role:
        path = directory / f"{role.value}.graphql"
        header = (
            f"# Contract of role «{role.value}»: every field it may ever read or write.\n"
            "# Generated from auth/policy.py by `qhub policy contracts`; do not edit.\n\n"
        )
        path.write_text(header + contract_sdl(role), encoding="utf-8")
        written.append(path)
    return written


def stale_contracts(directory: Path = CONTRACTS_DIR) -> list[str]:
    """Roles whose committed contract differs from what the code serves."""
    stale = []
    for role in Role:
        path = directory / f"{role.value}.graphql"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        if body != contract_sdl(role):
            stale.append(role.value)
    return stale
