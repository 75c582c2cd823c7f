"""``qhub statistics publish``: build, audit and store the open statistics' release of
the last closed quarter (or ``--reference-date``, a quarter's last day)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import psycopg
import typer
from rich.console import Console

from hub.db import locate_database
from hub.migrations import upgrade
from hub.readpool import libpq_url
from hub.settings import Settings, get_settings
from services.errors import DomainError
from services.statistics import Release, publish

console = Console()
statistics_app = typer.Typer(help="Estadísticas abiertas: ediciones protegidas.")


async def _publish(url: str, threshold: int, reference: date | None) -> tuple[Release, bool]:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        return await publish(conn, threshold, reference)


def publish_release(
    url: str, settings: Settings, out: Console, reference: date | None = None
) -> Release:
    """Publish (or find) the release and say what it holds."""
    release, created = asyncio.run(_publish(url, settings.stats_suppression_threshold, reference))
    audit: dict[str, Any] = release.audit
    verb = "publicada" if created else "ya publicada (no cambia)"
    privacy = audit.get("privacy")
    protection = (
        f"privacidad diferencial, ρ {privacy['rho']} (ε {privacy['epsilon']}), "
        f"ρ gastado en el año {privacy['rhoSpentYear']} de {privacy['rhoYear']}"
        if privacy
        else f"{audit['hidden']} ocultas ({audit['primary']} pequeñas), auditoría con "
        f"{audit['lpSolves']} programas lineales"
    )
    out.print(
        f"Estadísticas: edición {release.version} al {release.reference_date.isoformat()} "
        f"{verb}: {len(release.tables) - 1} tablas, {audit['cells']} celdas, {protection}, "
        f"{release.build_seconds:.1f} s."
    )
    return release


@statistics_app.command("publish")
def publish_command(
    reference_date: str = typer.Option(
        "", help="Último día del trimestre (AAAA-MM-DD); por defecto, el último cerrado."
    ),
) -> None:
    """Publica la edición del trimestre: todas las tablas, auditadas juntas."""
    settings = get_settings()
    location = locate_database(settings)
    upgrade(location.url)
    try:
        publish_release(
            location.url,
            settings,
            console,
            date.fromisoformat(reference_date) if reference_date else None,
        )
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/red] — {exc.message}")
        for problem in exc.problems:
            console.print(f"  {problem.code} — {problem.message}")
        raise typer.Exit(2) from exc


def register(app: typer.Typer) -> None:
    app.add_typer(statistics_app, name="statistics")
