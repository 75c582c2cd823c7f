"""Synthetic, repeatable demo data: persons, families, cases in every status, officers.

Generated in Python from a seed (Faker for Spanish names), then written with COPY in
one transaction, so 5,000 persons load in a few seconds on two cores.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from faker import Faker
from psycopg import Connection

from models.vocab import PENDING_STATUSES, CaseStatus, HealthProfession
from services.casework.assignment import RULE_VERSION as ASSIGNMENT_RULE_VERSION
from services.casework.priority import file_rules, score
from services.demo_casework import (
    assess_demo_cases,
    copy_rows,
    respect_profiles,
    write_priorities,
)
from services.demo_vocabulary import (
    ADDRESSES,
    CHILD_CODES,
    DEMO_CASELOAD,
    EDUCATION,
    HEALTH_PROFESSION_NAMES,
    NATIONALITIES,
    NEED_WEIGHTS,
    OFFICE_WEIGHTS,
    PROFESSIONS,
    STATUS_PATHS,
    demo_document,
    demo_officers,
    demo_slots,
    weighted,
)

DEMO_PASSWORD = "demo-qoricancha"


@dataclass
class DemoSummary:
    persons: int = 0
    cases: int = 0
    officers: int = 0
    health_professionals: int = 0
    appointments: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    sample_case_numbers: list[int] = field(default_factory=list)
    sample_documents: list[tuple[str, str, str]] = field(default_factory=list)
    officers_by_office: dict[str, list[str]] = field(default_factory=dict)
    agency_clients: dict[str, str] = field(default_factory=dict)
    applicant_logins: list[str] = field(default_factory=list)
    # assessed, waiting for the Executive Secretary's decision
    assessed_cases: list[int] = field(default_factory=list)


def has_data(conn: Connection[Any]) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM person)").fetchone()[0]  # type: ignore[index,no-any-return]


def generate_demo(
    conn: Connection[Any],
    persons: int = 5000,
    seed: int = 2018,
    password_hash: str | None = None,
    client_secret_hashes: dict[str, str] | None = None,
) -> DemoSummary:
    """Write the demo data set into an empty, migrated database (one transaction).

    ``password_hash`` (of ``DEMO_PASSWORD``) is given to every demo officer and applicant;
    ``client_secret_hashes`` maps agency -> hash of its demo client secret.
    """
    rnd = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in {loc for _, _, loc in NATIONALITIES}}
    for index, faker in enumerate(fakers.values()):
        faker.seed_instance(seed + index)
    offices = conn.execute("SELECT id, code, department FROM office ORDER BY id").fetchall()
    office_ids = {code: oid for oid, code, _ in offices}
    weights = [
        (code, OFFICE_WEIGHTS.get(code, 50.0 / (len(offices) - 2))) for _, code, _ in offices
    ]
    summary = DemoSummary()
    rules = file_rules()
    need_categories = dict(conn.execute("SELECT code, category FROM specific_need_code").fetchall())

    officers = demo_officers(rnd, offices, password_hash)
    summary.officers = len(officers)
    copy_rows(
        conn,
        "officer",
        [
            "id",
            "username",
            "full_name",
            "role",
            "office_id",
            "profiles",
            "capacity",
            "available",
            "password_hash",
        ],
        officers,
    )
    eligibility_by_office: dict[int, list[int]] = {}
    for row in officers:
        summary.officers_by_office.setdefault(
            next(c for i, c, _ in offices if i == row[4]), []
        ).append(f"{row[1]} ({row[3]})")
        if row[3] == "cepr-eligibility":
            eligibility_by_office.setdefault(row[4], []).append(row[0])

    person_rows: list[tuple[Any, ...]] = []
    document_rows: list[tuple[Any, ...]] = []
    case_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    need_rows: list[tuple[Any, ...]] = []
    history_rows: list[tuple[Any, ...]] = []
    appointment_rows: list[tuple[Any, ...]] = []
    health_rows: list[tuple[Any, ...]] = []
    consent_rows: list[tuple[Any, ...]] = []
    priority_rows: list[tuple[Any, ...]] = []
    assignment_rows: list[tuple[Any, ...]] = []
    used_documents: set[tuple[str, str, str]] = set()
    person_id = 0
    case_id = 0
    number = 100_000
    today = date(2026, 11, 20)
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    caseload: dict[int, int] = {oid: 0 for ids in eligibility_by_office.values() for oid in ids}
    open_principals: dict[CaseStatus, int] = {}  # an applicant account per open stage

    while person_id < persons:
        case_id += 1
        number += 1
        nationality, _, locale = rnd.choices(
            NATIONALITIES, weights=[w for _, w, _ in NATIONALITIES]
        )[0]
        faker = fakers[locale]
        status = weighted(rnd, [(s, w) for s, (w, _) in STATUS_PATHS.items()])
        office_code = weighted(rnd, weights)
        office_id = office_ids[office_code]
        filing = date(2018, 1, 1) + timedelta(days=rnd.randrange((today - date(2018, 1, 1)).days))
        entry = filing - timedelta(days=rnd.randrange(1, 120))
        department = next(d for _, c, d in offices if c == office_code)
        if department not in ADDRESSES or rnd.random() < 0.2:
            department = "LIMA"
        province, districts = rnd.choice(ADDRESSES[department])
        district = rnd.choice(districts)
        family_name = faker.last_name()
        size = weighted(rnd, [(1, 40), (2, 20), (3, 20), (4, 12), (5, 8)])
        members: list[tuple[int, str]] = []
        for k in range(size):
            person_id += 1
            relationship = "principal" if k == 0 else ("spouse" if k == 1 and size > 2 else "child")
            adult = relationship != "child"
            sex = rnd.choice("FM")
            given = faker.first_name_female() if sex == "F" else faker.first_name_male()
            if rnd.random() < 0.35:
                extra = faker.first_name_female() if sex == "F" else faker.first_name_male()
                if extra != given:
                    given = f"{given} {extra}"
            paternal = family_name if relationship != "spouse" else faker.last_name()
            maternal = faker.last_name() if rnd.random() < 0.9 else None
            age_days = rnd.randrange(18 * 365, 70 * 365) if adult else rnd.randrange(30, 17 * 365)
            birth = filing - timedelta(days=age_days)
            education = weighted(rnd, EDUCATION) if adult else "primary"
            profession = rnd.choice(PROFESSIONS) if adult else None
            phone = f"+519{rnd.randrange(10_000_000, 99_999_999)}" if adult else None
            email = (
                f"{given.split()[0].lower()}.{paternal.lower()}{rnd.randrange(100)}@correo.pe".replace(
                    " ", ""
                )
                if adult and rnd.random() < 0.7
                else None
            )
            person_rows.append(
                (
                    person_id,
                    given,
                    paternal,
                    maternal,
                    sex,
                    birth,
                    nationality,
                    nationality,
                    entry,
                    department,
                    province,
                    district,
                    f"{faker.street_name()} {rnd.randrange(100, 2999)}" if adult else None,
                    phone,
                    email,
                    education,
                    profession,
                    "{es}" if locale.startswith("es") else "{fr,ht,es}",
                )
            )
            members.append((person_id, relationship))
            if adult or rnd.random() < 0.5:
                document = demo_document(rnd, nationality, used_documents)
                document_rows.append((person_id, *document))
                if len(summary.sample_documents) < 50:
                    summary.sample_documents.append(document)
            if adult and rnd.random() < 0.03:
                kind = rnd.choice(list(HealthProfession))
                title, specialties = HEALTH_PROFESSION_NAMES[kind]
                health_rows.append(
                    (
                        person_id,
                        kind.value,
                        rnd.choice(specialties),
                        f"Título de {title}",
                        nationality,
                        rnd.choice(["not_started", "in_progress", "recognised", "denied"]),
                        f"CMP-{rnd.randrange(10000, 99999)}" if rnd.random() < 0.3 else None,
                        rnd.randrange(0, 30),
                    )
                )
                if rnd.random() < 0.85:
                    withdrawn = (
                        now - timedelta(days=rnd.randrange(1, 60)) if rnd.random() < 0.1 else None
                    )
                    consent_rows.append(
                        (
                            person_id,
                            "health-workforce",
                            now - timedelta(days=rnd.randrange(60, 900)),
                            withdrawn,
                        )
                    )
        assigned = None
        if (
            status in (CaseStatus.UNDER_REVIEW, CaseStatus.APPEAL)
            and office_id in eligibility_by_office
        ):
            assigned = rnd.choice(eligibility_by_office[office_id])
            # the same draw as before; an officer near capacity keeps room for new cases
            if caseload[assigned] >= DEMO_CASELOAD:
                assigned = None
            else:
                caseload[assigned] += 1
        member_rows.extend((case_id, pid, rel) for pid, rel in members)
        if status in PENDING_STATUSES:
            open_principals.setdefault(status, members[0][0])
        path = [*STATUS_PATHS[status][1], status]
        moment = datetime.combine(filing, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        previous: str | None = None
        for step in path:
            if assigned is not None and step is CaseStatus.UNDER_REVIEW:
                assignment_rows.append(
                    (
                        case_id,
                        assigned,
                        ASSIGNMENT_RULE_VERSION,
                        "Asignación automática: oficina y perfil del expediente, menor carga",
                        "sistema:asignacion",
                        moment,
                    )
                )
            history_rows.append(
                (
                    case_id,
                    previous,
                    step.value,
                    "sistema:registro-en-linea" if previous is None else "demo:funcionario",
                    None,
                    moment,
                )
            )
            previous = step.value
            # never after the data set's "now": late steps squeezed into the last hours
            moment = min(
                moment + timedelta(days=rnd.randrange(3, 90)),
                max(moment + timedelta(hours=1), now - timedelta(hours=len(path))),
            )
        needs_start = len(need_rows)
        if rnd.random() < 0.25:
            # Needs of the principal (an adult); children's needs on a child, if there is one.
            adult_codes = [c for c, _ in NEED_WEIGHTS if c not in CHILD_CODES]
            for code in rnd.sample(adult_codes, k=rnd.choice([1, 1, 2])):
                need_rows.append((case_id, members[0][0], code))
            children = [pid for pid, rel in members if rel == "child"]
            if children and rnd.random() < 0.3:
                need_rows.append((case_id, rnd.choice(children), rnd.choice(["CR-LW", "SC"])))
        if status in (CaseStatus.APPOINTMENT_SCHEDULED, CaseStatus.REGISTERED):
            remote = rnd.random() < 0.3
            start = now + timedelta(days=rnd.randrange(1, 40), hours=rnd.randrange(0, 8))
            appointment_rows.append(
                (
                    case_id,
                    office_id,
                    start.replace(minute=0, second=0, microsecond=0),
                    "remote" if remote else "in_person",
                    "registration_interview"
                    if status is CaseStatus.APPOINTMENT_SCHEDULED
                    else "card_pickup",
                    "booked",
                    f"https://meet.cepr.gob.pe/cita-{number}" if remote else None,
                )
            )
        priority = None
        if status in PENDING_STATUSES:
            categories = {need_categories[row[2]] for row in need_rows[needs_start:]}
            priority, reasons = score(rules, categories, nationality, filing, today)
            priority_rows.append(
                (
                    case_id,
                    priority,
                    rules["version"],
                    json.dumps(
                        [
                            {
                                "rule": r.rule,
                                "points": float(r.points),
                                "explanation": r.explanation,
                            }
                            for r in reasons
                        ]
                    ),
                    now,
                )
            )
        case_rows.append((case_id, number, office_id, status.value, filing, assigned, priority))
        summary.statuses[status.value] = summary.statuses.get(status.value, 0) + 1
        if len(summary.sample_case_numbers) < 50:
            summary.sample_case_numbers.append(number)

    respect_profiles(case_rows, assignment_rows, need_rows, need_categories, officers)
    copy_rows(
        conn,
        "person",
        [
            "id",
            "given_names",
            "paternal_surname",
            "maternal_surname",
            "sex",
            "birth_date",
            "country_of_birth",
            "nationality",
            "entry_date",
            "department",
            "province",
            "district",
            "street",
            "phone",
            "email",
            "education_level",
            "profession",
            "languages",
        ],
        person_rows,
    )
    copy_rows(
        conn,
        "identity_document",
        ["person_id", "doc_type", "number", "issuing_country"],
        document_rows,
    )
    copy_rows(
        conn,
        "case_file",
        [
            "id",
            "number",
            "office_id",
            "status",
            "filing_date",
            "assigned_officer_id",
            "priority_score",
        ],
        case_rows,
    )
    write_priorities(conn, rules, priority_rows, assignment_rows)
    copy_rows(conn, "case_member", ["case_id", "person_id", "relationship"], member_rows)
    copy_rows(conn, "case_need", ["case_id", "person_id", "code"], need_rows)
    copy_rows(
        conn,
        "status_change",
        ["case_id", "from_status", "to_status", "actor", "reason", "at"],
        history_rows,
    )
    copy_rows(
        conn,
        "appointment",
        ["case_id", "office_id", "starts_at", "mode", "purpose", "status", "video_link"],
        appointment_rows,
    )
    copy_rows(
        conn,
        "health_profile",
        [
            "person_id",
            "profession",
            "specialty",
            "degree",
            "degree_country",
            "recognition_status",
            "licence_number",
            "years_experience",
        ],
        health_rows,
    )
    copy_rows(conn, "consent", ["person_id", "purpose", "granted_at", "withdrawn_at"], consent_rows)
    for table in (
        "person",
        "case_file",
        "officer",
        "identity_document",
        "case_need",
        "status_change",
        "appointment",
        "consent",
        "case_assignment",
    ):
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
    conn.execute("SELECT setval('case_number_seq', %s)", (number,))
    if client_secret_hashes:
        for agency, secret_hash in client_secret_hashes.items():
            role, purpose = {
                "migraciones": ("migraciones", "deportation-protection"),
                "minsa": ("minsa", "health-workforce"),
                "acnur": ("acnur", "protection-assistance"),
            }[agency]
            conn.execute(
                "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes,"
                " description) VALUES (%s, %s, %s, %s, %s, 'cliente de demostración')",
                (f"demo-{agency}", secret_hash, agency, [role], [purpose]),
            )
            summary.agency_clients[agency] = f"demo-{agency}"
    copy_rows(
        conn,
        "appointment_slot",
        ["office_id", "starts_at", "minutes", "mode", "purpose", "capacity", "booked"],
        demo_slots(sorted(office_ids.values()), datetime.now(UTC)),
    )
    if password_hash:
        first_persons = [r[0] for r in person_rows[:5]]
        applicants = list(dict.fromkeys([*open_principals.values(), *first_persons]))
        for pid in applicants:
            login = f"solicitante{pid}@demo.pe"
            conn.execute(
                "INSERT INTO applicant_account (person_id, login, password_hash, activated_at)"
                " VALUES (%s, %s, %s, now())",
                (pid, login, password_hash),
            )
            summary.applicant_logins.append(login)
    summary.assessed_cases = assess_demo_cases(conn, now)
    summary.persons = len(person_rows)
    summary.cases = len(case_rows)
    summary.health_professionals = len(health_rows)
    summary.appointments = len(appointment_rows)
    return summary


@dataclass(frozen=True)
class SampleKeys:
    """Keys a benchmark or a test can look up: case numbers and (type, number, country)."""

    case_numbers: list[int]
    documents: list[tuple[str, str, str]]


def sample_keys(conn: Connection[Any], count: int = 50, seed: int = 0) -> SampleKeys:
    """``count`` case numbers and identity documents taken from the database, repeatably
    (the same data and seed give the same sample), spread over the whole set."""
    conn.execute("SELECT setseed(%s)", (((seed % 1000) / 1000.0),))
    numbers = [
        r[0]
        for r in conn.execute(
            "SELECT number FROM (SELECT number FROM case_file ORDER BY random() LIMIT %s) s"
            " ORDER BY number",
            (count,),
        )
    ]
    documents = [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT doc_type, number, issuing_country FROM"
            " (SELECT * FROM identity_document ORDER BY random() LIMIT %s) s ORDER BY id",
            (count,),
        )
    ]
    return SampleKeys(numbers, documents)
