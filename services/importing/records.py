"""From sheet rows to normalised records, with per-value provenance and per-row validation."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.importing import normalise as n
from services.importing.mapping import map_columns, norm_header
from services.importing.reading import Cell, Sheet

DATE_FIELDS = ("birth_date", "entry_date", "filing_date", "event_date")


@dataclass
class Problem:
    field: str
    column: str | None
    message: str


@dataclass
class ValueSource:
    field: str
    column: str
    raw: str
    value: str | None


@dataclass
class RowRecord:
    file: str
    sheet: str
    row: int
    content_hash: str
    raw: dict[str, str | None]
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[ValueSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _raw_str(v: Cell) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def _hash(file: str, sheet: str, raw: list[str | None], occurrence: int) -> str:
    payload = json.dumps([file, sheet, raw, occurrence], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def collect_evidence(sheets: list[Sheet], mappings: list[dict[int, str]]) -> n.GivenNameEvidence:
    ev = n.GivenNameEvidence()
    for sh, mp in zip(sheets, mappings, strict=True):
        cols = {f: i for i, f in mp.items()}
        if "given_names" not in cols:
            continue
        for _, row in sh.rows:
            g = n.clean_name(row[cols["given_names"]])
            surs = [
                n.clean_name(row[cols[f]])
                for f in ("surnames", "paternal_surname", "maternal_surname")
                if f in cols
            ]
            ev.add(g, surs)
    return ev


def column_date_orders(sheet: Sheet, mapping: dict[int, str]) -> dict[int, str]:
    """Per date column: 'MDY' only when the values prove it more often than 'DMY'."""
    out: dict[int, str] = {}
    for i, f in mapping.items():
        if f not in DATE_FIELDS:
            continue
        dmy = mdy = 0
        for _, row in sheet.rows:
            e = n.date_order_evidence(row[i])
            dmy += e == "DMY"
            mdy += e == "MDY"
        out[i] = "MDY" if mdy > dmy else "DMY"
    return out


def build_records(
    sheet: Sheet,
    mapping: dict[int, str],
    evidence: n.GivenNameEvidence,
    today: date | None = None,
) -> list[RowRecord]:
    today = today or date.today()
    orders = column_date_orders(sheet, mapping)
    name_order = "GS"
    for i, f in mapping.items():
        if f == "full_name":
            hint = "SG" if norm_header(sheet.headers[i]).startswith("APELLIDO") else "GS"
            name_order = n.full_name_order((r[i] for _, r in sheet.rows), evidence) or hint
    seen: dict[str, int] = {}
    out: list[RowRecord] = []
    for row_no, cells in sheet.rows:
        raw_list = [_raw_str(c) for c in cells]
        base = json.dumps(raw_list, ensure_ascii=False)
        occ = seen.get(base, 0)
        seen[base] = occ + 1
        rec = RowRecord(
            file=sheet.file,
            sheet=sheet.sheet,
            row=row_no,
            content_hash=_hash(sheet.file, sheet.sheet, raw_list, occ),
            raw={sheet.headers[i] or f"col{i + 1}": raw_list[i] for i in range(len(raw_list))},
        )
        _normalise_row(rec, sheet, mapping, cells, orders, evidence, today, name_order)
        out.append(rec)
    return out


def _put(rec: RowRecord, fld: str, column: str, raw: Cell, value: Any) -> None:
    if value is None or value == [] or value == "":
        return
    rec.values[fld] = value
    shown = (
        value.isoformat()
        if isinstance(value, date)
        else (",".join(value) if isinstance(value, list) else str(value))
    )
    rec.sources.append(ValueSource(fld, column, _raw_str(raw) or "", shown))


def _normalise_row(
    rec: RowRecord,
    sheet: Sheet,
    mapping: dict[int, str],
    cells: list[Cell],
    orders: dict[int, str],
    evidence: n.GivenNameEvidence,
    today: date,
    name_order: str = "GS",
) -> None:
    col = {f: i for i, f in mapping.items()}

    def cell(f: str) -> Cell:
        return cells[col[f]] if f in col else None

    def hdr(f: str) -> str:
        return sheet.headers[col[f]] if f in col else ""

    for i, c in enumerate(cells):
        if n.is_error_value(c):
            h = sheet.headers[i] if i < len(sheet.headers) else f"col{i + 1}"
            rec.problems.append(
                Problem(mapping.get(i, h), h, f"Valor ilegible «{c}» en la columna «{h}».")
            )

    # names
    given = n.clean_name(cell("given_names"))
    second = n.clean_name(cell("second_given_name"))
    if given and second:
        given = f"{given} {second}"
    pat = n.clean_name(cell("paternal_surname"))
    mat = n.clean_name(cell("maternal_surname"))
    if "surnames" in col and pat is None:
        pat, mat = n.split_surnames(n.clean_name(cell("surnames")))
        if pat:
            rec.sources.append(
                ValueSource(
                    "surnames",
                    hdr("surnames"),
                    _raw_str(cell("surnames")) or "",
                    " ".join(x for x in (pat, mat) if x),
                )
            )
    order_known = True
    name_col = "given_names"
    if given is None and "full_name" in col:
        parts = n.parse_full_name(cell("full_name"), evidence, name_order)
        if parts is not None:
            given, pat, mat, order_known = (
                parts.given,
                parts.paternal,
                parts.maternal,
                parts.order_known,
            )
            name_col = "full_name"
            rec.sources.append(
                ValueSource(
                    "full_name",
                    hdr("full_name"),
                    _raw_str(cell("full_name")) or "",
                    " ".join(x for x in (given, pat, mat) if x),
                )
            )
    if given is None:
        rec.problems.append(
            Problem(
                "given_names",
                hdr(name_col) or hdr("full_name") or None,
                "La fila no tiene nombre de la persona.",
            )
        )
    else:
        rec.values["given_names"] = given
        if name_col == "given_names":
            rec.sources.append(
                ValueSource(
                    "given_names", hdr("given_names"), _raw_str(cell("given_names")) or "", given
                )
            )
        if pat:
            rec.values["paternal_surname"] = pat
            if "paternal_surname" in col:
                rec.sources.append(
                    ValueSource(
                        "paternal_surname",
                        hdr("paternal_surname"),
                        _raw_str(cell("paternal_surname")) or "",
                        pat,
                    )
                )
        if mat:
            rec.values["maternal_surname"] = mat
            if "maternal_surname" in col:
                rec.sources.append(
                    ValueSource(
                        "maternal_surname",
                        hdr("maternal_surname"),
                        _raw_str(cell("maternal_surname")) or "",
                        mat,
                    )
                )
        rec.values["name_order_known"] = order_known
        if not pat:
            rec.problems.append(
                Problem(
                    "paternal_surname", hdr(name_col) or None, f"Falta el apellido de «{given}»."
                )
            )

    # dates
    for f in ("birth_date", "entry_date", "filing_date", "event_date"):
        if f not in col:
            continue
        raw = cell(f)
        if raw is None:
            continue
        d = n.parse_date(raw, orders.get(col[f], "DMY"), today)
        if d is None:
            if f == "birth_date" and not n.is_error_value(raw):
                rec.problems.append(
                    Problem(f, hdr(f), f"Fecha de nacimiento ilegible: «{_raw_str(raw)}».")
                )
            continue
        if d > today and f in ("birth_date", "entry_date", "filing_date"):
            label = {
                "birth_date": "nacimiento",
                "entry_date": "ingreso al Perú",
                "filing_date": "solicitud",
            }[f]
            if f == "birth_date":
                rec.problems.append(
                    Problem(f, hdr(f), f"La fecha de {label} {d.isoformat()} está en el futuro.")
                )
            continue
        if f == "birth_date" and d.year < 1900:
            rec.problems.append(
                Problem(f, hdr(f), f"Fecha de nacimiento imposible: {d.isoformat()}.")
            )
            continue
        _put(rec, f, hdr(f), raw, d)

    nat = n.country(cell("nationality"))
    _put(rec, "nationality", hdr("nationality"), cell("nationality"), nat)
    _put(
        rec,
        "country_of_birth",
        hdr("country_of_birth"),
        cell("country_of_birth"),
        n.country(cell("country_of_birth")),
    )
    _put(rec, "sex", hdr("sex"), cell("sex"), n.sex(cell("sex")))
    declared = n.doc_type(cell("doc_type"))
    doc = n.document(cell("doc_number"), declared, nat)
    if doc is not None:
        _put(rec, "doc_type", hdr("doc_type") or hdr("doc_number"), cell("doc_type"), doc[0])
        _put(rec, "doc_number", hdr("doc_number"), cell("doc_number"), doc[1])
    _put(
        rec,
        "case_number",
        hdr("case_number"),
        cell("case_number"),
        n.case_number(cell("case_number")),
    )
    _put(rec, "phone", hdr("phone"), cell("phone"), n.phone(cell("phone")))
    _put(rec, "email", hdr("email"), cell("email"), n.email(cell("email")))
    _put(rec, "street", hdr("address"), cell("address"), n.text(cell("address")))
    _place(rec, col, cell, hdr)
    _put(rec, "status", hdr("status"), cell("status"), n.case_status(cell("status")))
    _put(
        rec,
        "relationship",
        hdr("relationship"),
        cell("relationship"),
        n.relationship(cell("relationship")),
    )
    _put(rec, "needs", hdr("needs"), cell("needs"), n.needs(cell("needs")))
    if "office" in col and n.text(cell("office")):
        _put(rec, "office", hdr("office"), cell("office"), n.office(cell("office")))
    prof = n.text(cell("profession"))
    if prof:
        _put(rec, "profession", hdr("profession"), cell("profession"), prof)
        _put(
            rec,
            "health_profession",
            hdr("profession"),
            cell("profession"),
            n.health_profession(prof),
        )
    _put(rec, "specialty", hdr("specialty"), cell("specialty"), n.text(cell("specialty")))
    yes = n.key(n.text(cell("consent")) or "")
    if yes in {"SI", "S", "X", "1", "YES", "TRUE", "VERDADERO"}:
        _put(rec, "consent", hdr("consent"), cell("consent"), "yes")
    ye = n.text(cell("years_experience"))
    if ye and ye.isdigit():
        _put(rec, "years_experience", hdr("years_experience"), cell("years_experience"), int(ye))


def _place(
    rec: RowRecord,
    col: dict[str, int],
    cell: Callable[[str], Cell],
    hdr: Callable[[str], str],
) -> None:
    """Department / province / district and the INEI ubigeo code, from a one-string place
    column or the three columns; a place not in the reference keeps the words written."""
    fields: tuple[str, ...]
    if "location" in col:
        fields, raw = ("location",), cell("location")
    else:
        fields = tuple(f for f in ("department", "province", "district") if f in col)
        raw = " - ".join(str(cell(f)) for f in fields if n.text(cell(f))) or None
    if raw is None:
        return
    column = ", ".join(hdr(f) for f in fields)
    found = n.place(raw)
    if found is None:
        parts = [p.strip().upper() or None for p in re.split(n.PLACE_SEPARATORS, str(raw))]
        parts += [None] * (3 - len(parts))
        for f, v in zip(("department", "province", "district"), parts, strict=False):
            _put(rec, f, column, raw, v)
        return
    _put(rec, "department", column, raw, found.department)
    _put(rec, "province", column, raw, found.province)
    _put(rec, "district", column, raw, found.district)
    _put(rec, "ubigeo", column, raw, found.ubigeo)


def map_sheet(sheet: Sheet, override: dict[str, str | None]) -> dict[int, str]:
    return map_columns(sheet.headers, override)
