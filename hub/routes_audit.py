"""``GET /audit/checkpoints`` and ``/audit/checkpoints/latest``: the signed checkpoints of
the access log, public (they reveal only entry counts and hashes), and the background
task that signs one every ``QHUB_CHECKPOINT_SECONDS`` when the log has grown (one process
at a time per folder). At start-up it also opens the claim keyring (services.sealing),
so the first key-encryption key exists before workers start."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
from pathlib import Path

import psycopg
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from auth.checkpoint_audit import chain_heads
from auth.checkpoint_files import latest_heads, publish, published
from auth.keys import KeyStore
from hub.readpool import libpq_url
from hub.settings import Settings
from hub.state import HubState

log = logging.getLogger("qhub.checkpoints")
LIST_LIMIT = 1000


def checkpoints_dir(settings: Settings) -> Path:
    return settings.data_dir / "checkpoints"


async def make_checkpoint(database_url: str, settings: Settings, *, if_changed: bool) -> bool:
    """Sign (and timestamp) a checkpoint now; with ``if_changed``, only if the log grew."""
    directory = checkpoints_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        try:  # one signer per folder: the workers of a hub share it
            fcntl.flock(lock, fcntl.LOCK_EX | (fcntl.LOCK_NB if if_changed else 0))
        except BlockingIOError:
            return False
        async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
            if if_changed and latest_heads(directory) == await chain_heads(conn):
                return False
            await publish(conn, KeyStore.load(settings), directory, settings.tsa_url)
    return True


async def list_checkpoints(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    items = published(checkpoints_dir(state.settings), limit=LIST_LIMIT)
    return JSONResponse({"checkpoints": [item.as_json() for item in items]})


async def latest_checkpoint(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    items = published(checkpoints_dir(state.settings), limit=1)
    if not items:
        return JSONResponse(
            {
                "errors": [
                    {
                        "message": "Aún no se publicó ningún punto de control.",
                        "extensions": {"code": "NO_CHECKPOINT"},
                    }
                ]
            },
            status_code=404,
        )
    return JSONResponse(items[0].as_json())


async def _every(state: HubState, seconds: int) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await make_checkpoint(state.database_url, state.settings, if_changed=True)
        except Exception:  # a failed checkpoint must not stop the next one
            log.exception("checkpoint failed")


async def startup(state: HubState) -> None:
    from services.sealing import keyring

    keyring()  # the first claim KEK exists before several workers start (qhub serve primes)
    seconds = state.settings.checkpoint_seconds
    if seconds > 0:
        state.services["checkpoint_task"] = asyncio.create_task(_every(state, seconds))


async def shutdown(state: HubState) -> None:
    task = state.services.pop("checkpoint_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def routes() -> list[BaseRoute]:
    return [
        Route("/audit/checkpoints", list_checkpoints, methods=["GET"]),
        Route("/audit/checkpoints/latest", latest_checkpoint, methods=["GET"]),
    ]
