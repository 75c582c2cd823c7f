"""Generator of messy legacy spreadsheets with known truth, for the tests and the benchmark.

``generate(directory, seed, layouts="A")`` writes xlsx and csv files (several encodings and
delimiters, title rows above the header, Spanish header wordings, day/month order per
column, names joined/split/typed, documents written with their type, one-string
addresses) and returns which person every data row is. Layout sets "B" and "C" use header
wordings and value styles the "A" set (the one the tests use) does not: the benchmark
measures on them to see how the importer does on layouts it was not tuned on.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from services.importing.synthetic_people import (
    PersonTruth,
    Population,
    noisy_given,
    noisy_surname,
    population,
    swapped,
)
from services.importing.synthetic_words import (
    COUNTRY,
    DEMONYM,
    DOC_WORD,
    HEADERS,
    RELATION_WORDS,
)


@dataclass
class RowTruth:
    person_id: str
    is_invalid: bool


@dataclass
class SyntheticSet:
    files: list[Path]
    truth: dict[tuple[str, str, int], RowTruth] = field(default_factory=dict)
    population: Population = field(default_factory=Population)

    def write_truth(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "sheet", "row_number", "person_id", "is_invalid"])
            for (f, s, r), t in sorted(self.truth.items()):
                w.writerow([f, s, r, t.person_id, int(t.is_invalid)])


@dataclass
class Layout:
    """How one file writes its rows."""

    columns: list[str]
    headers: list[str]
    names: str  # split, surnames, full_sg (Apellidos, Nombres), full_gs
    date_style: str  # DMY, MDY, ISO, TEXT, EXCEL
    upper: bool
    accents: bool
    title_rows: list[str]
    doc_with_type: bool
    place_sep: str
    fmt: str  # xlsx or csv
    encoding: str
    delimiter: str


MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic")


def _layout(rng: random.Random, sets: str, index: int) -> Layout:
    names = rng.choice(("split", "split", "surnames", "full_sg", "full_gs"))
    name_cols = {
        "split": ["given", "paternal", "maternal"],
        "surnames": ["given", "surnames"],
        "full_sg": ["full"],
        "full_gs": ["full"],
    }[names]
    optional = ["sex", "nationality", "birth_country", "doc", "entry", "filing", "relationship"]
    optional += ["address", "place", "phone", "extra"]
    chosen = [c for c in optional if rng.random() < 0.65]
    columns = ["case", *name_cols, "birth", *chosen]
    if index % 3 == 2:
        rng.shuffle(columns)
    headers = []
    for c in columns:
        key = "full" if c == "full" else c
        pool = HEADERS[key][rng.choice(sets)]
        h = rng.choice(pool)
        if c == "full" and names == "full_gs" and h.upper().startswith("APELLIDO"):
            h = HEADERS["full"]["B"][0]
        headers.append(h)
    fmt = "xlsx" if rng.random() < 0.6 else "csv"
    title = [] if rng.random() < 0.4 else ["REGISTRO DE SOLICITANTES DE REFUGIO", "Corte: 2020"]
    return Layout(
        columns=columns,
        headers=headers,
        names=names,
        date_style=rng.choice(
            ("DMY", "DMY", "MDY", "ISO", "TEXT", "EXCEL" if fmt == "xlsx" else "DMY")
        ),
        upper=rng.random() < 0.4,
        accents=rng.random() < 0.6,
        title_rows=title[: rng.randint(1, 2)] if title else [],
        doc_with_type=rng.random() < 0.5,
        place_sep=rng.choice(("-", " - ", "/", ", ", " | ")),
        fmt=fmt,
        encoding=rng.choice(("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16")),
        delimiter=rng.choice((";", ",", "\t", "|")),
    )


def _date(d: date, style: str) -> object:
    if style == "DMY":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "MDY":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "ISO":
        return d.isoformat()
    if style == "TEXT":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return datetime(d.year, d.month, d.day)


def _row(rng: random.Random, p: PersonTruth, lay: Layout, noise: float) -> list[object]:
    given = noisy_given(rng, p.given, noise)
    pat = noisy_surname(rng, p.paternal, noise / 2)
    mat = p.maternal if rng.random() > noise else None
    mat = noisy_surname(rng, mat, noise / 2) if mat else None
    birth = swapped(p.birth_date) if rng.random() < noise / 4 else p.birth_date
    out: list[object] = []
    for c in lay.columns:
        v: object = None
        if c == "case":
            v = rng.choice((str(p.case_number), f"EXP-{p.case_number}", f"N° {p.case_number}"))
        elif c == "given":
            v = given
        elif c == "paternal":
            v = pat
        elif c == "maternal":
            v = mat
        elif c == "surnames":
            v = " ".join(x for x in (pat, mat) if x)
        elif c == "full":
            sur = " ".join(x for x in (pat, mat) if x)
            v = f"{sur}, {given}" if lay.names == "full_sg" else f"{given} {sur}"
        elif c == "birth":
            v = None if rng.random() < noise / 3 else _date(birth, lay.date_style)
        elif c == "sex":
            v = rng.choice(({"F": "F", "M": "M"}, {"F": "Femenino", "M": "Masculino"}))[p.sex]
        elif c == "nationality":
            v = DEMONYM.get(p.nationality, p.nationality)
        elif c == "birth_country":
            v = COUNTRY.get(p.country_of_birth, p.country_of_birth)
        elif c == "doc" and p.doc_number and rng.random() > noise:
            v = p.doc_number
            if lay.doc_with_type and p.doc_type:
                v = f"{rng.choice(DOC_WORD[p.doc_type])} {p.doc_number}"
        elif c == "entry":
            v = _date(p.entry_date, lay.date_style)
        elif c == "filing":
            v = _date(p.filing_date, lay.date_style)
        elif c == "relationship":
            v = rng.choice(RELATION_WORDS[p.relationship])
        elif c == "address":
            v = p.street
        elif c == "place":
            v = lay.place_sep.join(x.upper() for x in (p.department, p.province, p.district))
        elif c == "phone":
            v = p.phone
        elif c == "extra":
            v = f"F{rng.randint(1000, 9999)}"
        if isinstance(v, str):
            v = v if lay.accents else _plain(v)
            v = v.upper() if lay.upper and c not in ("doc",) else v
        out.append(v)
    return out


def _plain(s: str) -> str:
    """Accents dropped as a keyboard without them writes (Ñ kept as N, ° kept)."""
    return "".join(
        ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch)
    ).replace("N\u0303", "N")


def _invalid(rng: random.Random, row: list[object], lay: Layout) -> list[object]:
    kind = rng.choice(("name", "future", "ref"))
    bad = list(row)
    if kind == "name":
        for c in ("given", "full"):
            if c in lay.columns:
                bad[lay.columns.index(c)] = None
    elif kind == "future":
        bad[lay.columns.index("birth")] = _date(date(2031, 5, 4), lay.date_style)
    else:
        bad[lay.columns.index("birth")] = "#¡REF!"
    return bad


def _write(path: Path, lay: Layout, rows: list[list[object]]) -> tuple[str, int]:
    """Writes the file; returns its sheet name and the row number of the first data row."""
    header_row = len(lay.title_rows) + 1
    if lay.fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "REGISTRO"
        for t in lay.title_rows:
            ws.append([t])
        ws.append(lay.headers)
        for r in rows:
            ws.append(r)
        wb.save(path)
        return "REGISTRO", header_row + 1
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=lay.delimiter, lineterminator="\r\n")
    width = len(lay.headers)
    for t in lay.title_rows:
        w.writerow([t] + [""] * (width - 1))
    w.writerow(lay.headers)
    for r in rows:
        w.writerow(["" if v is None else str(v) for v in r])
    path.write_bytes(buf.getvalue().encode(lay.encoding, errors="replace"))
    return "", header_row + 1


def generate(
    directory: Path,
    seed: int,
    cases: int = 300,
    files: int = 8,
    layouts: str = "A",
    noise: float = 0.08,
    invalid: float = 0.01,
) -> SyntheticSet:
    """Writes ``files`` spreadsheets of a population of ``cases`` families into ``directory``."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    pop = population(rng, cases)
    out = SyntheticSet(files=[], population=pop)
    # every person appears in one to five files; families are often registered together
    appear: dict[int, list[PersonTruth]] = {i: [] for i in range(files)}
    person = pop.by_id()
    for ids in pop.families.values():
        fam = [person[i] for i in ids]
        for i in rng.sample(range(files), k=min(files, 1 + int(rng.expovariate(0.9)))):
            together = rng.random() < 0.7
            for p in fam:
                if together or rng.random() < 0.5 or p.relationship == "principal":
                    appear[i].append(p)
    for i in range(files):
        lay = _layout(rng, layouts, i)
        ext = "xlsx" if lay.fmt == "xlsx" else "csv"
        path = directory / f"planilla_{layouts}{seed}_{i:02d}.{ext}"
        people = appear[i]
        rng.shuffle(people)
        rows: list[list[object]] = []
        kinds: list[tuple[str, bool]] = []
        for p in people:
            row = _row(rng, p, lay, noise)
            bad = rng.random() < invalid
            rows.append(_invalid(rng, row, lay) if bad else row)
            kinds.append((p.id, bad))
            if rng.random() < 0.02:  # the same person twice in one file
                rows.append(_row(rng, p, lay, noise))
                kinds.append((p.id, False))
        sheet, first = _write(path, lay, rows)
        for k, (pid, bad) in enumerate(kinds):
            out.truth[(path.name, sheet, first + k)] = RowTruth(pid, bad)
        out.files.append(path)
    return out


