"""What the generated spreadsheets write: header wordings per field and layout set, and
the words for relationships, nationalities, countries and document types."""

from __future__ import annotations

# header wordings per field and layout set (A: the tests; B, C, D: kept for the benchmark)
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "case": {
        "A": ("N° EXPEDIENTE", "Expediente", "Nro. Exp."),
        "B": ("Número de caso", "EXP. N°", "Cod. expediente"),
        "C": ("N° de solicitud / expediente", "Caso N°", "EXPEDIENTE Nº"),
    },
    "given": {
        "A": ("NOMBRES", "Nombre(s)"),
        "B": ("Nombres del solicitante", "PRENOMBRES"),
        "C": ("Nombres de pila", "PRENOMBRES DEL TITULAR"),
    },
    "paternal": {
        "A": ("APELLIDO PATERNO", "Primer apellido"),
        "B": ("Ap. Paterno", "1er Apellido"),
        "C": ("APELLIDO 1", "Apellido padre"),
    },
    "maternal": {
        "A": ("APELLIDO MATERNO", "Segundo apellido"),
        "B": ("Ap. Materno", "2do Apellido"),
        "C": ("APELLIDO 2", "Apellido madre"),
    },
    "surnames": {"A": ("APELLIDOS",), "B": ("Apellidos del solicitante",), "C": ("APELLIDOS",)},
    "full": {
        "A": ("APELLIDOS Y NOMBRES", "Nombre completo"),
        "B": ("Nombres y apellidos", "SOLICITANTE"),
        "C": ("Apellidos, nombres", "Beneficiario/a"),
    },
    "birth": {
        "A": ("FECHA DE NACIMIENTO", "F. Nac."),
        "B": ("Fec. de nac.", "Nacimiento (fecha)"),
        "C": ("FECHA NACIM.", "F. de nacimiento"),
    },
    "sex": {"A": ("SEXO",), "B": ("Género",), "C": ("Sexo (M/F)",)},
    "nationality": {"A": ("NACIONALIDAD",), "B": ("Nacionalidad actual",), "C": ("NACIONALID.",)},
    "birth_country": {
        "A": ("PAÍS DE NACIMIENTO",),
        "B": ("País de nac.",),
        "C": ("LUGAR DE NACIMIENTO (PAÍS)",),
    },
    "doc": {
        "A": ("DOCUMENTO", "N° DOCUMENTO"),
        "B": ("Doc. de identidad", "Nro. documento"),
        "C": ("DOCUMENTO DE IDENTIDAD (TIPO Y N°)", "Identificación"),
    },
    "entry": {
        "A": ("FECHA DE INGRESO AL PERÚ",),
        "B": ("Ingreso al país",),
        "C": ("FECHA DE ENTRADA AL PERU",),
    },
    "filing": {
        "A": ("FECHA DE SOLICITUD",),
        "B": ("Fecha de presentación",),
        "C": ("F. SOLICITUD REFUGIO",),
    },
    "relationship": {
        "A": ("PARENTESCO",),
        "B": ("Parentesco con el titular",),
        "C": ("RELACIÓN CON EL SOLICITANTE",),
    },
    "address": {
        "A": ("DIRECCIÓN",),
        "B": ("Domicilio",),
        "C": ("DOMICILIO ACTUAL",),
    },
    "place": {
        "A": ("DEPARTAMENTO-PROVINCIA-DISTRITO",),
        "B": ("Dpto/Prov/Dist",),
        "C": ("LUGAR DE RESIDENCIA",),
    },
    "phone": {"A": ("TELÉFONO",), "B": ("Celular",), "C": ("TELF./CEL.",)},
    "extra": {"A": ("CÓDIGO INTERNO",), "B": ("Ficha N°",), "C": ("Digitador",)},
}
# Set "D": wordings added after the importer was last changed, measured once and not tuned
# on (bench/RESULTS.md says what it gave).
HEADERS_D: dict[str, tuple[str, ...]] = {
    "case": ("Nº Expte.", "Exp. CEPR"),
    "given": ("Nombre(s) de pila", "NOMBRES (SOLICITANTE)"),
    "paternal": ("Apellido Pat.", "APELL. PATERNO"),
    "maternal": ("Apellido Mat.", "APELL. MATERNO"),
    "surnames": ("Apellidos (paterno y materno)",),
    "full": ("APELLIDOS Y NOMBRES DEL SOLICITANTE", "Nombre y apellido"),
    "birth": ("Fecha Nac", "FEC. NAC. (DD/MM/AAAA)"),
    "sex": ("Sexo F/M",),
    "nationality": ("Nacionalidad (país)",),
    "birth_country": ("País donde nació",),
    "doc": ("Nro. Doc. Identidad", "CÉDULA / PASAPORTE"),
    "entry": ("F. INGRESO PERU",),
    "filing": ("Fecha de solicitud de refugio",),
    "relationship": ("Vínculo familiar",),
    "address": ("Dirección de residencia",),
    "place": ("Ubicación (Dpto-Prov-Dist)",),
    "phone": ("Nro. celular",),
    "extra": ("Observ. internas",),
}
for _field, _words in HEADERS_D.items():
    HEADERS[_field]["D"] = _words
RELATION_WORDS = {
    "principal": ("Titular", "TITULAR", "Solicitante principal"),
    "spouse": ("Cónyuge", "ESPOSA/O", "Conviviente"),
    "child": ("Hijo/a", "HIJO", "Hija"),
    "parent": ("Madre/Padre", "PADRE", "Madre"),
}
DEMONYM = {
    "VE": "Venezolana", "CO": "Colombiana", "CU": "Cubana", "HT": "Haitiana",
    "EC": "Ecuatoriana", "PE": "Peruana",
}  # fmt: skip
COUNTRY = {
    "VE": "Venezuela", "CO": "Colombia", "CU": "Cuba", "HT": "Haití", "EC": "Ecuador",
    "PE": "Perú",
}  # fmt: skip
DOC_WORD = {
    "national_id": ("CI", "C.I.", "CÉDULA"),
    "passport": ("PAS", "PASAPORTE"),
    "other": ("CE", "C.E."),
}
