"""Linkage never merges two members of one family automatically, and its vetoes fire on
real contradictions only (not on a typo, a joined or split compound name, a dropped second
name). Records are scored by Splink and clustered as an import does."""

from __future__ import annotations

from datetime import date

from services.importing.clustering import FAMILY, PARENT_CHILD, cluster, contradiction
from services.importing.linkage import LinkRecord, compared, features, score_pairs


def rec(
    uid: str,
    given: str,
    paternal: str = "Pérez",
    maternal: str | None = "Díaz",
    birth: date | None = None,
    case: int | None = 300001,
    sex: str | None = None,
    doc: str | None = None,
    source: str = "a.xlsx|R",
) -> LinkRecord:
    return LinkRecord(
        uid=uid,
        given=given,
        paternal=paternal,
        maternal=maternal,
        birth_date=birth,
        case_number=case,
        sex=sex,
        doc_number=doc,
        nationality="VE",
        source=source,
    )


def together(records: list[LinkRecord]) -> tuple[set[frozenset[str]], dict[frozenset[str], str]]:
    """The groups (of more than one record) and the reason of each queued pair."""
    result = cluster(records, score_pairs(records))
    groups = {frozenset(c) for c in result.clusters if len(c) > 1}
    return groups, {frozenset((p.a, p.b)): p.reason or "" for p in result.queued}


def test_a_father_and_his_son_of_the_same_name_are_never_merged() -> None:
    # given: father and son named alike in one case, and a row of the same name, no birth date
    father = rec("f1", "José Luis", birth=date(1970, 3, 12), sex="M", source="a|R")
    father2 = rec("f2", "José Luis", birth=date(1970, 3, 12), sex="M", source="b|R")
    son = rec("s1", "José Luis", birth=date(1995, 3, 12), sex="M", source="c|R")
    son2 = rec("s2", "José Luis", birth=date(1995, 3, 12), sex="M", source="d|R")
    unknown = rec("u", "José Luis", sex="M", source="e|R")
    # when
    groups, queued = together([father, father2, son, son2, unknown])
    # then: each with his own rows; the row without a birth date waits for an officer
    assert groups == {frozenset({"f1", "f2"}), frozenset({"s1", "s2"})}
    assert contradiction(father, son) == PARENT_CHILD
    reasons = {queued[k] for k in queued if "u" in k}
    assert reasons == {"la fila se parece también a otra persona incompatible"}


def test_two_women_of_one_case_with_names_apart_are_not_merged() -> None:
    # given: sisters (names one edit apart, no birth dates) and two sisters with different
    # second names
    a = rec("a", "María", sex="F", source="a|R")
    b = rec("b", "Marta", sex="F", source="b|R")
    c = rec("c", "Ana Karina", birth=date(1990, 1, 2), sex="F", source="a|R")
    d = rec("d", "Ana Lucía", birth=date(1990, 1, 2), sex="F", source="b|R")
    mario = rec("m", "Mario", sex="M", source="b|R")
    # when
    groups, queued = together([a, b, c, d, mario])
    # then: nobody merged; the reasons say why
    assert groups == set()
    assert contradiction(a, b) == FAMILY
    assert contradiction(a, mario) == FAMILY
    assert contradiction(c, d) == "segundos nombres distintos"
    assert all(r for r in queued.values())


def test_typos_joined_names_and_dropped_names_are_not_contradictions() -> None:
    base = rec("x", "María José", birth=date(1988, 5, 4), sex="F", case=None)
    for other in (
        "Mraía José",  # two letters swapped
        "Mariia José",  # a letter doubled
        "Mara José",  # a letter dropped
        "Mariajosé",  # compound joined
        "María",  # second name dropped
    ):
        assert contradiction(base, rec("y", other, birth=date(1988, 5, 4), case=None)) is None
    # and a swapped day/month or a one-digit slip in the birth date is not one either
    assert contradiction(base, rec("y", "María José", birth=date(1988, 4, 5), case=None)) is None
    assert contradiction(base, rec("y", "María José", birth=date(1989, 5, 4), case=None)) is None
    # a real contradiction is
    assert contradiction(base, rec("y", "Carmen", birth=date(1988, 5, 4), case=None)) == (
        "nombres de pila distintos"
    )
    assert contradiction(base, rec("y", "María José", birth=date(1986, 9, 30), case=None)) == (
        "fechas de nacimiento distintas"
    )


def test_one_person_written_with_typos_across_sheets_is_merged() -> None:
    rows = [
        rec("r1", "María José", birth=date(1988, 5, 4), sex="F", doc="12345678", source="a|R"),
        rec("r2", "Mariajosé", birth=date(1988, 5, 4), sex="F", doc="12345678", source="b|R"),
        rec("r3", "María", birth=date(1988, 4, 5), sex="F", doc="12345678", source="c|R"),
        rec("r4", "Mraía José", birth=date(1988, 5, 4), maternal=None, source="d|R"),
    ]
    groups, _ = together(rows)
    assert groups == {frozenset({"r1", "r2", "r3", "r4"})}


def test_blocking_compares_typo_variants() -> None:
    # a typo in the first name and no case or document: still compared (birth date and
    # maternal surname, or surnames and initial)
    a = features(rec("a", "Yelitza", birth=date(1990, 2, 3), case=None))
    b = features(rec("b", "Yeltiza", birth=date(1990, 2, 3), case=None))
    c = features(rec("c", "Yelitza", paternal="Pérz", birth=date(1991, 2, 3), case=None))
    assert compared(a, b) and compared(a, c)
    assert not compared(a, features(rec("d", "Carmen", "Rojas", "Suárez", date(1950, 1, 1), None)))
