"""``qhub serve --demo``: load the demo data set into an empty database and say how to use it."""

from __future__ import annotations

import time

import psycopg
from rich.console import Console
from rich.table import Table

from auth.oauth import hash_secret
from hub.readpool import libpq_url
from hub.settings import Settings
from services.demo_data import DEMO_PASSWORD, generate_demo, has_data

DEMO_CLIENT_SECRET = "demo-secreto-{agency}"


def ensure_demo_data(url: str, settings: Settings, console: Console, persons: int = 5000) -> None:
    """Load the demo data if the database has no persons; print what was loaded."""
    with psycopg.connect(libpq_url(url)) as conn:
        if has_data(conn):
            console.print("La base ya tiene datos: no se cargan datos de demostración.")
            return
        started = time.perf_counter()
        console.print(f"Cargando datos de demostración ({persons} personas)…")
        password_hash = hash_secret(DEMO_PASSWORD)
        secrets = {
            agency: hash_secret(DEMO_CLIENT_SECRET.format(agency=agency))
            for agency in ("migraciones", "minsa", "acnur")
        }
        with conn.transaction():
            summary = generate_demo(
                conn, persons=persons, password_hash=password_hash, client_secret_hashes=secrets
            )
        # Statistics now, not when autovacuum gets to it: with none, the planner scans
        # whole tables per row (a person's cases took 20 ms for 100 persons instead of 1.5).
        conn.execute("ANALYZE")
    table = Table(title=f"Datos de demostración ({time.perf_counter() - started:.1f} s)")
    table.add_column("qué")
    table.add_column("cuántos", justify="right")
    for label, value in [
        ("personas", summary.persons),
        ("expedientes", summary.cases),
        ("funcionarios", summary.officers),
        ("profesionales de salud", summary.health_professionals),
        ("citas", summary.appointments),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    console.print(
        f"Funcionarios (contraseña [cyan]{DEMO_PASSWORD}[/cyan]): "
        + ", ".join(summary.officers_by_office.get("LIM", [])[:4])
        + " … (usuario = rol.oficina, p. ej. sup1.lim, reg1.aqp)"
    )
    console.print(
        "Clientes de otras entidades (client_credentials): "
        + ", ".join(
            f"{cid} / {DEMO_CLIENT_SECRET.format(agency=agency)}"
            for agency, cid in summary.agency_clients.items()
        )
    )
    console.print(f"Solicitantes (autoservicio): {summary.applicant_logins[0]} / {DEMO_PASSWORD}")
    console.print(f"Expedientes de ejemplo: {', '.join(map(str, summary.sample_case_numbers[:5]))}")
