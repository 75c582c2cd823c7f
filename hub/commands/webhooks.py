"""``qhub webhooks add|list|disable|enable``: agencies' endpoints for protection changes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
import typer
from rich.console import Console
from rich.table import Table

from hub.db import locate_database
from hub.migrations import upgrade
from hub.readpool import libpq_url
from hub.settings import get_settings
from services.casework import subscriptions as subs
from services.errors import DomainError

console = Console()
webhooks_app = typer.Typer(help="Webhooks de las entidades (cambios de protección, firmados).")
T = TypeVar("T")


def _with_connection(fn: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]]) -> T:
    location = locate_database(get_settings())
    upgrade(location.url)

    async def go() -> T:
        async with await psycopg.AsyncConnection.connect(
            libpq_url(location.url), autocommit=True
        ) as conn:
            return await fn(conn)

    try:
        return asyncio.run(go())
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/red] — {exc.message}")
        for problem in exc.problems:
            console.print(
                f"  {'.'.join(map(str, problem.path))}: {problem.code} — {problem.message}"
            )
        raise typer.Exit(2) from exc


@webhooks_app.command("add")
def add(
    agency: str = typer.Option(..., help="migraciones, minsa o acnur."),
    url: str = typer.Option(..., help="Dirección https:// que recibe los avisos."),
) -> None:
    """Registra el punto de recepción de una entidad y muestra (una sola vez) su secreto."""
    new = _with_connection(lambda conn: subs.add_subscription(conn, agency, url))
    console.print(f"Suscripción [bold]{new.subscription.id}[/bold] para {agency}: {url}")
    console.print(
        "Secreto de firma (entréguelo a la entidad; no se volverá a mostrar): "
        f"[cyan]{new.secret}[/cyan]"
    )
    console.print(
        "Cada aviso lleva X-Qhub-Event-Id, X-Qhub-Timestamp y X-Qhub-Signature: "
        "'sha256=' + HMAC-SHA256 en hexadecimal de '<timestamp>.<cuerpo>' con ese secreto."
    )


@webhooks_app.command("list")
def list_() -> None:
    """Muestra las suscripciones y cuántos avisos esperan entrega."""
    found = _with_connection(subs.list_subscriptions)
    table = Table(title="Suscripciones de webhooks")
    for column in ("id", "entidad", "dirección", "eventos", "activa", "pendientes"):
        table.add_column(column)
    for s in found:
        table.add_row(
            str(s.id),
            s.agency,
            s.url,
            ", ".join(s.events),
            "sí" if s.active else "no",
            str(s.pending),
        )
    console.print(table)


@webhooks_app.command("disable")
def disable(subscription_id: int = typer.Argument(..., help="Número de la suscripción.")) -> None:
    """Deja de enviar avisos a esa suscripción."""
    _with_connection(lambda conn: subs.set_active(conn, subscription_id, False))
    console.print(f"Suscripción {subscription_id} desactivada.")


@webhooks_app.command("enable")
def enable(subscription_id: int = typer.Argument(..., help="Número de la suscripción.")) -> None:
    """Vuelve a enviar avisos a esa suscripción."""
    _with_connection(lambda conn: subs.set_active(conn, subscription_id, True))
    console.print(f"Suscripción {subscription_id} activada.")


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")
