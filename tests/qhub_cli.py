"""Running ``qhub`` as an administrator does: its own process, pointed at a database and a
data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_qhub(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QHUB_DATABASE_URL": database_url,
        "QHUB_DATA_DIR": str(data_dir),
        "COLUMNS": "300",
    }
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
