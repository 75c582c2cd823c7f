"""A full disk, for real: the hub's database lives in a tablespace on a small tmpfs of
this module's own (mounted as root; skipped where mounting is not allowed), which is
then filled. Writes are refused 503 (``DATABASE_UNAVAILABLE``, or
``ACCESS_LOG_UNAVAILABLE`` when it is the log entry that needs the space), ``/readyz``
says "database disk full", and once space is freed the hub takes writes again; no acknowledged write
is lost and the access log's chain verifies."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from hub.embedded import sqlalchemy_url
from hub.migrations import upgrade
from hub.settings import load_settings
from tests.conftest import LiveHub
from tests.hub.test_db_faults import (
    assert_every_write_logged,
    count,
    libpq,
    own_server,
    pre_register,
)

__all__ = ["own_server"]  # this module's own server (fixture)

SIZE_MB = 64


@pytest.fixture(scope="module")
def small_disk(own_server: Any) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount_point = Path(tempfile.mkdtemp(prefix="qhub-disk-", dir="/tmp"))
    mount_point.chmod(0o755)  # the server runs as its own system user
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mounted.stderr.strip()}")
    try:
        postmaster = int((Path(own_server.pgdata) / "postmaster.pid").read_text().split()[0])
        uids, gids = psutil.Process(postmaster).uids(), psutil.Process(postmaster).gids()
        space = mount_point / "tablespace"
        space.mkdir(mode=0o700)
        os.chown(space, uids.real, gids.real)
        yield space
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        shutil.rmtree(mount_point, ignore_errors=True)


@pytest.fixture(scope="module")
def full_url(own_server: Any, small_disk: Path) -> str:
    admin = libpq(sqlalchemy_url(own_server, "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE TABLESPACE qhub_small LOCATION '{small_disk}'")
        conn.execute("CREATE DATABASE qhub_full TABLESPACE qhub_small")
    url = sqlalchemy_url(own_server, "qhub_full")
    upgrade(url)
    return url


@pytest.fixture(scope="module")
def hub(full_url: str) -> Iterator[LiveHub]:
    settings = dataclasses.replace(load_settings(), pre_registration_rate_per_minute=1_000_000)
    live = LiveHub(full_url, settings).start()
    yield live
    live.stop()


def fill(directory: Path) -> Path:
    """A file taking every free byte of ``directory``'s file system."""
    filler = directory.parent / "relleno"
    chunk = b"\xff" * (1 << 20)
    with filler.open("wb", buffering=0) as out:
        for size in (len(chunk), 4096):  # megabytes, then the last one in small pieces
            with contextlib.suppress(OSError):
                while out.write(chunk[:size]):
                    pass
    return filler


def test_a_full_disk_refuses_writes_honestly_and_recovers(
    hub: LiveHub, full_url: str, small_disk: Path, tmp_path: Path
) -> None:
    # Given a hub that takes writes
    acknowledged: list[int] = []
    n = 0

    def write() -> httpx.Response:
        nonlocal n
        n += 1
        response = pre_register(hub.url, f"8{n:07d}")
        if response.status_code == 200 and response.json().get("data"):
            acknowledged.append(response.json()["data"]["preRegister"]["caseNumber"])
        return response

    assert write().status_code == 200
    assert httpx.get(f"{hub.url}/readyz").status_code == 200
    # When the disk the database lives on fills up
    filler = fill(small_disk)
    try:
        assert shutil.disk_usage(small_disk).free < 64 * 1024
        ready = httpx.get(f"{hub.url}/readyz", timeout=30)
        refused = write()
        for _ in range(200):  # a write fits while the pages it lands on have room
            if refused.status_code != 200:
                break
            refused = write()
        refused_document = f"8{n:07d}"
    finally:
        filler.unlink()
    # Then readiness says why, and a write that needs space is refused 503 with the code
    assert ready.status_code == 503, ready.text
    assert ready.json()["reason"] == "database disk full"
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    # (the case's rows or its log entry: whichever needed the new block; all rolled back)
    ((code,),) = [[e["extensions"]["code"] for e in refused.json()["errors"]]]
    assert code in ("DATABASE_UNAVAILABLE", "ACCESS_LOG_UNAVAILABLE")
    assert "data" not in refused.json()
    stored = f"SELECT count(*) FROM identity_document WHERE number = '{refused_document}'"
    assert count(full_url, stored) == 0
    # When space is freed, the hub is ready and takes writes again at once
    assert httpx.get(f"{hub.url}/readyz").status_code == 200
    assert write().status_code == 200
    # and every acknowledged write is there, in the chain, which verifies
    numbers = ",".join(str(a) for a in acknowledged)
    assert count(full_url, f"SELECT count(*) FROM case_file WHERE number IN ({numbers})") == len(
        set(acknowledged)
    )
    env = {"QHUB_DATABASE_URL": libpq(full_url), "QHUB_DATA_DIR": str(tmp_path / "data")}
    assert_every_write_logged(full_url, env)
    print(f"\ndisk full: {len(acknowledged)} writes acknowledged; refused: {code}")
