"""Countries and nationalities (pycountry in Spanish, demonyms, fuzzy matches)."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process

from services.importing.normalise._base import is_error_value, key, text


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
    return _country(s)


@lru_cache(maxsize=4096)
def _country(s: str) -> str | None:
    """(cached: a sheet writes a few nationalities thousands of times)"""
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
