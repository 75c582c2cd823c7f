"""Throttling of password logins, per account and per client address, with back-off.

Counters live in a ``limits`` storage (``QHUB_RATE_LIMIT_STORAGE``): by default the hub's
own database (``hub.limits_postgres``), so every instance of a deployment counts the same
attempts; any storage ``limits`` supports (Redis, Memcached, MongoDB, in-process memory)
can be named instead. Each key is held to several windows at once
(``5/minute;10/15 minutes;20/hour`` by default for an account): the longer windows are the
back-off — an attacker who waits out one minute meets the quarter-hour, then the hour.

An account counts every attempt before its password is checked (so parallel guesses
cannot slip past the limit) and is cleared by a successful login; an address counts
failed attempts only (a success there must not reset a guesser who owns an account).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


@dataclass(frozen=True)
class Refusal:
    """Too many attempts: when to try again, in whole seconds."""

    retry_after: int

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        wait = f"{self.retry_after} segundos" if self.retry_after < 120 else f"{minutes} minutos"
        return f"Demasiados intentos de inicio de sesión fallidos; intente de nuevo en {wait}."


class LoginThrottle:
    """``check`` before verifying a password, ``failed`` / ``succeeded`` after."""

    def __init__(self, account_limits: str, address_limits: str, storage: str | Storage) -> None:
        if isinstance(storage, str):
            made = storage_from_string(storage)
            if not isinstance(made, Storage):
                raise ValueError(
                    f"QHUB_RATE_LIMIT_STORAGE debe ser un almacenamiento asíncrono: {storage}"
                )
            storage = made
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.account_limits: list[RateLimitItem] = parse_many(account_limits)
        self.address_limits: list[RateLimitItem] = parse_many(address_limits)

    async def attempt(self, account: str, address: str) -> Refusal | None:
        """Count an attempt on ``account``; a refusal when it or ``address`` is over a limit."""
        refusal = await self._exhausted(self.address_limits, "login-address", address)
        if refusal is not None:
            return refusal
        for item in self.account_limits:
            if not await self.limiter.hit(item, "login-account", account):
                return await self._exhausted(self.account_limits, "login-account", account)
        return None

    async def failed(self, address: str) -> None:
        for item in self.address_limits:
            await self.limiter.hit(item, "login-address", address)

    async def succeeded(self, account: str) -> None:
        for item in self.account_limits:
            await self.limiter.clear(item, "login-account", account)

    async def _exhausted(
        self, items: list[RateLimitItem], namespace: str, key: str
    ) -> Refusal | None:
        waits = []
        for item in items:
            if not await self.limiter.test(item, namespace, key):
                stats = await self.limiter.get_window_stats(item, namespace, key)
                waits.append(stats.reset_time - time.time())
        if not waits:
            return None
        return Refusal(max(1, math.ceil(max(waits))))
