"""``qhub token``, ``qhub keys rotate``, ``qhub clients add``, ``qhub audit verify``."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import typer
from rich.console import Console

from hub.settings import get_settings
from models.vocab import Purpose, Role

console = Console()
err = Console(stderr=True)
keys_app = typer.Typer(help="Claves de firma del hub.", no_args_is_help=True)
clients_app = typer.Typer(help="Clientes OAuth de otras entidades.", no_args_is_help=True)
audit_app = typer.Typer(help="Registro de accesos.", no_args_is_help=True)


def token(
    role: str = typer.Option(..., help="Rol de ACCESS-POLICY.md (cepr-supervisor, migraciones…)."),
    purpose: list[str] = typer.Option(
        [], help="Propósito(s) del acuerdo (por defecto los del rol)."
    ),
    office: str | None = typer.Option(None, help="Código de oficina (LIM, AQP, …)."),
    person: int | None = typer.Option(None, help="Persona (rol applicant)."),
    officer: int | None = typer.Option(None, help="Funcionario (rol cepr-eligibility)."),
    ttl: int | None = typer.Option(None, help="Vida del token en segundos."),
) -> None:
    """Imprime un token de acceso firmado con la clave local (para scripts, demos y pruebas)."""
    from hub.routes_auth import issuer_for

    try:
        parsed_role = Role(role)
        purposes = frozenset(Purpose(p) for p in purpose) if purpose else None
    except ValueError as exc:
        err.print(f"[red]Valor no válido:[/red] {exc}")
        raise typer.Exit(2) from exc
    if parsed_role is Role.PUBLIC:
        err.print("[red]El rol public no usa token.[/red]")
        raise typer.Exit(2)
    issuer = issuer_for(get_settings())
    print(
        issuer.mint(
            parsed_role,
            purposes=purposes,
            office=office,
            person_id=person,
            officer_id=officer,
            ttl_seconds=ttl,
        )
    )


@keys_app.command("rotate")
def rotate() -> None:
    """Crea una clave nueva; las anteriores siguen validando los tokens que firmaron."""
    from auth.keys import KeyStore

    settings = get_settings()
    store = KeyStore.load(settings)
    kid = store.rotate(retention_seconds=max(settings.token_ttl_seconds * 4, 86_400))
    console.print(f"Clave actual: [bold]{kid}[/bold] ({len(store.keys)} publicadas)")


@keys_app.command("init")
def init_keys(
    copy_from: Path | None = typer.Option(
        None,
        "--copy-from",
        help="Carpeta de datos de una instancia cuyas claves se conservan (tokens válidos,"
        " mismos seudónimos).",
    ),
) -> None:
    """Crea las claves compartidas de un despliegue en QHUB_KEYS_DIR (una vez)."""
    from hub.shared_keys import check, init

    settings = get_settings()
    if settings.shared_keys_dir is None:
        err.print(
            "[red]Defina QHUB_KEYS_DIR (la carpeta compartida por las instancias) /"
            " set QHUB_KEYS_DIR.[/red]"
        )
        raise typer.Exit(2)
    made = init(settings, copy_from)
    check(settings)
    for item in made:
        console.print(f"Creada: {item}")
    console.print(f"[green]Claves compartidas listas[/green] en {settings.shared_keys_dir}")


@clients_app.command("add")
def add_client(
    agency: str = typer.Option(..., help="migraciones, minsa, acnur o cepr."),
    role: str = typer.Option(..., help="Rol que reciben sus tokens."),
    purpose: list[str] = typer.Option([], help="Propósitos de su acuerdo."),
    office: str | None = typer.Option(None, help="Oficina (opcional)."),
    description: str = typer.Option("", help="Descripción."),
) -> None:
    """Registra un sistema de otra entidad (client_credentials) e imprime su secreto una vez."""
    from sqlalchemy import create_engine, text

    from auth.oauth import hash_secret
    from hub.db import locate_database
    from hub.migrations import upgrade

    Role(role)
    for p in purpose:
        Purpose(p)
    location = locate_database(get_settings())
    upgrade(location.url)
    client_id = f"{agency}-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)
    engine = create_engine(location.url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes,"
                " office_id, description) VALUES (:c, :s, :a, :r, :p,"
                " (SELECT id FROM office WHERE code = :o), :d)"
            ),
            {
                "c": client_id,
                "s": hash_secret(secret),
                "a": agency,
                "r": [role],
                "p": list(purpose),
                "o": office,
                "d": description,
            },
        )
    engine.dispose()
    console.print(f"client_id: [bold]{client_id}[/bold]")
    console.print(f"client_secret: [bold]{secret}[/bold]  (guárdelo: no se volverá a mostrar)")


@audit_app.command("verify")
def verify(
    checkpoints: str | None = typer.Option(
        None,
        "--checkpoints",
        help="Carpeta o URL (/audit/checkpoints) de puntos de control firmados: detecta un"
        " registro reescrito, truncado o bifurcado y nombra el punto que contradice.",
    ),
    tsa_root: str | None = typer.Option(
        None,
        "--tsa-root",
        help="PEM con las raíces de la autoridad de sellado de tiempo en que confía: cada"
        " punto de control debe llevar un sello válido de ella.",
    ),
) -> None:
    """Recorre cada cadena del registro de accesos y señala la primera entrada alterada."""
    import psycopg

    from auth.log_verify import verify_chain
    from hub.db import locate_database
    from hub.readpool import libpq_url

    location = locate_database(get_settings())

    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(libpq_url(location.url)) as conn:
            report = await verify_chain(conn)
            if checkpoints is not None:
                from hub.commands.data_at_rest import check_against

                if not await check_against(conn, checkpoints, tsa_root=tsa_root):
                    raise typer.Exit(1)
        for chain in report.chains:
            state = "íntegra" if chain.intact else f"ROTA: {chain.reason}"
            console.print(f"  cadena {chain.chain}: {chain.entries} entradas, {state}")
        if report.intact:
            console.print(
                f"[green]Cadena íntegra[/green]: {report.entries} entradas"
                f" en {len(report.chains)} cadena(s)."
            )
            return
        where = f"en la entrada {report.first_bad_id}" if report.first_bad_id else "al final"
        console.print(f"[red]Cadena rota {where}[/red]: {report.reason}.")
        raise typer.Exit(1)

    asyncio.run(run())


def register(app: typer.Typer) -> None:
    app.command("token")(token)
    app.add_typer(keys_app, name="keys")
    app.add_typer(clients_app, name="clients")
    app.add_typer(audit_app, name="audit")
