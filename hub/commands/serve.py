"""``qhub serve``: start the hub (embedded PostgreSQL unless a database URL is set)."""

from __future__ import annotations

import signal
import sys
from typing import Any

import typer
from rich.console import Console

from hub.settings import get_settings

console = Console()


def serve(
    host: str = typer.Option("127.0.0.1", help="Dirección donde escuchar."),
    port: int = typer.Option(8000, help="Puerto."),
    demo: bool = typer.Option(
        False, "--demo", help="Carga datos de demostración si la base está vacía."
    ),
    workers: int = typer.Option(
        1, min=1, help="Procesos de uvicorn; el registro de accesos los encadena en orden."
    ),
) -> None:
    """Inicia el hub: aplica migraciones pendientes y sirve /graphql."""
    import uvicorn

    from hub.app import create_app
    from hub.db import locate_database
    from hub.guarded_pool import wait_for_database
    from hub.logs import configure as configure_logs
    from hub.migrations import upgrade
    from hub.tracing import instrument

    # SIGTERM ends the process the way Ctrl-C does: exit handlers run and stop the
    # embedded PostgreSQL (uvicorn hands the signal back here after its own shutdown).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    settings = get_settings()
    from hub.shared_keys import KeyPlaceError, check

    try:  # before anything else: an instance with keys of its own would not be told apart
        check(settings)
    except KeyPlaceError as exc:
        print(exc, file=sys.stderr)
        raise typer.Exit(2) from exc
    location = locate_database(settings)
    wait_for_database(location.url, lambda line: console.print(f"[yellow]{line}[/yellow]"))
    console.print("Aplicando migraciones…")
    upgrade(location.url)
    if demo:
        from hub.demo import ensure_demo_data

        ensure_demo_data(location.url, settings, console)
        from hub.commands.statistics import publish_release

        publish_release(location.url, settings, console)
    base = f"http://{host}:{port}"
    console.print(f"[bold green]Qoricancha Hub[/bold green] en {base}")
    console.print(f"  GraphQL (y GraphiQL en el navegador): {base}/graphql")
    from hub.app import ROUTE_MODULES

    if "hub.routes_console" in ROUTE_MODULES:
        console.print(f"  Consola de funcionarios:               {base}/console/")
    console.print(f"  Estado:                                {base}/readyz")
    console.print(
        "  Token de prueba: [cyan]qhub token --role cepr-supervisor[/cyan] "
        "(o .venv/bin/qhub …); envíelo como 'Authorization: Bearer <token>'"
    )
    # JSON lines (QHUB_LOG_JSON=0: text); hub.front writes one line per request with its
    # real outcome and request id, so uvicorn's own access log is off.
    log_config = configure_logs(settings.log_json)
    if workers == 1:
        uvicorn.run(
            instrument(create_app(location.url, settings), settings.otel_endpoint),
            host=host,
            port=port,
            log_level="info",
            log_config=log_config,
            access_log=False,
        )
        return
    import asyncio
    import os

    from hub.app import prime

    # Workers are separate processes: they find the database (the embedded server keeps
    # running in this one) through the environment, like an external server's URL.
    os.environ["QHUB_DATABASE_URL"] = location.url
    asyncio.run(prime(create_app(location.url, settings)))
    uvicorn.run(
        "hub.tracing:app_from_environment",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        workers=workers,
        log_config=log_config,
        access_log=False,
    )


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
