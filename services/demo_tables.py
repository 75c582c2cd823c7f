"""Writing the demo's generated rows: each table's columns (the order of its row tuples),
COPY in an order the foreign keys accept, the sequences moved past the written ids, and
the demo's accounts (agency clients, applicant logins)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from psycopg import Connection

from services.demo_casework import copy_rows

# The columns of each table's generated rows, in their tuples' order (space-separated).
COLUMNS: dict[str, str] = {
    "officer": "id username full_name role office_id profiles capacity available password_hash",
    "person": (
        "id given_names paternal_surname maternal_surname sex birth_date country_of_birth "
        "nationality entry_date department province district street phone email "
        "education_level profession languages"
    ),
    "identity_document": "person_id doc_type number issuing_country",
    "case_file": "id number office_id status filing_date assigned_officer_id priority_score",
    "case_member": "case_id person_id relationship",
    "case_need": "case_id person_id code",
    "status_change": "case_id from_status to_status actor reason at",
    "appointment": "case_id office_id starts_at mode purpose status video_link",
    "health_profile": (
        "person_id profession specialty degree degree_country recognition_status "
        "licence_number years_experience"
    ),
    "consent": "person_id purpose granted_at withdrawn_at",
    "appointment_slot": "office_id starts_at minutes mode purpose capacity booked",
}

# Tables whose ids the demo writes itself: their sequences continue after them.
_WRITTEN_IDS = (
    "person",
    "case_file",
    "officer",
    "identity_document",
    "case_need",
    "status_change",
    "appointment",
    "consent",
    "case_assignment",
)

# agency -> (role, purpose) of its demo client
_AGENCY_CLIENTS = {
    "migraciones": ("migraciones", "deportation-protection"),
    "minsa": ("minsa", "health-workforce"),
    "acnur": ("acnur", "protection-assistance"),
}


def write_tables(conn: Connection[Any], tables: Mapping[str, Iterable[Sequence[Any]]]) -> None:
    """COPY each table's rows, in the mapping's order (parents first)."""
    for table, rows in tables.items():
        copy_rows(conn, table, COLUMNS[table].split(), rows)


def continue_sequences(conn: Connection[Any], last_case_number: int) -> None:
    """Move the id sequences past the ids written, and case numbers past the last one."""
    for table in _WRITTEN_IDS:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
    conn.execute("SELECT setval('case_number_seq', %s)", (last_case_number,))


def write_agency_clients(conn: Connection[Any], secret_hashes: Mapping[str, str]) -> dict[str, str]:
    """A demo client per agency (agency -> hash of its secret); returns agency -> client id."""
    clients = {}
    for agency, secret_hash in secret_hashes.items():
        role, purpose = _AGENCY_CLIENTS[agency]
        conn.execute(
            "INSERT INTO agency_client (client_id, secret_hash, agency, roles, purposes,"
            " description) VALUES (%s, %s, %s, %s, %s, 'cliente de demostración')",
            (f"demo-{agency}", secret_hash, agency, [role], [purpose]),
        )
        clients[agency] = f"demo-{agency}"
    return clients


def write_applicant_accounts(
    conn: Connection[Any], person_ids: Iterable[int], password_hash: str
) -> list[str]:
    """An activated self-service account for each person; returns their logins."""
    logins = []
    for person_id in person_ids:
        login = f"solicitante{person_id}@demo.pe"
        conn.execute(
            "INSERT INTO applicant_account (person_id, login, password_hash, activated_at)"
            " VALUES (%s, %s, %s, now())",
            (person_id, login, password_hash),
        )
        logins.append(login)
    return logins
