"""``qhub db upgrade`` / ``qhub db current``."""

from __future__ import annotations

import typer
from rich.console import Console

from hub.db import locate_database
from hub.migrations import current_revision, head_revision, upgrade
from hub.settings import get_settings

db_app = typer.Typer(help="Base de datos: migraciones.", no_args_is_help=True)
console = Console()


@db_app.command("upgrade")
def upgrade_cmd() -> None:
    """Aplica las migraciones pendientes."""
    location = locate_database(get_settings())
    upgrade(location.url)
    console.print(
        f"[green]Base de datos al día[/green] (revisión {current_revision(location.url)})."
    )


@db_app.command("current")
def current_cmd() -> None:
    """Muestra la revisión actual y la más reciente."""
    location = locate_database(get_settings())
    console.print(
        f"actual: {current_revision(location.url)} · última: {head_revision(location.url)}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
