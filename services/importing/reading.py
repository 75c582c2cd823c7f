"""Reading spreadsheets: xlsx and delimited text (encoding and delimiter detected), and the
header row found under any title rows."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from charset_normalizer import from_bytes

Cell = str | int | float | date | datetime | None


@dataclass
class Sheet:
    """One table of a file: its header (as found) and its data rows with 1-based row numbers."""

    file: str
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt", ".tsv"}


class UnreadableFile(Exception):
    """A file that cannot be imported; ``reason`` says why, in Spanish."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte of the start is NUL (text in UTF-16
    written without its byte-order mark)."""
    head = data[:4000]
    if len(head) < 4 or b"\x00" not in head:
        return None
    odd = head[1::2].count(0) / max(1, len(head[1::2]))
    even = head[0::2].count(0) / max(1, len(head[0::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    bare = _utf16_without_bom(data)
    if bare is not None:
        try:
            return data.decode(bare), bare
        except UnicodeDecodeError as exc:
            raise UnreadableFile("texto en UTF-16 dañado: no se puede leer") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        enc = best.encoding
        # charset-normalizer may pick a rare code page; Latin-1 family is what these sheets use.
        if enc.lower() not in {"cp1252", "latin_1", "iso8859_15", "utf_16", "utf_32"}:
            enc = "cp1252"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t|"}
        return max(counts, key=lambda d: counts[d])


def _clean(value: Cell) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _is_blank(row: list[Cell]) -> bool:
    return all(v is None for v in row)


def find_header(rows: list[list[Cell]], score: Callable[[list[Cell]], float]) -> int:
    """Index of the header row: the first of the top rows that looks most like column names."""
    best, best_score = 0, -1.0
    for i, row in enumerate(rows[:15]):
        s = score(row)
        if s > best_score + 1e-9:
            best, best_score = i, s
    return best


class HeaderScorer:
    """How much a row looks like a header: count of cells that map to a known field."""

    def __init__(self, recognise: Callable[[str], bool]) -> None:
        self._recognise = recognise

    def __call__(self, row: list[Cell]) -> float:
        # data cells (dates, numbers, documents) are not column names
        texts = [v for v in row if isinstance(v, str) and sum(c.isdigit() for c in v) < 4]
        if len(texts) < 2:
            return 0.0
        return float(sum(1 for t in texts if self._recognise(t)))


def _table(file: str, sheet: str, raw: list[list[Cell]], scorer: HeaderScorer) -> Sheet | None:
    rows = [[_clean(v) for v in r] for r in raw]
    if not any(not _is_blank(r) for r in rows):
        return None
    h = find_header(rows, scorer)
    headers = ["" if v is None else str(v) for v in rows[h]]
    while headers and headers[-1] == "":
        headers.pop()
    out = Sheet(file=file, sheet=sheet, header_row=h + 1, headers=headers)
    for i in range(h + 1, len(rows)):
        r = rows[i][: len(headers)]
        r += [None] * (len(headers) - len(r))
        if _is_blank(r):
            continue
        out.rows.append((i + 1, r))
    return out


def read_file(path: Path, scorer: HeaderScorer) -> list[Sheet]:
    """Every non-empty table of ``path`` (each worksheet of a workbook, or the text file).
    Raises ``UnreadableFile`` (nothing of the file is returned) when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(f"no es una planilla ({suffix or 'sin extensión'}): se omite")
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\x00"):
        raise UnreadableFile("el archivo está vacío")
    if suffix in {".xlsx", ".xlsm"}:
        if not data.startswith(b"PK\x03\x04"):
            raise UnreadableFile("no es un libro Excel: el contenido no tiene el formato .xlsx")
        try:
            return _workbook(path.name, data, scorer)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, SyntaxError) as exc:
            raise UnreadableFile("libro Excel dañado o incompleto: no se puede abrir") from exc
    text, enc = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("codificación de texto no reconocida: no se puede leer")
    delim = _delimiter(text)
    raw_rows: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]
    t = _table(path.name, "", raw_rows, scorer)
    if t is None:
        return []
    t.encoding, t.delimiter = enc, delim
    return [t]


def _workbook(name: str, data: bytes, scorer: HeaderScorer) -> list[Sheet]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            raw = [list(r) for r in ws.iter_rows(values_only=True)]
            t = _table(name, ws.title, raw, scorer)
            if t is not None:
                sheets.append(t)
    finally:
        wb.close()
    return sheets


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """The files given, and every file of a folder given (hidden ones aside): files that
    are not spreadsheets are reported, not silently passed over."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith(".")))
        else:
            out.append(p)
    return out
