"""``qhub permits issue --case NUMBER --out FILE.pdf`` (and a batch form)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import track

from hub.settings import get_settings

permits_app = typer.Typer(help="Autorizaciones de trabajo.", no_args_is_help=True)
console = Console()


@permits_app.command("issue")
def issue(
    case: list[int] = typer.Option([], "--case", help="N.° de expediente (repetible)."),
    out: Path = typer.Option(..., help="Archivo PDF, o carpeta si hay varios expedientes."),
    cases: Path | None = typer.Option(
        None, "--cases", help="Archivo con un n.° de expediente por línea."
    ),
    all_eligible: bool = typer.Option(
        False,
        "--all-eligible",
        help="Todos los expedientes en trámite cuyo titular no tiene autorización vigente.",
    ),
) -> None:
    """Emite y firma autorizaciones de trabajo (la firma es la de la Secretaría Ejecutiva)."""
    case = list(case)
    if cases is not None:
        case += [int(line) for line in cases.read_text(encoding="utf-8").split() if line.strip()]
    import psycopg

    from auth.keys import KeyStore
    from hub.db import locate_database
    from hub.migrations import upgrade
    from hub.readpool import libpq_url
    from services.documents.identity import identity_from_settings
    from services.documents.service import eligible_cases, issue_permit
    from services.errors import DomainError

    settings = get_settings()
    location = locate_database(settings)
    upgrade(location.url)
    keys = KeyStore.load(settings)
    identity = identity_from_settings(settings)

    async def run() -> int:
        failures = 0
        async with await psycopg.AsyncConnection.connect(
            libpq_url(location.url), autocommit=True
        ) as conn:
            if all_eligible:
                case.extend(await eligible_cases(conn))
            if not case:
                console.print(
                    "No hay expedientes que emitir (use --case, --cases o --all-eligible)."
                )
                return 0
            batch = len(case) > 1 or all_eligible or cases is not None
            for number in track(case, description="Emitiendo…", disable=not batch):
                try:
                    issued = await issue_permit(
                        conn,
                        number,
                        identity,
                        lambda c: keys.sign_jws(c, typ="qr+jwt"),
                        settings.public_url,
                        "cli:administrador",
                    )
                except DomainError as exc:
                    failures += 1
                    console.print(f"[red]{number}[/red]: {exc.message} ({exc.code})")
                    continue
                target = out / f"autorizacion-{number}.pdf" if batch else out
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(issued.pdf)
                console.print(f"{number}: {target} (válida hasta {issued.valid_to:%d/%m/%Y})")
        return failures

    if asyncio.run(run()):
        raise typer.Exit(1)


def verify(
    document: str = typer.Argument(..., help="Token, URL de verificación, imagen del QR o PDF."),
    keys: Path | None = typer.Option(
        None, "--keys", help="jwks.json publicado (por defecto, las claves locales del hub)."
    ),
    ca: Path | None = typer.Option(
        None, "--ca", help="CA de la Comisión (PEM) para la firma del PDF (por defecto, la local)."
    ),
) -> None:
    """Verifica un documento sin conexión: firma del código QR (y del PDF) contra las claves
    publicadas. El estado actual (revocado / reemplazado) lo da la página /v/{token}."""
    import json

    from auth.keys import KeyStore, verify_with_jwks
    from services.documents.offline import verify_input

    settings = get_settings()
    jwks = (
        json.loads(keys.read_text(encoding="utf-8"))
        if keys
        else KeyStore.load(settings).public_jwks()
    )
    ca_path = ca or settings.data_dir / "signing" / "ca.pem"
    ca_pem = ca_path.read_bytes() if ca_path.is_file() else None
    result = verify_input(document, lambda token: verify_with_jwks(token, jwks), ca_pem)
    for line in result.details:
        console.print(line)
    colour = "green" if result.ok else "red"
    console.print(f"[{colour}]{result.code}[/{colour}]: {result.message}")
    if result.claims:
        console.print(
            f"Documento N.° {result.claims.get('jti')}"
            f" — vigente hasta {result.claims.get('exp_date')}"
        )
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(permits_app, name="permits")
    app.command("verify")(verify)
