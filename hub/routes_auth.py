"""``/oauth/token``, ``/.well-known/jwks.json``, ``/.well-known/oauth-authorization-server``.

At start-up this module installs, for the GraphQL endpoints, the authenticator
(``state.services["authenticate"]``) and the access-log writer
(``state.services["record_access"]``).
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from auth.access_log import entry_for
from auth.access_log_append import AccessLogWriter
from auth.keys import KeyStore
from auth.login_throttle import LoginThrottle
from auth.oauth import (
    CONSOLE_CLIENT,
    SELF_SERVICE_CLIENT,
    Client,
    HubAuthorizationServer,
    TokenRequest,
    User,
    parse_form,
    unknown_client,
)
from auth.tokens import Authenticator, TokenIssuer
from hub import availability, metrics, shared_keys
from hub.client_address import request_address, throttle_key
from hub.guarded_pool import guarded_pool, open_waiting
from hub.limits_postgres import PostgresStorage
from hub.readpool import libpq_url
from hub.state import HubState
from hub.write_log import write_entry
from models.vocab import Purpose, Role
from services.pseudonyms import pseudonyms_from_settings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def issuer_for(state_or_settings: Any) -> TokenIssuer:
    settings = getattr(state_or_settings, "settings", state_or_settings)
    return TokenIssuer(
        keys=KeyStore.load(settings),
        issuer=settings.issuer,
        audience=settings.audience,
        ttl_seconds=settings.token_ttl_seconds,
    )


async def startup(state: HubState) -> None:
    shared_keys.check(state.settings)  # KeyPlaceError: no keys of its own (issue 18)
    issuer = issuer_for(state)
    state.services["keys"] = issuer.keys
    state.services["token_issuer"] = issuer
    external = None
    if state.settings.external_issuers:
        from auth.external import ExternalIssuers

        external = ExternalIssuers.from_json(state.settings.external_issuers)
    state.services["authenticate"] = Authenticator(issuer, external)
    state.services["oauth_server"] = HubAuthorizationServer(issuer)
    state.services["login_throttle"] = LoginThrottle(
        state.settings.login_limits_account,
        state.settings.login_limits_address,
        throttle_storage(state),
    )
    state.services["pseudonyms"] = pseudonyms_from_settings(state.settings)
    # The log writer has connections of its own: requests wait for it, never the reverse.
    log_pool = guarded_pool(
        libpq_url(state.database_url), min_size=1, max_size=2, configure=_autocommit
    )
    await open_waiting(log_pool, "registro de accesos")
    state.services["access_log_pool"] = log_pool
    writer = AccessLogWriter(log_pool)
    writer.start()
    state.services["access_log_writer"] = writer

    async def record_access(ctx: Any, result: Any) -> None:
        person_ids = set().union(*ctx.reads.values())
        entry = entry_for(
            ctx.principal, "read", person_ids, ctx.reads.keys(), operation=ctx.operation_name
        )
        await writer.write(entry)

    state.services["record_access"] = record_access

    async def record_write(ctx: Any, result: Any) -> None:
        # Writes made outside the request's transaction (see hub.write_log).
        await writer.write(write_entry(ctx, result))

    state.services["record_write"] = record_write


def throttle_storage(state: HubState) -> str | PostgresStorage:
    """Where login attempts are counted: the configured ``limits`` storage, or by default
    the database, through the pool the shared rate limits already have (hub.shared_state,
    which starts after this module: the pool is looked up at each use)."""
    configured = state.settings.rate_limit_storage
    if configured != "database":
        return configured
    if not state.settings.shared_rate_limits:
        return "async+memory://"
    return PostgresStorage(pool=lambda: state.services.get("rate_limit_pool"))


async def _autocommit(conn: Any) -> None:
    await conn.set_autocommit(True)


async def shutdown(state: HubState) -> None:
    throttle: LoginThrottle | None = state.services.get("login_throttle")
    if throttle is not None and isinstance(throttle.storage, PostgresStorage):
        await throttle.storage.close()
    writer: AccessLogWriter | None = state.services.get("access_log_writer")
    if writer is not None:
        await writer.stop()
    log_pool = state.services.get("access_log_pool")
    if log_pool is not None:
        await log_pool.close()


def _basic_client_id(header: str | None) -> str | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return unquote(decoded.partition(":")[0])


async def token_endpoint(request: Request) -> JSONResponse:
    try:
        return await _token(request)
    except Exception as exc:
        # the throttle's counters and the accounts are in the database: when it cannot
        # serve, say so (503 and when to retry), never a 500
        refusal = availability.database_refusal(exc)
        if refusal is None:
            raise
        return JSONResponse(
            {
                "error": "temporarily_unavailable",
                "error_description": refusal.message,
                "code": refusal.code,
            },
            status_code=503,
            headers={**refusal.headers, **NO_STORE},
        )


async def _token(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    server: HubAuthorizationServer = state.services["oauth_server"]
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_description": "Envíe el formulario como application/x-www-form-urlencoded.",
            },
            status_code=400,
            headers=NO_STORE,
        )
    form = parse_form(await request.body())
    token_request = TokenRequest(
        method="POST",
        uri=str(request.url),
        headers=request.headers,  # case-insensitive: authlib reads "Authorization"
        form=form,
    )
    client_id = _basic_client_id(request.headers.get("authorization")) or form.get("client_id")
    if client_id and client_id not in (CONSOLE_CLIENT, SELF_SERVICE_CLIENT):
        token_request.client = await load_client(state, client_id)
    username = form.get("username")
    throttle: LoginThrottle = state.services["login_throttle"]
    address = throttle_key(request_address(request))
    grant_type = form.get("grant_type")
    password_login = grant_type == "password"
    # guessed passwords and guessed client secrets are throttled alike
    throttled = password_login or grant_type == "client_credentials"
    account = (
        f"{client_id}:{(username or '').strip().lower()}"
        if password_login
        else f"client:{client_id}"
    )
    if throttled:
        refusal = await throttle.attempt(account, address)
        if refusal is not None:
            metrics.login_throttled()
            return JSONResponse(
                {
                    "error": "too_many_attempts",
                    "error_description": refusal.message,
                    "code": "TOO_MANY_ATTEMPTS",
                },
                status_code=429,
                headers={"Retry-After": str(refusal.retry_after), **NO_STORE},
            )
    if password_login and username:
        if client_id == CONSOLE_CLIENT:
            token_request.user, token_request.user_password_hash = await load_officer(
                state, username
            )
        elif client_id == SELF_SERVICE_CLIENT:
            token_request.user, token_request.user_password_hash = await load_applicant(
                state, username
            )
    # argon2 and signing take tens of milliseconds: never on the event loop.
    status, body, headers = await asyncio.to_thread(server.token_response, token_request)
    if throttled:
        if status == 200:
            await throttle.succeeded(account)
        else:
            await throttle.failed(address)
    return JSONResponse(body, status_code=status, headers={**dict(headers), **NO_STORE})


async def _row(state: HubState, sql: str, value: str) -> Any:
    async with state.pool.connection() as conn:
        cursor = await conn.execute(sql, (value,))
        return await cursor.fetchone()


async def load_client(state: HubState, client_id: str) -> Client:
    row = await _row(
        state,
        "SELECT c.client_id, c.secret_hash, c.roles, c.purposes, o.code, c.active "
        "FROM agency_client c LEFT JOIN office o ON o.id = c.office_id WHERE c.client_id = %s",
        client_id,
    )
    if row is None:
        return unknown_client(client_id)
    roles = [Role(r) for r in row[2] if r in Role._value2member_map_]
    return Client(
        client_id=row[0],
        secret_hash=row[1],
        grant_types=("client_credentials",),
        role=roles[0] if roles else None,
        purposes=frozenset(Purpose(p) for p in row[3] if p in Purpose._value2member_map_),
        office=row[4],
        active=bool(row[5]) and bool(roles),
    )


async def load_officer(state: HubState, username: str) -> tuple[User | None, str | None]:
    row = await _row(
        state,
        "SELECT f.id, f.username, f.role, o.code, f.password_hash FROM officer f "
        "JOIN office o ON o.id = f.office_id WHERE f.username = %s AND f.available",
        username,
    )
    if row is None:
        return None, None
    user = User(Role(row[2]), subject=f"officer:{row[1]}", office=row[3], officer_id=row[0])
    return user, row[4]


async def load_applicant(state: HubState, login: str) -> tuple[User | None, str | None]:
    row = await _row(
        state,
        "SELECT person_id, password_hash FROM applicant_account "
        "WHERE login = %s AND activated_at IS NOT NULL",
        login.strip().lower(),
    )
    if row is None:
        return None, None
    return User(Role.APPLICANT, subject=f"person:{row[0]}", person_id=row[0]), row[1]


async def jwks(request: Request) -> JSONResponse:
    keys: KeyStore = request.app.state.hub.services["keys"]
    keys.refresh()
    return JSONResponse(keys.public_jwks(), headers={"Cache-Control": "public, max-age=300"})


async def metadata(request: Request) -> JSONResponse:
    state: HubState = request.app.state.hub
    base = state.settings.public_url
    return JSONResponse(
        {
            "issuer": state.settings.issuer,
            "token_endpoint": f"{base}/oauth/token",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "grant_types_supported": ["client_credentials", "password"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "response_types_supported": [],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
            "service_documentation": f"{base}/graphql",
        }
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/oauth/token", token_endpoint, methods=["POST"]),
        Route("/.well-known/jwks.json", jwks),
        Route("/.well-known/oauth-authorization-server", metadata),
    ]
