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


def agency_person_id(agency: str, person_id: int) -> str:
    """The pseudonymous id an agency sees for a person (what its answers carry)."""
    from hub.settings import load_settings
    from services.pseudonyms import Pseudonymizer

    if agency not in ("migraciones", "minsa", "acnur"):
        return str(person_id)
    keys = load_settings().keys_dir / "pseudonym.key"
    return Pseudonymizer.from_file(keys).pseudonym(agency, person_id)
