"""``qhub``: the hub's command line. Each area registers its commands from ``hub/commands/``."""

from __future__ import annotations

import importlib

import typer

# One line per command module; each exposes ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = [
    "hub.commands.serve",
    "hub.commands.db",
    "hub.commands.policy",
    "hub.commands.auth_cmds",
    "hub.commands.documents",
    "hub.commands.federation",
    "hub.commands.import_cmd",
    "hub.commands.webhooks",
    "hub.commands.statistics",
    "hub.commands.data_at_rest",
    "hub.commands.backup",
]

app = typer.Typer(
    help="Qoricancha Hub — hub de datos GraphQL de la Comisión Especial para los Refugiados.",
    no_args_is_help=True,
    add_completion=False,
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
