"""Real tokens for tests, minted by the administrator's command ``qhub token``."""

from __future__ import annotations

from functools import cache

from typer.testing import CliRunner

from hub.cli import app


@cache
def mint(
    role: str,
    *,
    purpose: str | None = None,
    office: str | None = None,
    person: int | None = None,
    officer: int | None = None,
) -> str:
    args = ["token", "--role", role]
    if purpose:
        args += ["--purpose", purpose]
    if office:
        args += ["--office", office]
    if person is not None:
        args += ["--person", str(person)]
    if officer is not None:
        args += ["--officer", str(officer)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]
