"""The import report: Markdown summary and CSV files (rejected rows, sheets)."""

from __future__ import annotations

import csv
from pathlib import Path

from rapidfuzz import fuzz, process

from services.csv_safety import safe_row
from services.importing.mapping import SYNONYMS, norm_header
from services.importing.service import ImportReport

# The report names fields as officers know them.
FIELD_LABELS = {
    "case_number": "número de expediente",
    "full_name": "nombre completo",
    "given_names": "nombres",
    "second_given_name": "segundo nombre",
    "surnames": "apellidos",
    "paternal_surname": "apellido paterno",
    "maternal_surname": "apellido materno",
    "birth_date": "fecha de nacimiento",
    "age": "edad",
    "sex": "sexo",
    "nationality": "nacionalidad",
    "country_of_birth": "país de nacimiento",
    "doc_type": "tipo de documento",
    "doc_number": "número de documento",
    "entry_date": "fecha de ingreso al Perú",
    "filing_date": "fecha de solicitud",
    "event_date": "fecha de registro",
    "address": "dirección",
    "location": "departamento-provincia-distrito",
    "department": "departamento",
    "province": "provincia",
    "district": "distrito",
    "ubigeo": "ubigeo",
    "phone": "teléfono",
    "email": "correo electrónico",
    "status": "estado del expediente",
    "relationship": "parentesco con el titular",
    "needs": "necesidades específicas",
    "office": "oficina",
    "profession": "profesión",
    "specialty": "especialidad",
    "years_experience": "años de experiencia",
    "card_number": "número de carné",
    "consent": "consentimiento",
    "notes": "observaciones",
}
_SYNONYM_FIELD = {norm_header(s): f for f, syns in SYNONYMS.items() for s in syns}


def label(field: str) -> str:
    """A field's Spanish name (the column header itself when it is not a field)."""
    return FIELD_LABELS.get(field, field)


def suggestion(header: str) -> str:
    """For a column the import did not map: the closest field, to put in a mapping file."""
    found = process.extractOne(
        norm_header(header), list(_SYNONYM_FIELD), scorer=fuzz.token_set_ratio, score_cutoff=60
    )
    if found is None:
        return "sin sugerencia: se ignora (asígnela con --mapping si contiene datos)"
    field = _SYNONYM_FIELD[found[0]]
    return f"¿{label(field)}? (en el archivo --mapping: «{header}»: {field})"


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
        ("Expedientes sin fecha de solicitud (revisar)", len(r.cases_without_filing_date)),
        ("Archivos no importados", len(r.file_problems)),
    ]


def file_lines(r: ImportReport) -> list[str]:
    """One Spanish line per file not imported: the file and why."""
    return [f"«{f}»: {why}" for f, why in r.file_problems]


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
        "## Pares en cola de adjudicación, por motivo",
        "",
        *(
            [f"- {why}: {k}" for why, k in sorted(r.queue_reasons.items(), key=lambda x: -x[1])]
            or ["Ninguno."]
        ),
        "",
        "## Archivos no importados",
        "",
        *([f"- {x}" for x in file_lines(r)] or ["Ninguno."]),
        "",
        "## Columnas sin asignar",
        "",
        *(
            [
                f"- {s.file} {s.sheet or ''} «{h}»: {suggestion(h)}"
                for s in r.sheets
                for h in s.unmapped
            ]
            or ["Ninguna."]
        ),
        "",
        "## Expedientes sin fecha de solicitud",
        "",
        (
            "Ninguna hoja da su fecha de solicitud; se usó la fecha más antigua registrada del "
            "expediente o, sin ninguna, la de la importación: "
            + ", ".join(str(c) for c in sorted(r.cases_without_filing_date))
            if r.cases_without_filing_date
            else "Ninguno."
        ),
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
            f"| {x.file} | {x.sheet or '—'} | {x.row} | {label(x.field)} | {x.column or '—'} | "
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
            w.writerow(
                safe_row([x.file, x.sheet, x.row, label(x.field), x.column or "", x.message])
            )
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
                        "; ".join(f"{k}={label(v)}" for k, v in s.columns.items()),
                        s.skipped or "",
                    ]
                )
            )
    return [md, rejected, summary, sheets]
