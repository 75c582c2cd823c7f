"""Normalisers: one function per kind of value. Each returns the normalised value or None."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import phonenumbers
import pycountry
from rapidfuzz import fuzz, process
from stdnum.util import clean
from unidecode import unidecode

from models.reference_data import read_csv

ERROR_MARKERS = (
    "#REF",
    "#¡REF",
    "#N/A",
    "#VALUE",
    "#¡VALOR",
    "#DIV/0",
    "#NAME",
    "#¿NOMBRE",
    "#NULL",
)
EMPTY_MARKERS = {
    "",
    "-",
    "--",
    "S/D",
    "SD",
    "N/A",
    "NA",
    "NO TIENE",
    "SIN DOCUMENTO",
    "NINGUNO",
    "NINGUNA",
    "SIN DATO",
    "SIN DATOS",
    "NULL",
    "NONE",
    "X",
    "0",
    "S/N",
    "NO",
    ".",
}


def key(text: str) -> str:
    """Comparison key: upper case, no accents, letters/digits/spaces only."""
    t = unidecode(text).upper()
    t = re.sub(r"[^A-Z0-9 ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def is_error_value(value: object) -> bool:
    return isinstance(value, str) and any(m in value.upper() for m in ERROR_MARKERS)


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = re.sub(r"\s+", " ", str(value)).strip()
    return s or None


# ---------------------------------------------------------------- names

PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "DA", "DOS", "DI", "VAN", "VON", "Y", "MC", "SAN"}


def _smart_title(s: str) -> str:
    words: list[str] = []
    for w in s.split(" "):
        lw = w.lower()
        if key(w) in PARTICLES and words:
            words.append(lw)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in lw.split("-")))
    return " ".join(words)


def clean_name(value: object) -> str | None:
    """A name part: collapsed spaces, title case (accents kept as written)."""
    s = text(value)
    if s is None or is_error_value(s):
        return None
    s = re.sub(r"[^\w\s'\-]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if not s or not re.search(r"[^\W\d_]", s):
        return None
    return _smart_title(s)


def _group_particles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    pending: list[str] = []
    for t in tokens:
        if key(t) in PARTICLES:
            pending.append(t)
            continue
        out.append(" ".join([*pending, t]))
        pending = []
    if pending:
        if out:
            out[-1] = out[-1] + " " + " ".join(pending)
        else:
            out.append(" ".join(pending))
    return out


@dataclass
class NameParts:
    given: str
    paternal: str | None
    maternal: str | None
    order_known: bool  # given/surname split is certain (separate columns or "Apellidos, Nombres")


class GivenNameEvidence:
    """Counts of tokens seen as given names / surnames in split columns, to split full names."""

    def __init__(self) -> None:
        self.given: dict[str, int] = {}
        self.surname: dict[str, int] = {}

    def add(self, given: str | None, surnames: Iterable[str | None]) -> None:
        for t in key(given or "").split():
            self.given[t] = self.given.get(t, 0) + 1
        for s in surnames:
            for t in key(s or "").split():
                self.surname[t] = self.surname.get(t, 0) + 1

    def given_score(self, token: str) -> float:
        k = key(token)
        g, s = self.given.get(k, 0), self.surname.get(k, 0)
        return (g + 0.5) / (g + s + 1.0)


def split_surnames(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    toks = _group_particles(value.split(" "))
    if len(toks) == 1:
        return toks[0], None
    return toks[0], " ".join(toks[1:])


def full_name_order(values: Iterable[object], evidence: GivenNameEvidence) -> str | None:
    """'GS' (Nombres Apellidos) or 'SG' (Apellidos Nombres, no comma) for a whole column, from
    the evidence of split name columns: is the first or the last word more often a given name?"""
    first = last = 0.0
    for v in values:
        raw = text(v)
        if raw is None or "," in raw:
            continue
        toks = key(raw).split()
        if len(toks) < 2:
            continue
        first += evidence.given_score(toks[0]) - 0.5
        last += evidence.given_score(toks[-1]) - 0.5
    if last > first and last > 0:
        return "SG"
    if first > last and first > 0:
        return "GS"
    return None


def parse_full_name(
    value: object, evidence: GivenNameEvidence | None = None, order: str = "GS"
) -> NameParts | None:
    """'Apellidos, Nombres', 'Nombres Apellidos' or (``order='SG'``) 'Apellidos Nombres'."""
    raw = text(value)
    if raw is None or is_error_value(raw):
        return None
    if "," in raw:
        sur, _, giv = raw.partition(",")
        given, surnames = clean_name(giv), clean_name(sur)
        if given is None:
            return None
        pat, mat = split_surnames(surnames)
        return NameParts(given, pat, mat, True)
    s = clean_name(raw)
    if s is None:
        return None
    toks = _group_particles(s.split(" "))
    n = len(toks)
    if order == "SG" and n >= 2:
        if n == 2:
            return NameParts(toks[1], toks[0], None, False)
        if n == 3:
            second_given = evidence.given_score(toks[1]) if evidence else 0.5
            if second_given > 0.5:
                return NameParts(" ".join(toks[1:]), toks[0], None, False)
            return NameParts(toks[2], toks[0], toks[1], False)
        return NameParts(" ".join(toks[2:]), toks[0], toks[1], False)
    if n == 1:
        return NameParts(toks[0], None, None, False)
    if n == 2:
        return NameParts(toks[0], toks[1], None, False)
    if n == 3:
        second_given = evidence.given_score(toks[1]) if evidence else 0.5
        if second_given > 0.5:
            return NameParts(" ".join(toks[:2]), toks[2], None, False)
        return NameParts(toks[0], toks[1], toks[2], False)
    return NameParts(" ".join(toks[:-2]), toks[-2], toks[-1], False)


# ---------------------------------------------------------------- dates

MONTHS = {
    "ENE": 1,
    "ENERO": 1,
    "FEB": 2,
    "FEBRERO": 2,
    "MAR": 3,
    "MARZO": 3,
    "ABR": 4,
    "ABRIL": 4,
    "MAY": 5,
    "MAYO": 5,
    "JUN": 6,
    "JUNIO": 6,
    "JUL": 7,
    "JULIO": 7,
    "AGO": 8,
    "AGOSTO": 8,
    "SEP": 9,
    "SET": 9,
    "SEPT": 9,
    "SEPTIEMBRE": 9,
    "SETIEMBRE": 9,
    "OCT": 10,
    "OCTUBRE": 10,
    "NOV": 11,
    "NOVIEMBRE": 11,
    "DIC": 12,
    "DICIEMBRE": 12,
    "JAN": 1,
    "APR": 4,
    "AUG": 8,
    "DEC": 12,
}
EXCEL_EPOCH = date(1899, 12, 30)


TWO_DIGIT_YEAR_WINDOW = 10


def _year(y: str, today: date) -> int:
    """Two-digit years: 20yy up to ten years ahead of today (so a near-future typo is caught as
    a future date and rejected for review), otherwise 19yy."""
    n = int(y)
    if len(y) <= 2:
        n += 2000
        if n > today.year + TWO_DIGIT_YEAR_WINDOW:
            n -= 100
    return n


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def date_order_evidence(value: object) -> str | None:
    """'DMY' or 'MDY' when the value alone proves the order (a part above 12)."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})\s*", value)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "DMY"
    if b > 12 >= a:
        return "MDY"
    return None


