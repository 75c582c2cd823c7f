"""What the demo data is made of: addresses, nationalities, the status paths cases take,
education, professions, specific needs and their weights, and the officers of each
office. Drawn from by ``services.demo_data`` with a seeded random generator."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta, timezone
from typing import Any

from faker import Faker

from models.vocab import CaseStatus, HealthProfession

# Department -> (province, [districts])
ADDRESSES: dict[str, list[tuple[str, list[str]]]] = {
    "LIMA": [
        (
            "LIMA",
            [
                "SAN JUAN DE LURIGANCHO",
                "LOS OLIVOS",
                "SAN MARTIN DE PORRES",
                "ATE",
                "COMAS",
                "SANTIAGO DE SURCO",
                "LINCE",
                "BREÑA",
                "CHORRILLOS",
            ],
        ),
        ("CALLAO", ["CALLAO", "VENTANILLA", "BELLAVISTA"]),
    ],
    "AREQUIPA": [("AREQUIPA", ["AREQUIPA", "CERRO COLORADO", "PAUCARPATA"])],
    "LA LIBERTAD": [("TRUJILLO", ["TRUJILLO", "LA ESPERANZA", "VICTOR LARCO HERRERA"])],
    "PIURA": [("PIURA", ["PIURA", "CASTILLA", "VEINTISEIS DE OCTUBRE"])],
    "TUMBES": [("TUMBES", ["TUMBES", "CORRALES"]), ("ZARUMILLA", ["AGUAS VERDES"])],
    "CUSCO": [("CUSCO", ["CUSCO", "WANCHAQ", "SANTIAGO"])],
    "LAMBAYEQUE": [("CHICLAYO", ["CHICLAYO", "JOSE LEONARDO ORTIZ", "LA VICTORIA"])],
    "TACNA": [("TACNA", ["TACNA", "ALTO DE LA ALIANZA"])],
    "LORETO": [("MAYNAS", ["IQUITOS", "PUNCHANA", "BELEN"])],
    "PUNO": [("PUNO", ["PUNO"]), ("SAN ROMAN", ["JULIACA"])],
    "MADRE DE DIOS": [("TAMBOPATA", ["TAMBOPATA"])],
    "JUNIN": [("HUANCAYO", ["HUANCAYO", "EL TAMBO"])],
    "ICA": [("ICA", ["ICA", "PARCONA"])],
}

# Nationality weights and the Faker locale that gives plausible names for each.
NATIONALITIES: list[tuple[str, float, str]] = [
    ("VE", 0.74, "es_CO"),
    ("CO", 0.12, "es_CO"),
    ("CU", 0.04, "es_ES"),
    ("HT", 0.03, "fr_FR"),
    ("EC", 0.03, "es_MX"),
    ("SV", 0.02, "es_MX"),
    ("HN", 0.02, "es_MX"),
]

# Statuses, their weights and the path that leads to them (for the history).
STATUS_PATHS: dict[CaseStatus, tuple[float, list[CaseStatus]]] = {
    CaseStatus.PRE_REGISTERED: (0.10, []),
    CaseStatus.APPOINTMENT_SCHEDULED: (0.12, [CaseStatus.PRE_REGISTERED]),
    CaseStatus.REGISTERED: (0.18, [CaseStatus.PRE_REGISTERED, CaseStatus.APPOINTMENT_SCHEDULED]),
    CaseStatus.UNDER_REVIEW: (
        0.28,
        [CaseStatus.PRE_REGISTERED, CaseStatus.APPOINTMENT_SCHEDULED, CaseStatus.REGISTERED],
    ),
    CaseStatus.RECOGNISED: (
        0.08,
        [
            CaseStatus.PRE_REGISTERED,
            CaseStatus.APPOINTMENT_SCHEDULED,
            CaseStatus.REGISTERED,
            CaseStatus.UNDER_REVIEW,
        ],
    ),
    CaseStatus.REJECTED: (
        0.06,
        [
            CaseStatus.PRE_REGISTERED,
            CaseStatus.APPOINTMENT_SCHEDULED,
            CaseStatus.REGISTERED,
            CaseStatus.UNDER_REVIEW,
        ],
    ),
    CaseStatus.APPEAL: (
        0.05,
        [
            CaseStatus.PRE_REGISTERED,
            CaseStatus.APPOINTMENT_SCHEDULED,
            CaseStatus.REGISTERED,
            CaseStatus.UNDER_REVIEW,
            CaseStatus.REJECTED,
        ],
    ),
    CaseStatus.REJECTED_FINAL: (
        0.04,
        [
            CaseStatus.PRE_REGISTERED,
            CaseStatus.APPOINTMENT_SCHEDULED,
            CaseStatus.REGISTERED,
            CaseStatus.UNDER_REVIEW,
            CaseStatus.REJECTED,
            CaseStatus.APPEAL,
        ],
    ),
    CaseStatus.WITHDRAWN: (0.03, [CaseStatus.PRE_REGISTERED, CaseStatus.APPOINTMENT_SCHEDULED]),
    CaseStatus.CLOSED: (0.02, [CaseStatus.PRE_REGISTERED, CaseStatus.REGISTERED]),
    CaseStatus.ABANDONED: (0.04, [CaseStatus.PRE_REGISTERED, CaseStatus.APPOINTMENT_SCHEDULED]),
}

EDUCATION = [
    ("none", 0.03),
    ("primary", 0.12),
    ("secondary", 0.40),
    ("technical", 0.20),
    ("university", 0.22),
    ("postgraduate", 0.03),
]
PROFESSIONS = [
    "Comerciante",
    "Docente",
    "Ingeniero civil",
    "Administradora",
    "Cocinero",
    "Técnico electricista",
    "Contadora",
    "Chofer",
    "Peluquera",
    "Albañil",
    "Abogado",
    "Enfermera",
    "Médico cirujano",
    "Estudiante",
    "Costurera",
]
HEALTH_PROFESSION_NAMES: dict[HealthProfession, tuple[str, list[str | None]]] = {
    HealthProfession.PHYSICIAN: (
        "Médico",
        ["Medicina interna", "Pediatría", "Cirugía general", "Medicina familiar", "Ginecología"],
    ),
    HealthProfession.NURSE: ("Enfermera", ["Cuidados intensivos", "Emergencias", None]),
    HealthProfession.OBSTETRICIAN: ("Obstetra", [None]),
    HealthProfession.DENTIST: ("Odontólogo", ["Ortodoncia", None]),
    HealthProfession.PHARMACIST: ("Químico farmacéutico", [None]),
    HealthProfession.MEDICAL_TECHNOLOGIST: (
        "Tecnólogo médico",
        ["Laboratorio clínico", "Radiología"],
    ),
    HealthProfession.PSYCHOLOGIST: ("Psicólogo", ["Psicología clínica", None]),
}
NEED_WEIGHTS = [
    ("SM-CI", 5),
    ("SM-CC", 2),
    ("WR-WR", 5),
    ("WR-PY", 3),
    ("SP-PT", 6),
    ("DS-PM", 2),
    ("ER-NF", 2),
    ("UM", 1),
    ("SC", 2),
    ("CR-LW", 3),
    ("SV-VA", 2),
    ("TR-PI", 1),
    ("FU-FR", 3),
    ("LP-ND", 4),
]
CHILD_CODES = frozenset({"UM", "SC", "CR-LW"})
OFFICE_WEIGHTS = {"LIM": 40.0, "CEBAF": 10.0}  # the 12 others share the rest equally


def weighted(rnd: random.Random, items: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*items, strict=True)
    return rnd.choices(values, weights=weights)[0]


def demo_officers(
    rnd: random.Random, offices: Sequence[tuple[Any, ...]], password_hash: str | None
) -> list[tuple[Any, ...]]:
    faker = Faker("es_ES")
    faker.seed_instance(7)
    rows: list[tuple[Any, ...]] = []
    officer_id = 0
    for oid, code, _ in offices:
        big = code in ("LIM", "CEBAF")
        staff = [
            ("cepr-registrar", 3 if big else 1),
            ("cepr-eligibility", 5 if big else 2),
            ("cepr-supervisor", 1),
        ]
        if code == "LIM":
            staff.append(("cepr-secretary", 1))
        for role, count in staff:
            for n in range(count):
                officer_id += 1
                short = {
                    "cepr-registrar": "reg",
                    "cepr-eligibility": "eleg",
                    "cepr-supervisor": "sup",
                    "cepr-secretary": "sec",
                }[role]
                profiles = "{general}"
                if role == "cepr-eligibility":
                    profiles = rnd.choice(["{general}", "{general,children}", "{general,VE}"])
                rows.append(
                    (
                        officer_id,
                        f"{short}{n + 1}.{code.lower()}",
                        f"{faker.first_name()} {faker.last_name()}",
                        role,
                        oid,
                        profiles,
                        40,
                        True,
                        password_hash,
                    )
                )
    return rows


def demo_document(
    rnd: random.Random, nationality: str, used: set[tuple[str, str, str]]
) -> tuple[str, str, str]:
    while True:
        if nationality == "VE" and rnd.random() < 0.85:
            document = ("national_id", str(rnd.randrange(5_000_000, 32_000_000)), "VE")
        elif nationality == "CO" and rnd.random() < 0.8:
            document = ("national_id", str(rnd.randrange(1_000_000_000, 1_200_000_000)), "CO")
        else:
            letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
            document = (
                "passport",
                rnd.choice(letters) + str(rnd.randrange(10_000_000, 99_999_999)),
                nationality,
            )
        if document not in used:
            used.add(document)
            return document


# An eligibility officer's demo caseload stops here (capacity 40): room for new assignments.
DEMO_CASELOAD = 30

# Appointment slots of every office: weekdays, Lima office hours (UTC-5), from today on.
SLOT_HOURS_LIMA = (9, 11, 15)
SLOT_DAYS = 14


def demo_slots(office_ids: Sequence[int], now: datetime) -> list[tuple[Any, ...]]:
    """Slots (office_id, starts_at, minutes, mode, purpose, capacity, booked) for today and
    the next ``SLOT_DAYS`` weekdays at every office; none in the past."""
    lima = timezone(timedelta(hours=-5))
    today = now.astimezone(lima).date()
    purposes = ("registration_interview", "biometric_enrolment", "eligibility_interview")
    rows: list[tuple[Any, ...]] = []
    for offset in range(SLOT_DAYS + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 and offset:
            continue
        for hour, purpose in zip(SLOT_HOURS_LIMA, purposes, strict=True):
            starts = datetime.combine(day, time(hour), tzinfo=lima)
            if offset == 0 and starts <= now:
                hour_now = now.astimezone(lima).replace(minute=0, second=0, microsecond=0)
                starts = hour_now + timedelta(hours=1 + SLOT_HOURS_LIMA.index(hour))
            for office_id in office_ids:
                mode = "remote" if purpose == "eligibility_interview" else "in_person"
                rows.append((office_id, starts, 30, mode, purpose, 4, 0))
    return rows
