"""The hub's logs as JSON lines (stdlib logging): timestamp, level, logger, message, the
request id of the request being served, and what a record adds (``extra=``: role,
operation, status, outcome, duration).

``QHUB_LOG_JSON=0`` keeps the plain text format (a developer's terminal).
"""

from __future__ import annotations

import itertools
import logging
import logging.config
import os
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

# The id of the request this task serves (set by hub.front for every HTTP request).
REQUEST_ID: ContextVar[str | None] = ContextVar("qhub_request_id", default=None)

_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
# What a LogRecord has by itself; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class _RequestIds:
    """New request ids: a random prefix per process and a counter. Ids need to be unique,
    not secret; a random draw per request cost a system call on every request."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self.prefix = os.urandom(8).hex()
        self.counter = itertools.count(1)

    def new(self) -> str:
        return f"{self.prefix}{next(self.counter):08x}"


_IDS = _RequestIds()


def request_id(given: str | None) -> str:
    """The caller's ``X-Request-Id`` when it is a sane token, else a new unique one."""
    if given and _VALID_ID.fullmatch(given):
        return given
    return _IDS.new()


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = REQUEST_ID.get()
        if rid is not None:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure(json_lines: bool, level: int = logging.INFO) -> dict[str, Any]:
    """Send the hub's and uvicorn's logs to standard error (JSON lines unless told not to);
    returns the ``logging.config`` dictionary to hand uvicorn as ``log_config``."""
    formatter: dict[str, Any] = (
        {"()": "hub.logs.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": logging.getLevelName(level)},
        "loggers": {
            # uvicorn's own lines go through the root handler; its access log is replaced
            # by hub.front's request lines (which know the real outcome and the request id)
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }
    logging.config.dictConfig(config)
    return config
