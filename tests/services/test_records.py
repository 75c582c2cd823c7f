"""What records compute from their columns."""

from __future__ import annotations

import dataclasses

import pytest

from auth.policy import RowScope
from services.records import PersonRecord


def person(given: str | None, paternal: str | None, maternal: str | None) -> PersonRecord:
    fields = {f.name: None for f in dataclasses.fields(PersonRecord)}
    fields.update(
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal,
        row_scope=RowScope(),
    )
    return PersonRecord(**fields)


@pytest.mark.parametrize(
    ("given", "paternal", "maternal", "full"),
    [
        ("José Ángel", "Núñez", "Peña", "José Ángel Núñez Peña"),
        ("José Ángel", "Núñez", None, "José Ángel Núñez"),
        ("José Ángel", "Núñez", "", "José Ángel Núñez"),
        ("José Ángel", "", "Peña", "José Ángel Peña"),
        ("", "Núñez", "Peña", "Núñez Peña"),
        (None, None, None, ""),
    ],
)
def test_a_full_name_joins_the_names_there_are_with_single_spaces(
    given: str | None, paternal: str | None, maternal: str | None, full: str
) -> None:
    assert person(given, paternal, maternal).full_name == full
