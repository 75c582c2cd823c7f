"""Synthetic population for the import tests and benchmark: families sharing a case, with
the truth of every person, and the noise legacy sheets put on names, dates and documents.

Nothing here reads outside the repository; the same seed gives the same population.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.reference_data import read_csv

FEMALE = (
    "María", "Ana", "Luz", "Carmen", "Rosa", "Yolanda", "Daniela", "Andrea", "Gabriela",
    "Valentina", "Camila", "Isabel", "Patricia", "Carolina", "Mariana", "Lucía", "Elena",
    "Adriana", "Yusmary", "Yelitza", "Marisol", "Beatriz", "Sofía", "Victoria", "Natalia",
    "Paola", "Karina", "Josefina", "Milagros", "Fabiola", "Génesis", "Dayana", "Marbelis",
)  # fmt: skip
MALE = (
    "José", "Luis", "Carlos", "Juan", "Jesús", "Miguel", "Pedro", "Andrés", "Rafael",
    "Alejandro", "Daniel", "Manuel", "Ricardo", "Eduardo", "Francisco", "Jorge", "Víctor",
    "Óscar", "Gustavo", "Héctor", "Wilmer", "Yonathan", "Deiby", "Richard", "Ramón",
    "Alberto", "Antonio", "Enrique", "Fernando", "Gregorio", "Nelson", "Orlando",
)  # fmt: skip
# compound first names a sheet may write joined ("Mariajosé") or split
COMPOUND_F = (
    "María José",
    "Ana Karina",
    "Luz Marina",
    "María Fernanda",
    "Ana Lucía",
    "Mari Carmen",
)
COMPOUND_M = (
    "Juan Carlos",
    "José Luis",
    "Luis Miguel",
    "Juan Pablo",
    "José Gregorio",
    "Jean Carlos",
)
SURNAMES = (
    "González", "Rodríguez", "Pérez", "Hernández", "García", "Martínez", "López", "Sánchez",
    "Ramírez", "Díaz", "Torres", "Rojas", "Moreno", "Álvarez", "Romero", "Suárez", "Medina",
    "Castillo", "Mendoza", "Gutiérrez", "Marcano", "Briceño", "Quintero", "Villalobos",
    "Urdaneta", "Chacón", "Colmenares", "Zambrano", "Guerrero", "Escalona", "Parra",
    "Salazar", "Figueroa", "Carrillo", "Rivas", "Bermúdez", "Montilla", "Peña", "Linares",
    "Aguilar", "Ochoa", "Ramos", "Vargas", "Silva", "Acosta", "Bolívar", "Contreras",
    "de la Cruz", "del Valle", "Uzcátegui", "Yépez", "Camacho", "Lugo", "Pacheco", "Osorio",
)  # fmt: skip
STREETS = ("Av. Los Olivos", "Jr. Huallaga", "Calle Las Flores", "Av. Próceres", "Mz. B Lt. 7")
# (nationality, weight); country of birth differs for some (born in Colombia, Venezuelan)
NATIONALITIES = (("VE", 80), ("CO", 10), ("CU", 4), ("HT", 3), ("EC", 3))


@dataclass
class PersonTruth:
    id: str
    case_number: int
    relationship: str  # principal, spouse, child, parent
    given: str
    paternal: str
    maternal: str | None
    sex: str
    birth_date: date
    nationality: str
    country_of_birth: str
    doc_type: str | None  # national_id, passport, other
    doc_number: str | None
    entry_date: date
    filing_date: date
    ubigeo: str
    department: str
    province: str
    district: str
    street: str
    phone: str | None


@dataclass
class Population:
    persons: list[PersonTruth] = field(default_factory=list)
    families: dict[int, list[str]] = field(default_factory=dict)

    def by_id(self) -> dict[str, PersonTruth]:
        return {p.id: p for p in self.persons}


def _districts() -> list[tuple[str, str, str, str]]:
    return [
        (r["ubigeo"] or "", r["department"] or "", r["province"] or "", r["district"] or "")
        for r in read_csv("ubigeo.csv")
        if r["district"]
    ]


def _given(rng: random.Random, sex: str, avoid: set[str]) -> str:
    for _ in range(50):
        if rng.random() < 0.25:
            g = rng.choice(COMPOUND_F if sex == "F" else COMPOUND_M)
        elif rng.random() < 0.5:
            pool = FEMALE if sex == "F" else MALE
            a, b = rng.sample(pool, 2)
            g = f"{a} {b}"
        else:
            g = rng.choice(FEMALE if sex == "F" else MALE)
        if g.split()[0] not in avoid:
            return g
    return g


def _doc(rng: random.Random, nationality: str, adult: bool) -> tuple[str | None, str | None]:
    if not adult and rng.random() < 0.7:
        return None, None
    r = rng.random()
    if r < 0.6:
        return "national_id", str(rng.randint(6_000_000, 32_000_000))
    if r < 0.85:
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        return "passport", f"{letters}{rng.randint(100000, 999999)}"
    return "other", f"{rng.randint(1, 9):03d}{rng.randint(100000, 999999)}"


def population(rng: random.Random, cases: int, first_case: int = 200001) -> Population:
    """``cases`` families: a principal alone, with a spouse, children or an elderly parent.
    Relatives share surnames, a case, an address; twins and a son named like his father
    are there on purpose (the hard cases for linkage)."""
    pop = Population()
    places = _districts()
    nat_codes = [c for c, _ in NATIONALITIES]
    nat_weights = [w for _, w in NATIONALITIES]
    for c in range(cases):
        number = first_case + c
        nat = rng.choices(nat_codes, nat_weights)[0]
        ubigeo, dep, prov, dist = rng.choice(places)
        street = f"{rng.choice(STREETS)} {rng.randint(100, 2999)}"
        entry = date(2016, 1, 1) + timedelta(days=rng.randint(0, 1800))
        filing = entry + timedelta(days=rng.randint(5, 300))
        pat, mat = rng.sample(SURNAMES, 2)
        psex = rng.choice("FM")
        pbirth = date(1955, 1, 1) + timedelta(days=rng.randint(0, 14000))
        members: list[tuple[str, str, str, str | None, str, date]] = []
        used: set[str] = set()
        g = _given(rng, psex, used)
        used.add(g.split()[0])
        members.append(("principal", g, pat, mat, psex, pbirth))
        kind = rng.random()
        spouse_mat = rng.choice(SURNAMES)
        if kind > 0.35:  # spouse
            ssex = "M" if psex == "F" else "F"
            sp, sm = rng.sample(SURNAMES, 2)
            sbirth = pbirth + timedelta(days=rng.randint(-2500, 2500))
            g = _given(rng, ssex, used)
            used.add(g.split()[0])
            members.append(("spouse", g, sp, sm, ssex, sbirth))
            spouse_mat = sp if psex == "F" else sm
        if kind > 0.5:  # children: the father's surname then the mother's
            father_sur = pat if psex == "M" else members[-1][2]
            mother_sur = pat if psex == "F" else (members[-1][2] if len(members) > 1 else mat)
            if len(members) == 1:
                father_sur, mother_sur = (pat, spouse_mat) if psex == "M" else (spouse_mat, pat)
            first = pbirth + timedelta(days=rng.randint(18 * 365, 30 * 365))
            for k in range(rng.randint(1, 4)):
                csex = rng.choice("FM")
                cbirth = min(first + timedelta(days=k * rng.randint(400, 1500)), date(2022, 1, 1))
                if k == 0 and psex == "M" and csex == "M" and rng.random() < 0.3:
                    g = members[0][1]  # the son named like his father
                else:
                    g = _given(rng, csex, used)
                used.add(g.split()[0])
                members.append(("child", g, father_sur, mother_sur, csex, cbirth))
                if k == 0 and rng.random() < 0.08:  # twins
                    tsex = rng.choice("FM")
                    g = _given(rng, tsex, used)
                    used.add(g.split()[0])
                    members.append(("child", g, father_sur, mother_sur, tsex, cbirth))
        if rng.random() < 0.1:  # an elderly parent of the principal
            parent_sex = rng.choice("FM")
            parent_birth = pbirth - timedelta(days=rng.randint(20 * 365, 35 * 365))
            g = _given(rng, parent_sex, used)
            psur = (pat, rng.choice(SURNAMES)) if parent_sex == "M" else (mat, rng.choice(SURNAMES))
            members.append(("parent", g, psur[0], psur[1], parent_sex, parent_birth))
        ids: list[str] = []
        for i, (rel, given, p1, p2, sex, birth) in enumerate(members):
            pid = f"P{number}-{i}"
            ids.append(pid)
            adult = (date(2020, 1, 1) - birth).days > 18 * 365
            born = nat if rng.random() < 0.85 else rng.choice(["CO", "VE", "PE", "EC"])
            dt, dn = _doc(rng, nat, adult)
            pop.persons.append(
                PersonTruth(
                    id=pid,
                    case_number=number,
                    relationship=rel,
                    given=given,
                    paternal=p1,
                    maternal=p2,
                    sex=sex,
                    birth_date=birth,
                    nationality=nat,
                    country_of_birth=born,
                    doc_type=dt,
                    doc_number=dn,
                    entry_date=entry if rng.random() < 0.85 else entry + timedelta(days=90),
                    filing_date=filing,
                    ubigeo=ubigeo,
                    department=dep,
                    province=prov,
                    district=dist,
                    street=street,
                    phone=f"+519{rng.randint(10_000_000, 99_999_999)}" if adult else None,
                )
            )
        pop.families[number] = ids
    return pop


# ---- noise -------------------------------------------------------------------------------

SIMILAR = {"b": "v", "v": "b", "s": "z", "z": "s", "y": "i", "i": "y", "c": "s", "n": "m"}


def typo(rng: random.Random, word: str) -> str:
    """One edit a clerk makes: two letters swapped, one doubled, one dropped or replaced."""
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(("swap", "double", "drop", "similar"))
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    low = word[i].lower()
    if low in SIMILAR:
        return word[:i] + SIMILAR[low] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def noisy_given(rng: random.Random, given: str, rate: float) -> str:
    parts = given.split()
    r = rng.random()
    if len(parts) == 2 and r < rate * 1.5:
        return parts[0]  # second name dropped
    if len(parts) == 2 and r < rate * 2.5 and " ".join(parts) in COMPOUND_F + COMPOUND_M:
        return parts[0] + parts[1].lower()  # compound joined: Mariajosé
    if rng.random() < rate:
        i = rng.randrange(len(parts))
        parts[i] = typo(rng, parts[i])
    return " ".join(parts)


def noisy_surname(rng: random.Random, surname: str, rate: float) -> str:
    return typo(rng, surname) if rng.random() < rate else surname


def swapped(d: date) -> date:
    """Day and month exchanged (only when both can be a month)."""
    return date(d.year, d.day, d.month) if d.day <= 12 and d.day != d.month else d
