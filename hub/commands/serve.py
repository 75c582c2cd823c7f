"""``qhub serve``: start the hub (embedded PostgreSQL unless a database URL is set)."""

from __future__ import annotations

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
    workers: int = typer.Option(1, help="Procesos de uvicorn (solo con base externa)."),
) -> None:
    """Inicia el hub: aplica migraciones pendientes y sirve /graphql."""
    import uvicorn

    from hub.app import create_app
    from hub.db import locate_database
    from hub.migrations import upgrade

    settings = get_settings()
    location = locate_database(settings)
    console.print("Aplicando migraciones…")
    upgrade(location.url)
    if demo:
        from hub.demo import ensure_demo_data

        ensure_demo_data(location.url, settings, console)
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
    uvicorn.run(
        create_app(location.url, settings),
        host=host,
        port=port,
        log_level="info",
        workers=1 if location.embedded is not None else workers,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
