"""The import report: Markdown summary and CSV files (rejected rows, sheets)."""

from __future__ import annotations

import csv
from pathlib import Path

from services.csv_safety import safe_row
from services.importing.service import ImportReport


def summary_lines(r: ImportReport) -> list[tuple[str, int]]:
    return [
        ("Filas leídas", r.rows_read),
        ("Filas ya importadas antes (sin cambios)", r.rows_already_imported),
        ("Filas rechazadas", len(r.rejected)),
        ("Filas importadas", r.rows_imported),
        ("Personas creadas", r.persons_created),
        ("Personas creadas sin fecha de nacimiento, nacionalidad o sexo", r.persons_incomplete),
        ("Filas fusionadas con otra fila de la misma persona", r.rows_merged),
        ("Filas vinculadas a personas ya registradas en el hub", r.rows_linked_to_existing),
        ("Pares en cola de adjudicación", r.pairs_queued),
        ("Expedientes creados", r.cases_created),
    ]


def write_report(r: ImportReport, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    md = directory / "informe_importacion.md"
    rejected = directory / "filas_rechazadas.csv"
    summary = directory / "resumen.csv"
    sheets = directory / "hojas.csv"
    lines = [
        "# Informe de importación" + (" (simulación: no se guardó nada)" if r.dry_run else ""),
        "",
        f"Lote: {r.batch_id if r.batch_id is not None else '—'} · duración {r.seconds:.1f} s",
        "",
        "| concepto | cantidad |",
        "|---|---:|",
        *[f"| {k} | {v} |" for k, v in summary_lines(r)],
        "",
        "## Hojas",
        "",
        "| archivo | hoja | fila de encabezado | filas | columnas sin asignar | observación |",
        "|---|---|---:|---:|---|---|",
        *[
            f"| {s.file} | {s.sheet or '—'} | {s.header_row} | {s.rows} | "
            f"{', '.join(s.unmapped) or '—'} | {('omitida: ' + s.skipped) if s.skipped else '—'} |"
            for s in r.sheets
        ],
        "",
        "## Filas rechazadas",
        "",
    ]
    if r.rejected:
        lines += [
            "| archivo | hoja | fila | campo | columna | motivo |",
            "|---|---|---:|---|---|---|",
        ]
        lines += [
            f"| {x.file} | {x.sheet or '—'} | {x.row} | {x.field} | {x.column or '—'} | "
            f"{x.message} |"
            for x in r.rejected
        ]
    else:
        lines.append("Ninguna.")
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with rejected.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["archivo", "hoja", "fila", "campo", "columna", "motivo"])
        for x in r.rejected:
            w.writerow(safe_row([x.file, x.sheet, x.row, x.field, x.column or "", x.message]))
    with summary.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["concepto", "cantidad"])
        w.writerows(safe_row(line) for line in summary_lines(r))
    with sheets.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "archivo",
                "hoja",
                "fila_encabezado",
                "filas",
                "codificacion",
                "separador",
                "columnas",
                "omitida",
            ]
        )
        for s in r.sheets:
            w.writerow(
                safe_row(
                    [
                        s.file,
                        s.sheet,
                        s.header_row,
                        s.rows,
                        s.encoding or "",
                        s.delimiter or "",
                        "; ".join(f"{k}={v}" for k, v in s.columns.items()),
                        s.skipped or "",
                    ]
                )
            )
    return [md, rejected, summary, sheets]