def write_bad_files(directory: Path) -> dict[str, str]:
    """Files that are not person spreadsheets, each named for what is wrong with it."""
    directory.mkdir(parents=True, exist_ok=True)
    good = io.BytesIO()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["NOMBRES", "APELLIDOS", "FECHA DE NACIMIENTO"])
    ws.append(["Ana", "Pérez Díaz", "01/02/1990"])
    wb.save(good)
    data = good.getvalue()
    (directory / "truncado.xlsx").write_bytes(data[: len(data) // 2])
    (directory / "falso.xlsx").write_bytes(b"NOMBRES;APELLIDOS\nAna;Perez\n")
    utf16 = "NOMBRES;APELLIDOS;FECHA DE NACIMIENTO\r\nÁngela;Núñez Díaz;01/02/1990\r\n"
    (directory / "utf16_sin_bom.csv").write_bytes(utf16.encode("utf-16-le"))
    (directory / "vacio.csv").write_bytes(b"")
    (directory / "README.md").write_text("# Planillas\n\nArchivos de prueba.\n", encoding="utf-8")
    (directory / "truth.csv").write_text(
        "file,sheet,row_number,person_id,is_invalid\na.xlsx,R,2,P1,0\n", encoding="utf-8"
    )
    return {
        "truncado.xlsx": "truncated",
        "falso.xlsx": "fake_xlsx",
        "utf16_sin_bom.csv": "utf16_no_bom",
        "vacio.csv": "empty",
        "README.md": "not_person_data",
        "truth.csv": "not_person_data",
    }