def parse_date(value: object, order: str = "DMY", today: date | None = None) -> date | None:
    """Excel dates and serials, ISO, dd/mm/yyyy (mm/dd when ``order`` says so), two-digit
    years, Spanish month names."""
    today = today or date.today()
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    s = text(value)
    if s is None or is_error_value(s):
        return None
    s = s.upper()
    m = re.fullmatch(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T].*)?", s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})(?: .*)?", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3), today)
        if order == "MDY":
            a, b = b, a
        return _mk(y, b, a) or _mk(y, a, b)
    m = re.fullmatch(
        r"(\d{1,2})(?:\s+DE)?[\s\-/.]+([A-Z]+)\.?(?:\s+DE(?:L)?)?[\s\-/.]+(\d{2,4})", unidecode(s)
    )
    if m and m.group(2) in MONTHS:
        return _mk(_year(m.group(3), today), MONTHS[m.group(2)], int(m.group(1)))
    m = re.fullmatch(r"\d{5}(?:\.0+)?", s)
    if m:
        return EXCEL_EPOCH + timedelta(days=int(float(s)))
    return None


# ---------------------------------------------------------------- countries


def _build_countries() -> dict[str, str]:
    names: dict[str, str] = {}
    tr: Callable[[str], str]
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
    except OSError:
        tr = str

    for c in pycountry.countries:
        a2 = c.alpha_2
        for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if n:
                names[key(n)] = a2
                names[key(tr(n))] = a2
                base = re.sub(r"\(.*?\)", "", tr(n))
                names[key(base)] = a2
        names[c.alpha_3] = a2
    return names


