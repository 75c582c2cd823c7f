"""``qhub keys rotate-claims``, ``qhub keys claims``, ``qhub audit checkpoint`` and the
checkpoint half of ``qhub audit verify --checkpoints [--tsa-root]``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import psycopg
import typer
from rich.console import Console

from hub.commands.auth_cmds import audit_app, keys_app
from hub.settings import get_settings

console = Console()


def _connect_url() -> str:
    from hub.db import locate_database
    from hub.readpool import libpq_url

    return libpq_url(locate_database(get_settings()).url)


@keys_app.command("rotate-claims")
def rotate_claims(
    retire: list[str] = typer.Option(
        [], "--retire", help="Clave maestra anterior a destruir tras la rotación (repetible)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Retirar aunque aún proteja expedientes (se pierden)."
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Terminar una rotación interrumpida, sin crear otra clave."
    ),
) -> None:
    """Re-envuelve las claves de datos de los expedientes con una clave maestra nueva, sin
    detener el hub; con --retire, destruye la anterior (lo sellado con ella, copias de
    seguridad incluidas, deja de poder leerse)."""
    from services.sealing_keys import SealingError
    from services.sealing_rotation import retire_kek
    from services.sealing_rotation import rotate_claims as rotate

    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(_connect_url()) as conn:
            done = await rotate(conn, new_kek=not resume)
            console.print(
                f"Clave maestra vigente: [bold]{done.kek_id}[/bold]; {done.rewrapped}"
                f" claves de datos re-envueltas en {done.passes} pasada(s)."
            )
            for old in retire:
                try:
                    await retire_kek(conn, old, force=force)
                except SealingError as exc:
                    console.print(f"[red]{exc.code}[/red]: {exc.message}")
                    raise typer.Exit(1) from exc
                console.print(f"Clave maestra [bold]{old}[/bold] retirada.")

    asyncio.run(run())


@keys_app.command("claims")
def claim_keys() -> None:
    """Claves maestras de los datos de la solicitud y cuántos expedientes protege cada una."""
    from services.sealing import keyring
    from services.sealing_rotation import kek_usage

    async def run() -> dict[str, int]:
        async with await psycopg.AsyncConnection.connect(_connect_url()) as conn:
            return await kek_usage(conn)

    usage = asyncio.run(run())
    ring = keyring()
    current = ring.current()
    for kek_id in sorted(set(ring.ids()) | set(usage)):
        state = "vigente" if kek_id == current else "anterior"
        if kek_id not in ring.ids():
            state = "NO DISPONIBLE"
        console.print(f"{kek_id}  {state:13}  {usage.get(kek_id, 0)} expedientes")


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """Firma ahora un punto de control del registro de accesos (y lo sella en el tiempo si
    hay QHUB_TSA_URL) en <datos>/checkpoints."""
    from auth.checkpoints import CheckpointError
    from hub.db import locate_database
    from hub.routes_audit import checkpoints_dir, make_checkpoint

    settings = get_settings()
    try:
        asyncio.run(make_checkpoint(locate_database(settings).url, settings, if_changed=False))
    except CheckpointError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(1) from exc
    console.print(f"Punto de control publicado en {checkpoints_dir(settings)}.")


async def check_against(
    conn: psycopg.AsyncConnection[Any],
    source: str,
    *,
    restored: bool = False,
    tsa_root: str | None = None,
) -> bool:
    """Compare the log with the checkpoints at ``source`` (folder or URL); print what
    contradicts which checkpoint. True when nothing does. ``restored``: the log comes from
    a backup, so checkpoints signed after the backup are expected to be ahead of it (said,
    not counted as a failure); everything the backup holds must still agree."""
    from auth.checkpoint_audit import compare
    from auth.checkpoint_files import load, opened, untrusted_timestamps
    from auth.keys import KeyStore

    settings = get_settings()
    # the hub's keys, when there are some; never made here (a shared key folder included)
    store = KeyStore.load(settings) if (settings.keys_dir / "current").exists() else None
    items, jwks = load(source, store)
    good, findings = opened(items, jwks)
    if tsa_root is not None:
        findings += await untrusted_timestamps(items, tsa_roots(Path(tsa_root)))
    entries, contradictions = await compare(conn, good)
    for finding in contradictions:
        if restored and finding.code == "TRUNCATED":
            console.print(f"[yellow]Posterior a la copia[/yellow] «{finding.checkpoint}»")
        else:
            findings.append(finding)
    for finding in findings:
        console.print(f"[red]{finding.code}[/red] «{finding.checkpoint}»: {finding.message}")
    if not good and not findings:
        console.print(f"[red]NO_CHECKPOINT[/red]: no hay puntos de control en {source}.")
        return False
    if not findings:
        console.print(
            f"[green]Coincide con los puntos de control[/green] ({len(good)}; {entries} entradas)."
        )
    return not findings


def tsa_roots(path: Path) -> list[Any]:
    """The certificates of a PEM file (the TSA roots an auditor trusts)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    return [
        asn1_x509.Certificate.load(der)
        for _, _, der in pem.unarmor(path.read_bytes(), multiple=True)
    ]


def register(app: typer.Typer) -> None:
    """The commands attach to ``keys`` and ``audit`` (registered by auth_cmds)."""
