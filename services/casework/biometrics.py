"""Biometric enrolment through a matcher interface.

The hub never stores a template: a matcher (an external AFIS in production) keeps it and
hands back a reference; the hub stores that reference (``biometric_enrolment``) and match
results. ``LocalMatcher`` is the demo/test implementation: it keeps only a 64-bit SimHash
fingerprint of each template in its own table (``local_biometric_template``) and does
1:N search by Hamming distance in one SQL statement. A match against another person raises
a possible duplicate (``possible_duplicate``) for review instead of enrolling twice.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from psycopg import AsyncConnection

from auth.policy import Category
from auth.principal import Principal
from models.vocab import DuplicateStatus
from services.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from services.permissions import require_any_write, require_write


@dataclass(frozen=True)
class Match:
    person_id: int
    reference: str
    score: float  # 1.0 = identical


class BiometricMatcher(Protocol):
    """What the hub needs of a biometric system (templates stay inside it)."""

    name: str

    async def search(
        self, conn: AsyncConnection[Any], template: bytes, exclude_person: int
    ) -> list[Match]:
        """1:N: enrolled persons other than ``exclude_person`` that match, best first."""
        ...

    async def enrol(self, conn: AsyncConnection[Any], person_id: int, template: bytes) -> str:
        """Store the template (in the matcher) and return its reference."""
        ...


def simhash64(template: bytes) -> int:
    """A 64-bit SimHash of the template's 4-byte shingles (near templates, near hashes)."""
    weights = [0] * 64
    for i in range(max(1, len(template) - 3)):
        h = int.from_bytes(hashlib.blake2b(template[i : i + 4], digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value  # as a signed bigint


class LocalMatcher:
    """Demo/test matcher: SimHash fingerprints in its own table, Hamming-distance 1:N."""

    name = "local-simhash"

    # Measured on random 400-byte templates: a re-read (one flipped bit) moves the SimHash
    # by 0-8 bits, unrelated templates sit at ~32 ± 4; 10 keeps both sides clear.
    def __init__(self, max_distance: int = 10) -> None:
        self.max_distance = max_distance

    async def search(
        self, conn: AsyncConnection[Any], template: bytes, exclude_person: int
    ) -> list[Match]:
        """Enrolled fingerprints within ``max_distance`` bits of this template's."""
        rows = await (
            await conn.execute(
                "SELECT person_id, reference, bit_count((fingerprint # %s)::bit(64)) AS d"
                " FROM local_biometric_template WHERE person_id <> %s"
                " AND bit_count((fingerprint # %s)::bit(64)) <= %s ORDER BY d, person_id",
                (simhash64(template), exclude_person, simhash64(template), self.max_distance),
            )
        ).fetchall()
        return [Match(r[0], r[1], 1 - r[2] / 64) for r in rows]

    async def enrol(self, conn: AsyncConnection[Any], person_id: int, template: bytes) -> str:
        """Keep the fingerprint (not the template) under a fresh reference."""
        reference = "loc-" + secrets.token_hex(12)
        await conn.execute(
            "INSERT INTO local_biometric_template (reference, person_id, fingerprint)"
            " VALUES (%s, %s, %s)",
            (reference, person_id, simhash64(template)),
        )
        return reference


MAX_PHOTO = 2 * 1024 * 1024


class EnrolmentOutcome(StrEnum):
    ENROLLED = "enrolled"
    ALREADY_ENROLLED = "already_enrolled"
    POSSIBLE_DUPLICATE = "possible_duplicate"


@dataclass(frozen=True)
class EnrolmentResult:
    outcome: EnrolmentOutcome
    person_id: int
    reference: str | None  # the template reference when enrolled
    duplicate_id: int | None = None  # the review record when a match was found
    score: float | None = None  # match result only: no data of the other person


async def enrol(
    conn: AsyncConnection[Any],
    principal: Principal,
    matcher: BiometricMatcher,
    person_id: int,
    template: bytes,
    photo: bytes | None = None,
) -> EnrolmentResult:
    """Enrol a person's biometrics (registrars of the person's case office).

    1:N search first: a match with another person records a possible duplicate for
    review and enrols nothing; otherwise the matcher keeps the template and the hub stores
    its reference, with the photo taken at enrolment (JPEG or PNG, for the card and the
    permit). One transaction."""
    require_any_write(
        principal,
        Category.BIOMETRICS,
        "Solo un registrador o registradora puede enrolar datos biométricos.",
    )
    if len(template) < 16:
        raise ValidationFailed(
            [FieldProblem(("template",), "INVALID", "La plantilla biométrica no es válida.")]
        )
    if photo is not None and (
        not photo.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or len(photo) > MAX_PHOTO
    ):
        raise ValidationFailed(
            [
                FieldProblem(
                    ("photo",),
                    "INVALID_PHOTO",
                    "La fotografía debe ser una imagen JPEG o PNG de hasta 2 MB.",
                )
            ]
        )
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT p.id, (SELECT o.code FROM case_member m JOIN case_file c"
                " ON c.id = m.case_id JOIN office o ON o.id = c.office_id"
                " WHERE m.person_id = p.id ORDER BY c.id DESC LIMIT 1)"
                " FROM person p WHERE p.id = %s FOR UPDATE OF p",
                (person_id,),
            )
        ).fetchone()
        if row is None:
            raise NotFound("No existe la persona indicada.", "PERSON_NOT_FOUND")
        require_write(
            principal,
            Category.BIOMETRICS,
            "Solo puede enrolar a personas de expedientes de su oficina.",
            office_code=row[1],
        )
        # enrolments are serialised so two simultaneous ones of the same person both match
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('biometric-enrolment'))")
        existing = await (
            await conn.execute(
                "SELECT template_ref FROM biometric_enrolment WHERE person_id = %s", (person_id,)
            )
        ).fetchone()
        if existing is not None:
            if photo is not None:  # a new photo replaces the one taken before
                await conn.execute(
                    "UPDATE biometric_enrolment SET photo = %s WHERE person_id = %s",
                    (photo, person_id),
                )
            return EnrolmentResult(EnrolmentOutcome.ALREADY_ENROLLED, person_id, existing[0])
        reviewed = dict(
            await (
                await conn.execute(
                    "SELECT matched_person_id, status FROM possible_duplicate"
                    " WHERE person_id = %s AND status <> 'open'"
                    " UNION ALL SELECT person_id, status FROM possible_duplicate"
                    " WHERE matched_person_id = %s AND status <> 'open'",
                    (person_id, person_id),
                )
            ).fetchall()
        )
        if DuplicateStatus.DUPLICATE in reviewed.values():
            raise Conflict(
                "Esta persona fue declarada duplicada de otra ya registrada: continúe con el"
                " registro existente.",
                "DECLARED_DUPLICATE",
            )
        # A match a supervisor judged to be another person no longer blocks enrolment.
        matches = [
            m
            for m in await matcher.search(conn, template, exclude_person=person_id)
            if reviewed.get(m.person_id) != DuplicateStatus.DISTINCT
        ]
        if matches:
            best = matches[0]
            dup = await (
                await conn.execute(
                    "INSERT INTO possible_duplicate (person_id, matched_person_id, source, score,"
                    " raised_by, photo) VALUES (%s, %s, 'biometric', %s, %s, %s)"
                    " ON CONFLICT (person_id, matched_person_id) DO UPDATE"
                    " SET score = excluded.score,"
                    " photo = coalesce(excluded.photo, possible_duplicate.photo) RETURNING id",
                    (person_id, best.person_id, best.score, principal.actor_label, photo),
                )
            ).fetchone()
            assert dup is not None
            return EnrolmentResult(
                EnrolmentOutcome.POSSIBLE_DUPLICATE, person_id, None, dup[0], best.score
            )
        reference = await matcher.enrol(conn, person_id, template)
        await conn.execute(
            "INSERT INTO biometric_enrolment (person_id, matcher, template_ref, enrolled_by,"
            " photo) VALUES (%s, %s, %s, %s, %s)",
            (person_id, matcher.name, reference, principal.actor_label, photo),
        )
    return EnrolmentResult(EnrolmentOutcome.ENROLLED, person_id, reference)


async def open_duplicates(conn: AsyncConnection[Any], person_ids: list[int]) -> set[int]:
    """Which of these persons have a possible duplicate still under review."""
    rows = await (
        await conn.execute(
            "SELECT DISTINCT person_id FROM possible_duplicate"
            " WHERE person_id = ANY(%s) AND status = 'open'",
            (person_ids,),
        )
    ).fetchall()
    return {r[0] for r in rows}
