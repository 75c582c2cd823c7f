"""``qhub import PATH... [--dry-run] [--report DIR] [--mapping FILE]``: the legacy spreadsheets."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from hub.db import create_engine, locate_database
from hub.migrations import upgrade
from hub.settings import get_settings
from services.importing.report import file_lines, summary_lines, write_report
from services.importing.service import VALUE_RULES, ImportOptions, ImportReport, run_import

console = Console()


def _run(paths: list[Path], options: ImportOptions) -> ImportReport:
    settings = get_settings()
    location = locate_database(settings)
    upgrade(location.url)

    async def go() -> ImportReport:
        engine = create_engine(location.url, settings, bounded_waits=False)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                tasks: dict[str, TaskID] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage.capitalize(), total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                return await run_import(engine, paths, options, progress)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def import_cmd(
    paths: Annotated[
        list[Path], typer.Argument(help="Archivos .xlsx/.csv o carpetas.", exists=True)
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Simula: no guarda nada.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Carpeta del informe.")] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Archivo YAML/JSON: encabezado -> campo.", exists=True),
    ] = None,
    rule: Annotated[
        str, typer.Option("--rule", help=f"Regla del valor ganador: {', '.join(VALUE_RULES)}.")
    ] = "most_frequent",
    priority: Annotated[
        list[str] | None, typer.Option("--priority", help="Fuentes en orden de prioridad.")
    ] = None,
    all_or_nothing: Annotated[
        bool,
        typer.Option(
            "--all-or-nothing", help="Si un archivo no se puede importar, no importa ninguno."
        ),
    ] = False,
) -> None:
    """Importa planillas heredadas: valida, vincula personas y guarda la procedencia."""
    if rule not in VALUE_RULES:
        console.print(f"[red]Regla desconocida:[/red] {rule}")
        raise typer.Exit(2)
    options = ImportOptions(
        dry_run=dry_run,
        mapping_file=mapping,
        value_rule=rule,
        source_priority=tuple(priority or ()),
        all_or_nothing=all_or_nothing,
    )
    result = _run(paths, options)
    table = Table(title="Importación" + (" (simulación)" if dry_run else ""))
    table.add_column("concepto")
    table.add_column("cantidad", justify="right")
    for k, v in summary_lines(result):
        table.add_row(k, str(v))
    for line in file_lines(result):
        console.print(f"[yellow]Archivo no importado[/yellow] {line}")
    if result.file_problems and all_or_nothing:
        console.print("No se importó ningún archivo (--all-or-nothing).")
    console.print(table)
    if report is not None:
        files = write_report(result, report)
        console.print(f"Informe: {files[0]}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
