"""A generated population for testing and measuring releases: ``persons`` persons in
families of one to four, written straight into ``person``, ``case_file`` and
``case_member`` by PostgreSQL (seeded, so the same call gives the same rows).

The mix is skewed like the commission's: mostly Venezuelan, mostly in Lima, a long tail
of rare nationalities and departments, so the tables have many small cells.
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

_NATIONALITIES = ["VE"] * 70 + ["CO"] * 10 + ["CU"] * 5 + ["HT"] * 4 + ["EC"] * 3 + [
    "SV", "HN", "NI", "AF", "SY", "CM", "CD", "BO", "AR", "RU", "UA", "YE", "ER",
]  # fmt: skip
_DEPARTMENTS = ["LIMA"] * 55 + ["Callao"] * 8 + ["AREQUIPA"] * 6 + ["La Libertad"] * 5 + [
    "PIURA", "PIURA", "TUMBES", "TUMBES", "Cusco", "LAMBAYEQUE", "Tacna", "Ica", "Junín",
    "Áncash", "Loreto", "Puno", "Ucayali", "San Martín", "Cajamarca", "Moquegua", "Pasco",
    "Amazonas", "Apurímac", "Ayacucho", "Huancavelica", "Huánuco", "Madre de Dios",
]  # fmt: skip
_STATUSES = (
    ["pre_registered"] * 8 + ["appointment_scheduled"] * 8 + ["registered"] * 18
    + ["under_review"] * 30 + ["recognised"] * 8 + ["rejected"] * 8 + ["appeal"] * 4
    + ["rejected_final"] * 6 + ["withdrawn"] * 4 + ["closed"] * 4 + ["abandoned"] * 2
)  # fmt: skip
_EDUCATION = ["none", "primary", "secondary", "secondary", "technical", "university",
              "university", "postgraduate", None]  # fmt: skip


async def generate_population(
    conn: AsyncConnection[Any], persons: int, seed: float = 0.19, first_id: int = 50_000_000
) -> None:
    """Write ``persons`` persons (ids from ``first_id``) and their cases."""
    params = {
        "n": persons,
        "first": first_id,
        "seed": seed,
        "nat": _NATIONALITIES,
        "dep": _DEPARTMENTS,
        "st": _STATUSES,
        "edu": _EDUCATION,
    }
    async with conn.transaction():  # the generator's temporary tables live until commit
        await conn.execute("SELECT setseed(%(seed)s)", params)
        await conn.execute(
            """
            CREATE TEMP TABLE gen_case ON COMMIT DROP AS
            SELECT %(first)s + g AS id, random() AS r1, random() AS r2, random() AS r3,
                   1 + floor(random() * 4)::int AS size
            FROM generate_series(0, %(n)s / 2) g""",
            params,
        )
        await conn.execute(
            """
            CREATE TEMP TABLE gen_person ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY c.id, k) + %(first)s AS id, c.id AS case_id, k,
                   c.r1, c.r2, c.r3
            FROM gen_case c, generate_series(1, c.size) k""",
            params,
        )
        await conn.execute("DELETE FROM gen_person WHERE id >= %(first)s + %(n)s + 1", params)
        await conn.execute(
            "DELETE FROM gen_case c WHERE NOT EXISTS "
            "(SELECT 1 FROM gen_person p WHERE p.case_id = c.id)"
        )
        await conn.execute(
            """
            INSERT INTO case_file (id, office_id, status, filing_date)
            SELECT c.id, (SELECT min(id) FROM office),
                   (%(st)s::text[])[1 + floor(c.r2 * cardinality(%(st)s::text[]))::int],
                   date '2015-01-01' + floor(power(c.r3, 0.6) * 4200)::int
            FROM gen_case c""",
            params,
        )
        await conn.execute(
            """
            INSERT INTO person (id, given_names, paternal_surname, sex, birth_date, nationality,
                                department, education_level)
            SELECT p.id, 'Persona', 'Generada',
                   (ARRAY['F', 'M', 'F', 'M', 'F', 'M', 'F', 'M', 'F', 'X'])
                     [1 + floor(random() * 10)::int],
                   date '2026-01-01' - (CASE WHEN p.k > 2 THEN floor(random() * 6500)
                                        ELSE 6600 + floor(random() * 20000) END)::int,
                   CASE WHEN random() < 0.9
                        THEN (%(nat)s::text[])[1 + floor(p.r1 * cardinality(%(nat)s::text[]))::int]
                        ELSE (%(nat)s::text[])
                             [1 + floor(random() * cardinality(%(nat)s::text[]))::int]
                   END,
                   (%(dep)s::text[])
                     [1 + floor(power(random(), 1.3) * cardinality(%(dep)s::text[]))::int],
                   (%(edu)s::text[])[1 + floor(random() * cardinality(%(edu)s::text[]))::int]
            FROM gen_person p""",
            params,
        )
        await conn.execute(
            """
            INSERT INTO case_member (case_id, person_id, relationship)
            SELECT case_id, id, CASE WHEN k = 1 THEN 'principal' WHEN k = 2 THEN 'spouse'
                                     ELSE 'child' END
            FROM gen_person""",
        )
    await conn.execute("ANALYZE person; ANALYZE case_file; ANALYZE case_member")
