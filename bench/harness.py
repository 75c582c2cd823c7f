"""Shared benchmark machinery: a hub in its own process, a lean HTTP load generator, stats.

Every benchmark compares against a baseline measured in the same run (the machine is
shared and noisy): print ratios, not absolute promises.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Stats:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int = 0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def line(self, baseline: Stats | None = None) -> str:
        ratio = f"{self.rate / baseline.rate:6.2f}x" if baseline and baseline.rate else "      "
        return (
            f"{self.name:<46} {self.rate:9.1f}/s  p50 {self.pct(50):7.2f} ms  "
            f"p99 {self.pct(99):7.2f} ms  {ratio}  errors {self.errors}"
        )


def fresh_database(prefix: str = "qhub_bench") -> str:
    """A new database on the embedded server under var/bench-pg, migrated; its URL."""
    from sqlalchemy import create_engine, pool, text

    from hub.embedded import sqlalchemy_url, start_embedded
    from hub.migrations import upgrade

    server = start_embedded(Path(os.environ.get("QHUB_BENCH_PG_DIR", ROOT / "var" / "bench-pg")))
    admin_url = sqlalchemy_url(server, "postgres")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sqlalchemy_url(server, name)
    upgrade(url)
    return url


def analyze(database_url: str) -> None:
    """Planner statistics after a benchmark's bulk load, as the hub's own loaders take
    them (demo data, import): measuring plans made without statistics measures nothing."""
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def hub_process(
    database_url: str,
    env: dict[str, str] | None = None,
    bootstrap: str | None = None,
    workers: int = 1,
    app_module: str = "hub.app",
) -> Iterator[str]:
    """The hub served by uvicorn (``workers`` processes) in a child process; yields its URL.

    ``bootstrap`` names a module imported first (benchmarks' variants of the hub);
    ``app_module`` another module whose ``create_app(database_url)`` serves instead (a
    baseline), answering ``/healthz``."""
    port = free_port()
    preload = f"import {bootstrap}; " if bootstrap else ""
    if workers == 1:
        serve = (
            f"uvicorn.run(create_app({database_url!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)"
        )
    else:
        serve = (
            "import asyncio, os; from hub.app import prime; "
            f"os.environ['QHUB_DATABASE_URL'] = {database_url!r}; "
            f"asyncio.run(prime(create_app({database_url!r}))); "
            "uvicorn.run('hub.app:app_from_environment', factory=True, host='127.0.0.1', "
            f"port={port}, log_level='warning', access_log=False, workers={workers})"
        )
    code = (
        f"import uvicorn, sys; sys.path.insert(0, {str(ROOT)!r}); {preload}"
        f"from {app_module} import create_app; {serve}"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env={**os.environ, **(env or {})}, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_ready(base: str, proc: subprocess.Popen[Any]) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the hub exited")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the hub did not start")


class KeepAliveClient:
    """A minimal HTTP/1.1 keep-alive client: the load generator must cost less than the hub."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}",
            f"Content-Length: {len(body)}",
            "Content-Type: application/json",
            "Accept: application/json",
        ]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        assert self.reader is not None
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        chunked = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                data += await self.reader.readexactly(size)
                await self.reader.readline()
            return status, data
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def http_load(
    name: str,
    base: str,
    make_body: Callable[[int], bytes],
    headers: dict[str, str],
    *,
    concurrency: int = 16,
    seconds: float = 5.0,
    path: str = "/graphql",
    check: Callable[[bytes], bool] | None = None,
) -> Stats:
    """POST bodies (varying with the request index) for ``seconds`` from ``concurrency`` clients."""
    host, port = base.split("//", 1)[1].split(":")
    latencies: list[float] = []
    errors = 0
    counter = 0
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, counter
        client = KeepAliveClient(host, int(port))
        try:
            while time.perf_counter() < stop_at:
                counter += 1
                body = make_body(counter)
                t0 = time.perf_counter()
                status, data = await client.post(path, body, headers)
                latencies.append((time.perf_counter() - t0) * 1000)
                if status != 200 or (check is not None and not check(data)):
                    errors += 1
        finally:
            client.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Stats(name, len(latencies), time.perf_counter() - start, latencies, errors)


async def call_load(
    name: str,
    make_call: Callable[[int], Awaitable[Any]],
    *,
    concurrency: int = 16,
    seconds: float = 5.0,
) -> Stats:
    """The same shape of load for an in-process coroutine (the raw baselines)."""
    latencies: list[float] = []
    counter = 0
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal counter
        while time.perf_counter() < stop_at:
            counter += 1
            t0 = time.perf_counter()
            await make_call(counter)
            latencies.append((time.perf_counter() - t0) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Stats(name, len(latencies), time.perf_counter() - start, latencies)


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return orjson.dumps({"query": query, "variables": variables or {}})


def machine() -> str:
    import platform

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
