"""Column mapping by meaning: synonyms, fuzzy header matching, and an override file."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from unidecode import unidecode

from services.importing.reading import Sheet

# field -> header synonyms (normalised: upper case, no accents, single spaces, no punctuation)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "case_number": (
        "N EXPEDIENTE",
        "NRO EXPEDIENTE",
        "NUMERO DE EXPEDIENTE",
        "EXPEDIENTE",
        "EXP",
        "N DE EXPEDIENTE",
        "CASO",
        "N CASO",
        "NUMERO DE CASO",
        "CASE NUMBER",
        "CASE",
    ),
    "full_name": (
        "NOMBRE COMPLETO",
        "NOMBRES Y APELLIDOS",
        "APELLIDOS Y NOMBRES",
        "NOMBRE",
        "SOLICITANTE",
        "BENEFICIARIO",
        "FULL NAME",
        "NAME",
        "PERSONA",
    ),
    "given_names": (
        "NOMBRES",
        "PRIMER NOMBRE",
        "NOMBRES DE PILA",
        "PRENOMBRES",
        "GIVEN NAMES",
        "FIRST NAME",
    ),
    "second_given_name": ("SEGUNDO NOMBRE", "OTROS NOMBRES", "MIDDLE NAME"),
    "surnames": ("APELLIDOS", "SURNAMES", "LAST NAME", "APELLIDO"),
    "paternal_surname": (
        "APELLIDO PATERNO",
        "PRIMER APELLIDO",
        "AP PATERNO",
        "APE PATERNO",
        "1ER APELLIDO",
        "APELLIDO 1",
        "APELLIDO PADRE",
        "APELLIDO DEL PADRE",
    ),
    "maternal_surname": (
        "APELLIDO MATERNO",
        "SEGUNDO APELLIDO",
        "AP MATERNO",
        "APE MATERNO",
        "2DO APELLIDO",
        "APELLIDO 2",
        "APELLIDO MADRE",
        "APELLIDO DE LA MADRE",
    ),
    "birth_date": (
        "FECHA DE NACIMIENTO",
        "FEC NACIMIENTO",
        "F NACIMIENTO",
        "NACIMIENTO",
        "FECHA NAC",
        "FNAC",
        "DATE OF BIRTH",
        "DOB",
    ),
    "age": ("EDAD", "AGE"),
    "sex": ("SEXO", "GENERO", "SEX", "GENDER"),
    "nationality": ("NACIONALIDAD", "NATIONALITY", "PAIS DE NACIONALIDAD", "PAIS DE ORIGEN"),
    "country_of_birth": (
        "LUGAR DE NACIMIENTO PAIS",
        "PAIS DE NACIMIENTO",
        "PAIS DE NAC",
        "PAIS NAC",
        "LUGAR DE NAC",
        "LUGAR DE NACIMIENTO",
        "COUNTRY OF BIRTH",
    ),
    "doc_type": ("TIPO DOCUMENTO", "TIPO DE DOCUMENTO", "TIPO DOC", "DOCUMENT TYPE"),
    "doc_number": (
        "N DOCUMENTO",
        "NUMERO DE DOCUMENTO",
        "DOCUMENTO",
        "NRO DOCUMENTO",
        "N DOC",
        "CEDULA",
        "PASAPORTE",
        "DOCUMENTO DE IDENTIDAD",
        "DOC DE IDENTIDAD",
        "IDENTIFICACION",
        "DOCUMENT NUMBER",
    ),
    "entry_date": (
        "FECHA DE INGRESO AL PERU",
        "FECHA DE INGRESO AL PAIS",
        "FECHA DE INGRESO",
        "INGRESO AL PERU",
        "INGRESO AL PAIS",
        "FECHA ENTRADA",
        "FECHA DE ENTRADA AL PAIS",
    ),
    "filing_date": (
        "FECHA DE SOLICITUD",
        "FECHA SOLICITUD",
        "FECHA DE PRESENTACION",
        "F SOLICITUD",
        "FILING DATE",
    ),
    "event_date": ("FECHA", "FECHA DE REGISTRO", "FECHA DE EMISION", "FECHA DE CITA", "DATE"),
    "address": ("DIRECCION", "DOMICILIO", "DIRECCION EN PERU", "ADDRESS"),
    "location": (
        "DEPARTAMENTO PROVINCIA DISTRITO",
        "UBIGEO",
        "DEPARTAMENTO/PROVINCIA/DISTRITO",
        "DPTO PROV DIST",
        "LUGAR DE RESIDENCIA",
        "RESIDENCIA",
        "LUGAR",
    ),
    "department": ("DEPARTAMENTO", "REGION", "REGIÓN"),
    "province": ("PROVINCIA",),
    "district": ("DISTRITO",),
    "phone": ("TELEFONO", "CELULAR", "TELF", "MOVIL", "PHONE", "NUMERO DE TELEFONO"),
    "email": ("CORREO ELECTRONICO", "CORREO", "EMAIL", "E MAIL"),
    "status": ("ESTADO", "SITUACION", "ESTADO DEL CASO", "STATUS"),
    "relationship": ("PARENTESCO", "RELACION", "VINCULO", "RELATIONSHIP"),
    "needs": (
        "NECESIDADES ESPECIFICAS",
        "NECESIDADES",
        "VULNERABILIDAD",
        "VULNERABILIDADES",
        "SPECIFIC NEEDS",
    ),
    "office": ("OFICINA", "SEDE", "OFFICE"),
    "profession": ("PROFESION", "OCUPACION", "PROFESSION"),
    "specialty": ("ESPECIALIDAD", "SPECIALTY"),
    "years_experience": ("ANOS DE EXPERIENCIA", "EXPERIENCIA", "YEARS OF EXPERIENCE"),
    "card_number": ("N CARNE", "NUMERO DE CARNE", "CARNE"),
    "consent": ("CONSENTIMIENTO", "AUTORIZA COMPARTIR DATOS", "CONSIENTE", "CONSENT"),
    "notes": ("OBSERVACIONES", "NOTAS", "COMENTARIOS", "NOTES"),
}

FUZZY_CUTOFF = 86.0


def norm_header(text: str) -> str:
    t = re.sub(r"\(\s*(s|es)\s*\)", r"\1", str(text), flags=re.IGNORECASE)  # NOMBRE(S)
    t = unidecode(t.replace("°", " ").replace("º", " ")).upper()
    t = re.sub(r"[^A-Z0-9/ ]+", " ", t)
    t = t.replace("/", " ")
    return re.sub(r"\s+", " ", t).strip()


_CHOICES: dict[str, str] = {}
for _field, _syns in SYNONYMS.items():
    for _s in _syns:
        _CHOICES.setdefault(norm_header(_s), _field)


STOPWORDS = {
    "DE",
    "DEL",
    "LA",
    "EL",
    "LOS",
    "LAS",
    "Y",
    "N",
    "NO",
    "NRO",
    "NUM",
    "NUMERO",
    "AL",
    "EN",
}


def _tokens(text: str) -> list[str]:
    return [t for t in text.split() if t not in STOPWORDS]


def _token_match(h: str, s: str) -> bool:
    """Same word, an abbreviation of it (NAC, DOC, FEC, TELF) or a one-letter typo."""
    if h == s:
        return True
    if len(h) >= 3 and s.startswith(h):
        return True
    return len(h) >= 5 and fuzz.ratio(h, s) >= 85


_SYNONYM_TOKENS = [(_tokens(k), f) for k, f in _CHOICES.items() if _tokens(k)]


def _by_tokens(h: str) -> tuple[str, float] | None:
    """Every word of a synonym found in the header (abbreviations allowed), at most one
    other word; the synonym with the most words wins (FECHA DE NAC. is a birth date, not
    FECHA)."""
    htoks = _tokens(h)
    if not htoks:
        return None
    best: tuple[int, int, str] | None = None
    for stoks, fld in _SYNONYM_TOKENS:
        used: set[int] = set()
        for st in stoks:
            hit = next(
                (i for i, ht in enumerate(htoks) if i not in used and _token_match(ht, st)), None
            )
            if hit is None:
                break
            used.add(hit)
        else:
            extra = len(htoks) - len(used)
            if extra > 1:
                continue
            rank = (len(stoks), -extra, fld)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None:
        return None
    return best[2], 95.0 - 5.0 * -best[1]


# A header naming someone else (the father, a contact, the officer) is not the person's.
OTHER_PERSON = {
    "PADRE",
    "MADRE",
    "CONYUGE",
    "ESPOSO",
    "ESPOSA",
    "CONTACTO",
    "APODERADO",
    "REFERENCIA",
    "EMERGENCIA",
    "TUTOR",
    "RESPONSABLE",
    "FUNCIONARIO",
    "OFICIAL",
    "REGISTRADOR",
    "USUARIO",
}


# Words that say whose value it is when it is the person's own ("Nombres del solicitante",
# "Parentesco con el titular", "Domicilio actual"): dropped before matching.
QUALIFIERS = {"DEL", "DE", "LA", "EL", "CON", "SOLICITANTE", "TITULAR", "ACTUAL", "A"}
# A header naming another person is still the person's own in these shapes.
OWN_DESPITE = {"APELLIDO": {"PADRE", "MADRE"}}


def _other_person(h: str) -> bool:
    toks = h.split()
    found = OTHER_PERSON & set(toks)
    if not found:
        return False
    for stem, allowed in OWN_DESPITE.items():
        if toks[0].startswith(stem) and found <= allowed:
            return False
    return True


def _without_qualifiers(h: str) -> str:
    kept = [t for t in h.split() if t not in QUALIFIERS]
    return " ".join(kept) if kept and len(kept) < len(h.split()) else ""


@lru_cache(maxsize=4096)
def match_header(header: str) -> tuple[str, float] | None:
    """The field a header means and a score 0-100, or None (cached: headers repeat)."""
    h = norm_header(header)
    if not h:
        return None
    if h in _CHOICES:
        return _CHOICES[h], 100.0
    if _other_person(h):
        return None
    q = _without_qualifiers(h)
    if q and q in _CHOICES:
        return _CHOICES[q], 97.0
    bare = norm_header(re.sub(r"\(.*?\)", " ", str(header)))
    if bare and bare in _CHOICES:
        return _CHOICES[bare], 98.0
    found = process.extractOne(h, list(_CHOICES), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if found is not None:
        return _CHOICES[found[0]], float(found[1])
    return _by_tokens(bare or h)


def recognise(header: str) -> bool:
    return match_header(header) is not None


def load_override(path: Path | None) -> dict[str, str | None]:
    """A mapping file: JSON or YAML-like ``header: field`` lines (field ``null``/empty = ignore)."""
    if path is None:
        return {}
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        return {norm_header(k): (v or None) for k, v in data.items()}
    out: dict[str, str | None] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        k, v = line.rsplit(":", 1)
        v = v.strip().strip("'\"")
        out[norm_header(k.strip().strip("'\""))] = None if v in {"", "null", "~"} else v
    return out


def map_columns(headers: list[str], override: dict[str, str | None]) -> dict[int, str]:
    """Column index -> field. Each field goes to its best-scoring column; override wins."""
    best: dict[str, tuple[float, int]] = {}
    forced: dict[int, str] = {}
    for i, header in enumerate(headers):
        h = norm_header(header)
        if h in override:
            field = override[h]
            if field:
                forced[i] = field
            continue
        m = match_header(header)
        if m is None:
            continue
        field, score = m
        if field not in best or score > best[field][0]:
            best[field] = (score, i)
    out = {i: f for f, (_, i) in best.items() if i not in forced}
    out.update(forced)
    return out


NAME_COLUMNS = {"full_name", "given_names", "surnames", "paternal_surname", "maternal_surname"}


def _name_like(value: object) -> bool:
    s = str(value).strip()
    return bool(re.fullmatch(r"[^\W\d_]+(?:[\s'.,\-]+[^\W\d_]+)*", s))


def without_non_names(sheet: Sheet, mapping: dict[int, str]) -> dict[int, str]:
    """A column mapped as a name whose values are mostly not names (codes such as
    "P200001-0" under "person_id") is not a name column."""
    out = dict(mapping)
    for i, f in mapping.items():
        if f not in NAME_COLUMNS:
            continue
        values = [row[i] for _, row in sheet.rows[:200] if row[i] is not None]
        if values and sum(_name_like(v) for v in values) < 0.5 * len(values):
            del out[i]
    return out
