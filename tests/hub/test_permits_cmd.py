"""``qhub permits issue``: one case to a file, the batch forms (--cases FILE, --all-eligible),
then ``qhub verify`` of what was written, offline."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from hub.cli import app
from hub.migrations import upgrade
from hub.settings import get_settings
from tests.conftest import create_database, drop_database
from tests.factories import MadeCase, make_cases


@pytest.fixture()
def cli_db(server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = create_database(server_url, "qhub_cli_permits")
    upgrade(url)
    monkeypatch.setenv("QHUB_DATABASE_URL", url)
    monkeypatch.setenv("QHUB_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    drop_database(server_url, url)


async def cases(url: str) -> tuple[list[MadeCase], list[MadeCase]]:
    engine = create_async_engine(url)
    made = await make_cases(engine, 4, status="under_review")
    rejected = await make_cases(engine, 1, status="rejected_final")
    await engine.dispose()
    return made, rejected


def test_issue_one_then_batch_then_verify(cli_db: str, tmp_path: Path) -> None:
    made, rejected = asyncio.run(cases(cli_db))
    runner = CliRunner()

    one = tmp_path / "uno.pdf"
    result = runner.invoke(
        app, ["permits", "issue", "--case", str(made[0].number), "--out", str(one)]
    )
    assert result.exit_code == 0, result.output
    assert one.read_bytes().startswith(b"%PDF")

    listing = tmp_path / "expedientes.txt"
    listing.write_text(f"{made[1].number}\n{rejected[0].number}\n")
    batch = tmp_path / "lote"
    result = runner.invoke(app, ["permits", "issue", "--cases", str(listing), "--out", str(batch)])
    assert result.exit_code == 1  # the rejected case is refused, the other is issued
    assert "NOT_ELIGIBLE_FOR_PERMIT" in result.output
    assert sorted(p.name for p in batch.iterdir()) == [f"autorizacion-{made[1].number}.pdf"]

    rest = tmp_path / "resto"
    result = runner.invoke(app, ["permits", "issue", "--all-eligible", "--out", str(rest)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in rest.iterdir()}
    assert {f"autorizacion-{c.number}.pdf" for c in made[2:]} <= names
    assert f"autorizacion-{made[0].number}.pdf" not in names  # already holds a valid permit

    checked = runner.invoke(app, ["verify", str(one)])
    assert checked.exit_code == 0, checked.output
    assert "VALID" in checked.output