DEMONYMS = {
    "VENEZOLAN": "VE",
    "COLOMBIAN": "CO",
    "CUBAN": "CU",
    "HAITIAN": "HT",
    "ECUATORIAN": "EC",
    "PERUAN": "PE",
    "BOLIVIAN": "BO",
    "CHILEN": "CL",
    "ARGENTIN": "AR",
    "BRASILEN": "BR",
    "BRASILER": "BR",
    "SIRI": "SY",
    "AFGAN": "AF",
    "SALVADOREN": "SV",
    "HONDUREN": "HN",
    "GUATEMALTEC": "GT",
    "NICARAGUENS": "NI",
    "DOMINICAN": "DO",
    "MEXICAN": "MX",
    "PARAGUAY": "PY",
    "URUGUAY": "UY",
    "PANAMEN": "PA",
    "COSTARRICENS": "CR",
    "ESTADOUNIDENS": "US",
    "ESPANOL": "ES",
    "ESPANOLA": "ES",
    "RUS": "RU",
    "UCRANIAN": "UA",
    "CHIN": "CN",
    "CONGOLEN": "CD",
    "CAMERUNES": "CM",
    "CAMERUNESA": "CM",
    "NIGERIAN": "NG",
    "IRAQU": "IQ",
    "IRANI": "IR",
    "PALESTIN": "PS",
    "YEMEN": "YE",
    "ERITRE": "ER",
    "SOMALI": "SO",
    "SUDANES": "SD",
    "SUDANESA": "SD",
    "GHANES": "GH",
    "GHANESA": "GH",
    "INDI": "IN",
    "PAKISTAN": "PK",
    "BANGLADES": "BD",
    "TURC": "TR",
    "LIBANES": "LB",
    "LIBANESA": "LB",
    "EGIPCI": "EG",
    "MARROQU": "MA",
    "ITALIAN": "IT",
    "FRANCES": "FR",
    "FRANCESA": "FR",
    "ALEMAN": "DE",
    "ALEMANA": "DE",
    "PORTUGUES": "PT",
    "PORTUGUESA": "PT",
    "JAMAIQUIN": "JM",
    "TRINITENS": "TT",
    "GUYANES": "GY",
    "GUYANESA": "GY",
    "SURINAM": "SR",
    "BELICEN": "BZ",
    "SENEGALES": "SN",
    "SENEGALESA": "SN",
    "MALIENS": "ML",
    "GUINEAN": "GN",
    "ETIOPE": "ET",
    "KENIAN": "KE",
    "ANGOLEN": "AO",
    "JORDAN": "JO",
    "SAUDI": "SA",
    "VIETNAMIT": "VN",
    "COREAN": "KR",
    "JAPONES": "JP",
    "JAPONESA": "JP",
    "FILIPIN": "PH",
    "NEPALI": "NP",
    "SRILANKES": "LK",
    "SRILANKESA": "LK",
    "BIELORRUS": "BY",
    "GEORGIAN": "GE",
    "ARMENI": "AM",
}
EXTRA_COUNTRY_NAMES = {
    "VENEZUELA": "VE",
    "BOLIVIA": "BO",
    "SIRIA": "SY",
    "IRAN": "IR",
    "RUSIA": "RU",
    "CONGO": "CD",
    "RD CONGO": "CD",
    "ESTADOS UNIDOS": "US",
    "EEUU": "US",
    "USA": "US",
    "REPUBLICA DOMINICANA": "DO",
    "HAITI": "HT",
    "PALESTINA": "PS",
    "COREA": "KR",
    "VIETNAM": "VN",
    "TAIWAN": "TW",
}
_COUNTRIES = _build_countries()
_COUNTRIES.update(EXTRA_COUNTRY_NAMES)
_COUNTRY_KEYS = list(_COUNTRIES)


