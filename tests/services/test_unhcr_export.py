"""UNHCR's export: specific needs in UNHCR's codes, one row per need, pseudonymous
persons, filtered, no claim data; refused to roles without nationwide needs access."""

from __future__ import annotations

import csv
import io

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.principal import Principal
from hub.readpool import libpq_url
from models.vocab import Agency, Role
from services.case_list import CaseFilter
from services.errors import Forbidden
from services.pseudonyms import Pseudonymizer
from services.unhcr_view import COLUMNS, needs_export
from tests.factories import make_cases

ACNUR = Principal(role=Role.ACNUR, agency=Agency.ACNUR, subject="acnur-test")
MINSA = Principal(role=Role.MINSA, agency=Agency.MINSA, subject="minsa-test")


async def test_needs_are_exported_in_unhcr_codes_under_unhcr_pseudonyms(
    engine: AsyncEngine,
    database_url: str,
) -> None:
    # Given two cases in PEM with needs and one in LIM
    pem = await make_cases(engine, 2, office_code="PEM", needs=("SP-PT", "SM-CI"))
    await make_cases(engine, 1, office_code="LIM", needs=("UM",))
    hub = Pseudonymizer(b"k" * 32)
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        # When UNHCR exports the PEM cases
        export = await needs_export(
            conn, ACNUR, CaseFilter(office_codes=("PEM",)), lambda i: hub.pseudonym("acnur", i)
        )
    text = export.csv
    mine = {str(c.number) for c in pem}
    assert tuple(next(csv.reader(io.StringIO(text)))) == COLUMNS
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["case_number"] in mine]
    assert all(r["office"] == "PEM" for r in csv.DictReader(io.StringIO(text)))
    # Then one row per need, with the UNHCR category and code, and the family size
    assert sorted((r["case_number"], r["need_code"]) for r in rows) == sorted(
        (str(c.number), code) for c in pem for code in ("SM-CI", "SP-PT")
    )
    assert {r["need_category"] for r in rows} == {"SP", "SM"}
    assert {r["household_size"] for r in rows} == {"3"}
    assert {r["relationship"] for r in rows} == {"principal"}
    # and the export names whose data it holds (for the access log), once each
    assert set(export.person_ids) >= {c.person_ids[0] for c in pem}
    assert len(set(export.person_ids)) == len(export.person_ids)
    assert export.row_count == len(list(csv.DictReader(io.StringIO(text))))
    # persons appear only under UNHCR's pseudonym, which the hub can turn back
    for row, case in zip(sorted(rows, key=lambda r: r["case_number"])[::2], pem, strict=True):
        assert hub.person_id("acnur", row["person"]) == case.person_ids[0]
        assert str(case.person_ids[0]) != row["person"]


async def test_filters_by_need_code_and_refuses_other_agencies(
    engine: AsyncEngine, database_url: str
) -> None:
    made = await make_cases(engine, 1, office_code="TBP", needs=("DS-PM",))
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        text = (await needs_export(conn, ACNUR, CaseFilter(need_codes=("DS-PM",)), str)).csv
        with pytest.raises(Forbidden):
            await needs_export(conn, MINSA, CaseFilter(), str)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["need_code"] for r in rows} == {"DS-PM"}
    assert str(made[0].number) in {r["case_number"] for r in rows}
