"""Applicants' account: ``POST /account/activate`` (login, pre-registration code, new
password), ``POST /account/reset-request`` (login: a code goes to the person's e-mail or
phone) and ``POST /account/reset`` (login, code, new password). JSON in, JSON out; errors
carry a stable code, a Spanish message and, for fields, the problems with their paths.
Each client address gets ``PER_MINUTE`` attempts a minute on top of the per-account lock."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub.client_address import request_address, throttle_key
from hub.errors import problem_list
from hub.routes_auth import NO_STORE
from hub.state import HubState
from services.accounts import activate, request_reset, reset_password
from services.casework.pre_registration import RateLimiter
from services.errors import DomainError, FieldProblem, ValidationFailed

PER_MINUTE = 10
STATUS = {
    "VALIDATION_FAILED": 400,
    "INVALID_CODE": 400,
    "CODE_EXPIRED": 400,
    "ALREADY_ACTIVATED": 409,
    "TOO_MANY_ATTEMPTS": 429,
}
RESET_SENT = (
    "Si el usuario existe y tiene un correo o teléfono registrado, le enviamos un código "
    "para cambiar la contraseña. Vence en 30 minutos. Si no recibe nada, acérquese a una "
    "oficina de la Comisión."
)


async def startup(state: HubState) -> None:
    state.services["account_limiter"] = RateLimiter(PER_MINUTE)


def _error(exc: DomainError) -> JSONResponse:
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    if exc.problems:
        body["problems"] = problem_list(exc.problems)
    return JSONResponse(body, status_code=STATUS.get(exc.code, 400), headers=NO_STORE)


async def _fields(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    values = {n: body.get(n) for n in names}
    missing = [n for n, v in values.items() if not isinstance(v, str) or not v.strip()]
    if missing:
        raise ValidationFailed(
            [FieldProblem((n,), "REQUIRED", "Complete este campo.") for n in missing]
        )
    return {n: str(v) for n, v in values.items()}


def _handler(
    names: tuple[str, ...], action: Callable[[Any, dict[str, str]], Awaitable[str]]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state: HubState = request.app.state.hub
        limiter: RateLimiter = state.services["account_limiter"]
        address = throttle_key(request_address(request))
        if not limiter.allow(address, time.monotonic()):
            return _error(
                DomainError(
                    "Demasiados intentos desde su conexión; espere un minuto.",
                    "TOO_MANY_ATTEMPTS",
                )
            )
        try:
            values = await _fields(request, names)
            async with state.pool.connection() as conn:
                message = await action(conn, values)
        except DomainError as exc:
            return _error(exc)
        return JSONResponse({"ok": True, "message": message}, headers=NO_STORE)

    return endpoint


async def _activate(conn: Any, v: dict[str, str]) -> str:
    await activate(conn, v["login"], v["code"], v["password"])
    return "Su cuenta está activada. Ya puede iniciar sesión con su usuario y contraseña."


async def _request_reset(conn: Any, v: dict[str, str]) -> str:
    await request_reset(conn, v["login"])
    return RESET_SENT


async def _reset(conn: Any, v: dict[str, str]) -> str:
    await reset_password(conn, v["login"], v["code"], v["password"])
    return "Su contraseña fue cambiada. Ya puede iniciar sesión con la nueva."


def routes() -> list[BaseRoute]:
    return [
        Route(
            "/account/activate",
            _handler(("login", "code", "password"), _activate),
            methods=["POST"],
        ),
        Route("/account/reset-request", _handler(("login",), _request_reset), methods=["POST"]),
        Route("/account/reset", _handler(("login", "code", "password"), _reset), methods=["POST"]),
    ]
