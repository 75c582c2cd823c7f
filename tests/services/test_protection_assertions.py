"""Signed protection assertions and per-agency pseudonyms, at the service level (no
database): what an officer attaches to a file verifies later, with any retained key;
anything else is told apart by its code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auth.keys import KeyStore
from auth.policy import RowScope
from services.errors import ValidationFailed
from services.protection import DocumentKey, ProtectionRecord, normalise_document
from services.protection_assertions import sign_assertion, verify_assertion
from services.pseudonyms import Pseudonymizer


def _record() -> ProtectionRecord:
    doc = DocumentKey("national_id", "12345678", "VE")
    return ProtectionRecord(
        doc, True, True, "pending_claim", date(2024, 3, 1), 7, RowScope(person_ids=(7,))
    )


def test_an_assertion_verifies_with_its_key_id_and_time(tmp_path: Path) -> None:
    keys = KeyStore.open(tmp_path / "keys")
    signed = sign_assertion(keys, _record(), "https://hub.example", "migraciones:officer-1")
    check = verify_assertion(keys, signed.token)
    assert (check.valid, check.code) == (True, "VALID")
    assert check.claims is not None
    assert check.claims["protected"] is True
    assert check.claims["basis"] == "pending_claim"
    assert check.claims["since"] == "2024-03-01"
    assert check.claims["document"] == {
        "type": "national_id",
        "number": "12345678",
        "issuingCountry": "VE",
    }
    assert isinstance(check.claims["iat"], int)
    assert signed.key_id == keys.current_kid
    # no claim data, no person id
    assert set(check.claims) == {
        "iss", "iat", "typ", "document", "found", "protected", "basis", "since",
        "heldDocument", "requestedBy",
    }  # fmt: skip


def test_an_assertion_still_verifies_after_key_rotation(tmp_path: Path) -> None:
    keys = KeyStore.open(tmp_path / "keys")
    token = sign_assertion(keys, _record(), "iss", "who").token
    keys.rotate()
    assert verify_assertion(keys, token).valid


def test_tampered_and_foreign_assertions_are_told_apart(tmp_path: Path) -> None:
    keys = KeyStore.open(tmp_path / "keys")
    token = sign_assertion(keys, _record(), "iss", "who").token
    head, payload, sig = token.split(".")
    tampered = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{sig}"
    assert verify_assertion(keys, tampered).code == "INVALID_TOKEN"
    other = KeyStore.open(tmp_path / "other")
    foreign = sign_assertion(other, _record(), "iss", "who").token
    check = verify_assertion(keys, foreign)
    assert (check.valid, check.code) == (False, "UNKNOWN_KEY")


def test_a_hub_token_that_is_not_an_assertion_is_refused(tmp_path: Path) -> None:
    keys = KeyStore.open(tmp_path / "keys")
    with pytest.raises(ValidationFailed) as caught:
        verify_assertion(keys, keys.sign_jws({"typ": "access", "sub": "x"}))
    assert caught.value.problems[0].code == "NOT_AN_ASSERTION"


def test_document_numbers_are_normalised() -> None:
    assert normalise_document("national_id", " v-12.345.678 ", "ve") == DocumentKey(
        "national_id", "12345678", "VE"
    )
    assert normalise_document("passport", "ab 123-456", "co").number == "AB123456"


def test_pseudonyms_are_stable_per_agency_unlinkable_and_reversible_only_by_the_hub(
    tmp_path: Path,
) -> None:
    hub = Pseudonymizer.from_file(tmp_path / "secret")
    again = Pseudonymizer.from_file(tmp_path / "secret")
    ids = range(1, 200)
    minsa = [hub.pseudonym("minsa", i) for i in ids]
    acnur = [hub.pseudonym("acnur", i) for i in ids]
    # stable for one agency (also after reloading the secret)
    assert minsa == [again.pseudonym("minsa", i) for i in ids]
    # different across agencies, and no shared value at all
    assert not set(minsa) & set(acnur)
    # the hub re-links; an agency's identifier does not open under another agency's key
    assert [hub.person_id("minsa", p) for p in minsa] == list(ids)
    assert all(hub.person_id("acnur", p) is None for p in minsa)
    assert hub.person_id("minsa", "p_" + "a" * 26) is None
    # another hub secret gives other identifiers
    other = Pseudonymizer.from_file(tmp_path / "other-secret")
    assert other.pseudonym("minsa", 1) != minsa[0]
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600
