"""``qhub federation compose`` / ``qhub federation gateway``: the federated mode."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

federation_app = typer.Typer(
    help="Federación: composición del supergrafo y Hive Gateway.", no_args_is_help=True
)
console = Console()


def _parse_subgraphs(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise typer.BadParameter(f"«{value}»: se espera NOMBRE=URL")
        pairs.append((name, url))
    return pairs


@federation_app.command("compose")
def compose_cmd(
    hub_url: str = typer.Option(
        "http://127.0.0.1:8000", help="URL del hub que el gateway llamará (rutas /subgraphs/…)."
    ),
    only: list[str] = typer.Option(
        [], "--only", help="Solo estos subgrafos del hub (repetible); por defecto, todos."
    ),
    external: list[str] = typer.Option(
        [],
        "--subgraph",
        help="Subgrafo externo NOMBRE=URL (SDL leído con { _service { sdl } }); repetible.",
    ),
    fetch: bool = typer.Option(
        False, "--fetch", help="Leer el SDL de los subgrafos del hub en ejecución, no del código."
    ),
    out: Path = typer.Option(Path("federation/supergraph.graphql"), help="Archivo de salida."),
) -> None:
    """Compone el supergrafo de los subgrafos del hub (y de entidades externas)."""
    from federation.compose import CompositionError, Subgraph, compose, hub_subgraphs

    subgraphs = hub_subgraphs(hub_url, only or None)
    if fetch:
        subgraphs = [Subgraph(s.name, s.url) for s in subgraphs]
    subgraphs += [Subgraph(name, url) for name, url in _parse_subgraphs(external)]
    try:
        compose(subgraphs, out)
    except CompositionError as exc:
        for line in exc.errors:
            console.print(f"[red]{line}[/red]")
        raise typer.Exit(1) from exc
    names = ", ".join(s.name for s in subgraphs)
    console.print(f"[green]Supergrafo escrito[/green] en {out} ({names}).")


@federation_app.command("sdl")
def sdl_cmd(
    hub_url: str = typer.Option(
        "http://127.0.0.1:8000", help="URL del hub que el gateway llamará (rutas /subgraphs/…)."
    ),
    out_dir: Path = typer.Option(Path("federation/sdl"), help="Carpeta de salida."),
) -> None:
    """Escribe el SDL de cada subgrafo del hub y subgraphs.json (para compose.mjs --config)."""
    from federation.compose import hub_subgraphs, write_sdl

    config = write_sdl(hub_subgraphs(hub_url), out_dir)
    console.print(f"[green]SDL de los subgrafos escrito[/green]: {config}")


@federation_app.command("gateway")
def gateway_cmd(
    hub_url: str = typer.Option("http://127.0.0.1:8000", help="URL del hub (JWKS)."),
    supergraph: Path = typer.Option(Path("federation/supergraph.graphql")),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(4000),
    anonymous: bool = typer.Option(
        False, "--anonymous", help="Aceptar pedidos sin token (solo campos públicos)."
    ),
) -> None:
    """Inicia Hive Gateway sobre el supergrafo (nunca con JIT)."""
    import subprocess

    from federation.compose import FEDERATION_DIR, ensure_npm_packages
    from federation.gateway import gateway_command, gateway_env
    from hub.settings import get_settings

    settings = get_settings()
    ensure_npm_packages()
    env = gateway_env(
        hub_url, issuer=settings.issuer, audience=settings.audience, anonymous=anonymous
    )
    console.print(f"Hive Gateway en http://{host}:{port}/graphql (JWKS de {hub_url})")
    command = gateway_command(supergraph, host, port)
    raise typer.Exit(subprocess.call(command, env=env, cwd=FEDERATION_DIR))


def register(app: typer.Typer) -> None:
    app.add_typer(federation_app, name="federation")
