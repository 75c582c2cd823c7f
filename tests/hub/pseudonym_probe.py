"""Run in its own process by tests/hub/test_shared_keys.py (the PKCS#11 library reads
SoftHSM2's configuration once per process): ``python -m tests.hub.pseudonym_probe`` with
the hub's settings in the environment (QHUB_PSEUDONYM_PKCS11_*); prints, as JSON, the
identifiers the token gives, whether the secret can be read out, and how long 1,000
identifiers took."""

from __future__ import annotations

import json
import time

import pkcs11

from hub.settings import load_settings
from services.pseudonym_token import MASTER_LABEL, TokenPseudonyms
from services.pseudonyms import pseudonyms_from_settings


def main() -> dict[str, object]:
    settings = load_settings()
    pseudonyms = pseudonyms_from_settings(settings)
    assert isinstance(pseudonyms, TokenPseudonyms)
    seen: dict[str, object] = {
        "migraciones-42": pseudonyms.pseudonym("migraciones", 42),
        "minsa-42": pseudonyms.pseudonym("minsa", 42),
        "back": pseudonyms.person_id("minsa", pseudonyms.pseudonym("minsa", 42)),
    }
    started = time.perf_counter()
    for person in range(1000):
        pseudonyms.pseudonym("acnur", person)
    seen["us_per_identifier"] = round((time.perf_counter() - started) * 1000, 1)
    key = pseudonyms._key  # the token object, to try reading the secret out
    try:
        seen["value_read"] = bool(key[pkcs11.Attribute.VALUE])
    except pkcs11.exceptions.PKCS11Error:
        seen["value_read"] = False
    seen["extractable"] = bool(key[pkcs11.Attribute.EXTRACTABLE])
    seen["label"] = str(key[pkcs11.Attribute.LABEL]) == MASTER_LABEL
    return seen


if __name__ == "__main__":
    print(json.dumps(main()))
