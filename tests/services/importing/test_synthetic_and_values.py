"""The fixture generator (deterministic, many layouts, encodings and title rows, truth for
every row) and the normalisers of the new value rules: places to ubigeo, documents written
with their type, relationships."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.importing import normalise as n
from services.importing.reading import HeaderScorer, read_file
from services.importing.synthetic import generate


def test_generator_is_deterministic_and_varied(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", seed=3, cases=120, files=10)
    two = generate(tmp_path / "b", seed=3, cases=120, files=10)
    assert [p.read_bytes() for p in one.files if p.suffix == ".csv"] == [
        p.read_bytes() for p in two.files if p.suffix == ".csv"
    ]
    assert one.truth == two.truth
    assert {p.suffix for p in one.files} == {".csv", ".xlsx"}
    # families: every case has a principal; some have relatives
    sizes = [len(ids) for ids in one.population.families.values()]
    assert min(sizes) == 1 and max(sizes) >= 3
    rels = {p.relationship for p in one.population.persons}
    assert rels == {"principal", "spouse", "child", "parent"}
    # the truth file is what the benchmark reads
    one.write_truth(tmp_path / "truth.csv")
    with (tmp_path / "truth.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(one.truth)


def test_generated_text_files_use_several_encodings_and_delimiters(tmp_path: Path) -> None:
    s = generate(tmp_path, seed=11, cases=200, files=24)
    scorer = HeaderScorer(lambda h: n.key(h) != "")
    found = [read_file(p, scorer)[0] for p in s.files if p.suffix == ".csv"]
    assert len({t.encoding for t in found}) >= 3
    assert len({t.delimiter for t in found}) >= 3
    assert any(t.header_row > 1 for t in found)  # title rows above the header


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LIMA-LIMA-SAN JUAN DE LURIGANCHO", ("150132", "Lima", "Lima", "San Juan de Lurigancho")),
        ("Lima / Lima / SJL", ("150132", "Lima", "Lima", "San Juan de Lurigancho")),
        ("SAN JUAN DE LURIGANCHO, LIMA", ("150132", "Lima", "Lima", "San Juan de Lurigancho")),
        ("AREQUIPA - AREQUIPA - MIRAFLORES", ("040110", "Arequipa", "Arequipa", "Miraflores")),
        ("LIMA-LIMA-MIRAFLORES", ("150122", "Lima", "Lima", "Miraflores")),
        ("Tumbes | Zarumilla | Aguas Verdes", ("240302", "Tumbes", "Zarumilla", "Aguas Verdes")),
        ("Lima - Lima", ("1501", "Lima", "Lima", None)),
        ("UCAYALI", ("25", "Ucayali", None, None)),
    ],
)
def test_places_match_ubigeo(raw: str, expected: tuple[str, ...]) -> None:
    found = n.place(raw)
    assert found is not None
    assert (found.ubigeo, found.department, found.province, found.district) == expected


def test_every_department_is_in_the_reference() -> None:
    deps = [n.place(d) for d in ("Amazonas", "Áncash", "Madre de Dios", "San Martín", "Callao")]
    assert [d.ubigeo if d else None for d in deps] == ["01", "02", "17", "22", "07"]
    assert n.place("Springfield") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CI 1234567", ("national_id", "1234567")),
        ("C.I. V-12.345.678", ("national_id", "12345678")),
        ("CÉDULA 12345678", ("national_id", "12345678")),
        ("DNI 45678912", ("national_id", "45678912")),
        ("PAS AB123456", ("passport", "AB123456")),
        ("PASAPORTE N° AB123456", ("passport", "AB123456")),
        ("CE 001234567", ("other", "001234567")),
        ("CARNE DE EXTRANJERIA 000123456", ("other", "000123456")),
        ("CE123456", ("passport", "CE123456")),  # no separator: a passport number
    ],
)
def test_documents_written_with_their_type(raw: str, expected: tuple[str, str]) -> None:
    assert n.document(raw, None, "VE") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hijo/a", "child"),
        ("ESPOSA/O", "spouse"),
        ("Conviviente", "spouse"),
        ("Madre/Padre", "parent"),
        ("Solicitante principal", "principal"),
        ("Hermanos", "sibling"),
        ("Sobrino", "other"),
    ],
)
def test_relationships_to_the_principal(raw: str, expected: str) -> None:
    assert n.relationship(raw) == expected