def country(value: object) -> str | None:
    """Country name (Spanish/English), ISO code, or demonym -> ISO 3166 alpha-2."""
    s = text(value)
    if s is None or is_error_value(s):
        return None
    k = key(re.sub(r"\(.*?\)", "", s)) or key(s)
    if not k:
        return None
    if k in _COUNTRIES:
        return _COUNTRIES[k]
    if len(k) == 2 and pycountry.countries.get(alpha_2=k) is not None:
        return k
    full = key(s)
    if full in _COUNTRIES:
        return _COUNTRIES[full]
    stem = k.replace(" ", "")
    for cut in (0, 1, 2):
        st = stem[: len(stem) - cut] if cut else stem
        if st in DEMONYMS:
            return DEMONYMS[st]
    if len(k) >= 5:
        found = process.extractOne(k, _COUNTRY_KEYS, scorer=fuzz.ratio, score_cutoff=88)
        if found is not None:
            return _COUNTRIES[found[0]]
    return None


# ---------------------------------------------------------------- documents


def doc_type(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    if k.startswith("PAS") or k in {"PP", "PASSPORT"}:
        return "passport"
    if k.startswith("CED") or k in {"CI", "DNI", "C I", "CC", "DOCUMENTO NACIONAL", "ID"}:
        return "national_id"
    return "other"


def document(
    value: object, declared_type: str | None, nationality: str | None
) -> tuple[str, str] | None:
    """(type, number) or None when there is no document (S/D, NO TIENE, -)."""
    s = text(value)
    if s is None or is_error_value(s):
        return None
    up = unidecode(s).upper().strip()
    if up in EMPTY_MARKERS or key(up) in EMPTY_MARKERS or "TRAMITE" in up:
        return None
    had_v_dash = bool(re.match(r"^[VE]\s*-", up))
    num = clean(up, " .-/").upper()
    if not re.fullmatch(r"[A-Z0-9]{3,20}", num):
        return None
    kind = declared_type
    v_prefix = had_v_dash or (
        num[:1] in {"V", "E"}
        and len(num) <= 9
        and kind != "passport"
        and (kind == "national_id" or nationality in {"VE", None})
    )
    if v_prefix and num[1:].isdigit():
        num = num[1:]
        kind = kind or "national_id"
    if kind is None:
        kind = "national_id" if num.isdigit() else "passport"
    return kind, num


def doc_digits(number: str | None) -> str | None:
    if not number:
        return None
    d = re.sub(r"\D", "", number).lstrip("0")
    return d if len(d) >= 5 else None


# ---------------------------------------------------------------- phones, case numbers, misc


def phone(value: object, region: str = "PE") -> str | None:
    s = text(value)
    if s is None or is_error_value(s):
        return None
    digits = re.sub(r"\D", "", s)
    if not digits:
        return None
    candidate = s
    if not s.strip().startswith("+") and digits.startswith("51") and len(digits) == 11:
        candidate = "+" + digits
    try:
        n = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(n):
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def case_number(value: object) -> int | None:
    s = text(value)
    if s is None or is_error_value(s):
        return None
    s = unidecode(s).upper()
    s = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", s)
    m = re.search(r"\d{3,9}", s)
    if m is None:
        return None
    n = int(m.group(0))
    return n if 0 < n < 2_000_000_000 else None


def sex(value: object) -> str | None:
    k = key(text(value) or "")
    if k in {"F", "FEMENINO", "MUJER", "FEMALE", "FEM"}:
        return "F"
    if k in {"M", "MASCULINO", "HOMBRE", "VARON", "MALE", "MASC"}:
        return "M"
    if k in {"X", "OTRO", "OTHER", "NO BINARIO"}:
        return "X"
    return None


def email(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    s = s.lower().replace(" ", "")
    return s if re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", s) else None


STATUSES = {
    "PRE REGISTRO": "pre_registered",
    "PREREGISTRO": "pre_registered",
    "PRE REGISTRADO": "pre_registered",
    "CITADO": "appointment_scheduled",
    "CITA": "appointment_scheduled",
    "REGISTRADO": "registered",
    "EN EVALUACION": "under_review",
    "EVALUACION": "under_review",
    "RECONOCIDO": "recognised",
    "REFUGIADO": "recognised",
    "DENEGADO": "rejected",
    "RECHAZADO": "rejected",
    "APELACION": "appeal",
    "DENEGADO FINAL": "rejected_final",
    "DESISTIDO": "withdrawn",
    "DESISTIMIENTO": "withdrawn",
    "ARCHIVADO": "closed",
    "CERRADO": "closed",
    "ABANDONO": "abandoned",
    "ABANDONADO": "abandoned",
}


def case_status(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    if k in STATUSES:
        return STATUSES[k]
    found = process.extractOne(k, list(STATUSES), scorer=fuzz.ratio, score_cutoff=85)
    return STATUSES[found[0]] if found else None


RELATIONSHIPS = {
    "TITULAR": "principal",
    "PRINCIPAL": "principal",
    "SOLICITANTE": "principal",
    "JEFE DE FAMILIA": "principal",
    "HIJO": "child",
    "HIJA": "child",
    "CONYUGE": "spouse",
    "ESPOSO": "spouse",
    "ESPOSA": "spouse",
    "PAREJA": "spouse",
    "CONVIVIENTE": "spouse",
    "PADRE": "parent",
    "MADRE": "parent",
    "HERMANO": "sibling",
    "HERMANA": "sibling",
}


def relationship(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    return RELATIONSHIPS.get(k, "other")


def location(value: object) -> tuple[str | None, str | None, str | None]:
    s = text(value)
    if s is None:
        return None, None, None
    parts = [p.strip().upper() or None for p in re.split(r"[/|,]", s)]
    parts += [None] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


# ------------------------------------------------------------ offices and needs (reference data)


def _office_index() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for row in read_csv("offices.csv"):
        code = row["code"] or ""
        out.append((key(code), code))
        out.append((key(row["department"] or ""), code))
        name = key(row["name"] or "")
        out.append((name, code))
        m = re.search(r" DE (.+)$", name)
        if m:
            out.append((m.group(1), code))
    return out


_OFFICES = _office_index()


def office(value: object) -> str:
    """Office code from an office / city / department name; unknown -> LIM."""
    k = key(text(value) or "")
    if not k:
        return "LIM"
    for name, code in _OFFICES:
        if k == name:
            return code
    codes = {c for _, c in _OFFICES}
    for tok in k.split():
        if tok in codes:
            return tok
    for name, code in _OFFICES:
        if len(name) >= 3 and (name in k.split() or name in k):
            return code
    found = process.extractOne(
        k, [n for n, _ in _OFFICES], scorer=fuzz.partial_ratio, score_cutoff=90
    )
    if found is not None:
        return dict(_OFFICES)[found[0]]
    return "LIM"


NEED_KEYWORDS = {
    "NO ACOMPANAD": "UM",
    "SEPARAD": "SC",
    "NINO EN RIESGO": "CR-CS",
    "NINA EN RIESGO": "CR-CS",
    "MENOR EN RIESGO": "CR-CS",
    "MUJER EN RIESGO": "WR-WR",
    "EMBARAZ": "WR-PY",
    "LACTANTE": "WR-LC",
    "ENFERMEDAD CRONICA": "SM-CI",
    "CRONIC": "SM-CI",
    "ENFERMEDAD GRAVE": "SM-CC",
    "CONDICION MEDICA": "SM-CC",
    "MEDICA": "SM-CC",
    "MENTAL": "SM-MI",
    "DISCAPACIDAD": "DS-PM",
    "ADULTO MAYOR": "ER-NF",
    "ADULTA MAYOR": "ER-NF",
    "TERCERA EDAD": "ER-NF",
    "VIOLENCIA SEXUAL": "SV-VA",
    "VIOLENCIA": "SV-VA",
    "GENERO": "SV-VA",
    "TORTURA": "TR-HO",
    "MADRE SOLA": "SP-PT",
    "PADRE SOLO": "SP-PT",
    "MONOPARENTAL": "SP-PT",
    "JEFA DE HOGAR": "SP-PT",
    "REUNIFICACION": "FU-FR",
    "SIN DOCUMENT": "LP-ND",
    "INDOCUMENTAD": "LP-ND",
}


def _need_labels() -> dict[str, str]:
    return {key(r["label_es"] or ""): r["code"] or "" for r in read_csv("specific_needs.csv")}


_NEED_LABELS = _need_labels()
_NEED_CODES = {code for code in _NEED_LABELS.values()}


def needs(value: object) -> list[str]:
    """Free text of specific needs -> UNHCR codes (several separated by , ; / or 'y')."""
    s = text(value)
    if s is None:
        return []
    out: list[str] = []
    for part in re.split(r"[,;/+]| Y ", unidecode(s).upper()):
        k = key(part)
        if not k:
            continue
        code: str | None = None
        if k.replace(" ", "-") in _NEED_CODES:
            code = k.replace(" ", "-")
        elif k in _NEED_LABELS:
            code = _NEED_LABELS[k]
        else:
            for kw, c in NEED_KEYWORDS.items():
                if kw in k:
                    code = c
                    break
        if code is None:
            found = process.extractOne(
                k, list(_NEED_LABELS), scorer=fuzz.token_set_ratio, score_cutoff=80
            )
            code = _NEED_LABELS[found[0]] if found else None
        if code and code not in out:
            out.append(code)
    return out


HEALTH_PROFESSIONS = {
    "MEDIC": "physician",
    "CIRUJANO": "physician",
    "DOCTOR": "physician",
    "ENFERMER": "nurse",
    "OBSTETR": "obstetrician",
    "ODONTOLOG": "dentist",
    "DENTISTA": "dentist",
    "FARMACEUT": "pharmacist",
    "QUIMICO FARMAC": "pharmacist",
    "TECNOLOG": "medical_technologist",
    "PSICOLOG": "psychologist",
    "NUTRICION": "nutritionist",
    "FISIOTERAP": "physiotherapist",
    "BIOLOG": "biologist",
}


def health_profession(value: object) -> str | None:
    k = key(text(value) or "")
    if not k:
        return None
    for stem, prof in HEALTH_PROFESSIONS.items():
        if stem in k:
            return prof
    return "other"
