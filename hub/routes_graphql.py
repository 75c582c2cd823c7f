"""``/graphql`` (every subgraph in one schema) and ``/subgraphs/<name>/graphql``.

Per request: authenticate (``state.services["authenticate"]``, installed by the
identity module; without it every caller is anonymous), pick the caller's contract,
execute, then hand the reads made to ``state.services["record_access"]`` (the access
log) if installed.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections import OrderedDict
from functools import cache
from typing import Any

from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from auth.enforce import Contract, build_contract
from auth.principal import ANONYMOUS, Principal
from hub import availability, write_log
from hub.errors import RequestError
from hub.front import describe
from hub.graphql.executor import FastExecutor
from hub.graphql.http import DOCUMENTS, handle
from hub.graphql.strawberry_hooks import PlanExecutionContext, prepared_document
from hub.state import HubState
from models.vocab import Role
from resolvers.context import RequestContext
from schema.build import SUBGRAPHS, full_schema, subgraph_schema

log = logging.getLogger("qhub.graphql")


@cache
def contract_for(role: Role, subgraph: str | None = None) -> Contract:
    """The executable contract of a role on the whole schema or on one subgraph.

    Strawberry runs each request on it: the plan executor through its execution
    context, the hub's parsed and validated document through an extension."""
    return build_contract(
        full_schema() if subgraph is None else subgraph_schema(subgraph),
        role,
        federation=subgraph is not None,
        execution_context_class=PlanExecutionContext,
        extensions=(prepared_document(DOCUMENTS),),
    )


# Verified tokens: (Authorization, X-Purpose) -> principal, until the token expires.
# A signature check costs more than the rest of a small lookup; a token's verdict only
# changes with time, so it is checked once and then read from here.
_VERIFIED: OrderedDict[tuple[str, str], Principal] = OrderedDict()
_VERIFIED_MAX = 50_000


async def authenticate(request: Any, state: HubState) -> Principal:
    hook = state.services.get("authenticate")
    if hook is None:
        return ANONYMOUS
    headers = request.headers
    key = (headers.get("authorization") or "", headers.get("x-purpose") or "")
    if key[0]:
        cached = _VERIFIED.get(key)
        if cached is not None and cached.expires_at is not None:
            if cached.expires_at > time.time():
                return cached
            _VERIFIED.pop(key, None)
    principal = hook(request)
    if inspect.isawaitable(principal):
        principal = await principal
    if key[0] and principal.expires_at is not None:
        _VERIFIED[key] = principal
        if len(_VERIFIED) > _VERIFIED_MAX:
            _VERIFIED.popitem(last=False)
    return principal  # type: ignore[no-any-return]


def forget_verified_tokens() -> None:
    """Drop every cached verdict (after a key is withdrawn)."""
    _VERIFIED.clear()


def _auth_error(exc: Exception) -> RequestError:
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None) or 401
    code = getattr(exc, "code", "UNAUTHENTICATED")
    message = getattr(exc, "message", None) or str(exc) or "No autenticado."
    headers = {"WWW-Authenticate": 'Bearer realm="qoricancha"'} if status == 401 else {}
    return RequestError(int(status), message, str(code), headers)


class AccessNotLogged(Exception):
    """The access log could not record this request's reads."""


async def principal_of(request: Request, state: HubState) -> Principal:
    """The caller; ``RequestError`` (401/403 with the token's code) when the token or the
    purpose does not hold."""
    try:
        return await authenticate(request, state)
    except RequestError:
        raise
    except Exception as exc:
        if getattr(exc, "code", None) is None and not hasattr(exc, "status"):
            raise
        raise _auth_error(exc) from exc


async def record_request(ctx: RequestContext, result: ExecutionResult | None) -> None:
    """Commit the request's writes together with their log entry (``hub.write_log``),
    give the connection back, then log its reads; ``AccessNotLogged`` when the log
    cannot take them (the writes are then rolled back)."""
    record_write = ctx.state.services.get("record_write")
    record = ctx.state.services.get("record_access")
    if result is not None and availability.refusal_in(result.errors) is not None:
        # answered 503 with nothing in it (hub.graphql.http): no write stays, no read left
        result = None
        ctx.reads.clear()
    try:
        settled = False
        try:
            if ctx.write_key is not None:
                entry = None
                if (
                    result is not None
                    and record_write is not None
                    and not set(ctx.mutation_fields) <= ctx.logged_fields
                ):
                    entry = write_log.write_entry(ctx, result)
                settled = await ctx.run(write_log.settle, entry, result is not None)
        finally:
            # Connection before the reads: the log writer must never wait for
            # connections that requests hold while they wait for the log.
            await ctx.close()
        if (
            record_write is not None
            and ctx.mutation_fields
            and result is not None
            and not settled
            and not set(ctx.mutation_fields) <= ctx.logged_fields
        ):
            await record_write(ctx, result)
        # An answer whose data is null delivered no value: no read to log.
        delivered = result is None or result.data is not None
        if record is not None and ctx.reads and delivered:
            await record(ctx, result)
    except Exception as exc:
        log.error("access log write failed", exc_info=exc)
        raise AccessNotLogged from exc


def access_log_unavailable(what_happened: str) -> JSONResponse:
    """503: nothing is answered that could not be logged."""
    return JSONResponse(
        {
            "errors": [
                {
                    "message": f"El registro de accesos no está disponible; {what_happened}",
                    "extensions": {"code": "ACCESS_LOG_UNAVAILABLE"},
                }
            ]
        },
        status_code=503,
        headers={"Retry-After": str(availability.RETRY_AFTER)},
    )


def _endpoint(subgraph: str | None) -> Any:
    async def prepare(request: Request) -> tuple[Any, RequestContext]:
        state: HubState = request.app.state.hub
        principal = await principal_of(request, state)
        contract = contract_for(principal.role, subgraph)
        return contract.strawberry, RequestContext(state, principal, request)

    async def finish(ctx: RequestContext | Any, result: ExecutionResult | None) -> None:
        if isinstance(ctx, RequestContext):
            if ctx.request is not None:  # labels of the request's metrics and log line
                errors = result is not None and bool(result.errors)
                describe(
                    ctx.request.scope,
                    ctx.principal.role.value,
                    ctx.operation_name,
                    "error" if errors else None,
                )
            await record_request(ctx, result)

    def needs_token(ctx: Any, query: str, document: Any) -> bool:
        """An anonymous query naming a field outside the public contract: 401, whether or
        not the field exists for some role (else an anonymous caller could tell a field
        that exists from one that does not). Other invalid queries (unused variables,
        unknown types, …) keep their validation error, the same for every name."""
        from graphql import validate
        from graphql.validation import FieldsOnCorrectTypeRule

        if not isinstance(ctx, RequestContext) or ctx.principal is not ANONYMOUS:
            return False
        public = contract_for(Role.PUBLIC, subgraph).schema
        return bool(validate(public, document, [FieldsOnCorrectTypeRule]))

    async def endpoint(request: Request) -> Response:
        try:
            return await handle(request, prepare, finish, None, needs_token)
        except AccessNotLogged:
            return access_log_unavailable("la consulta no se entregó. Intente de nuevo.")

    return endpoint


async def startup(state: HubState) -> None:
    # QHUB_EXECUTOR=graphql-core turns the plan executor off (diagnosis, benchmarks).
    state.services["executor"] = (
        None if state.settings.executor == "graphql-core" else FastExecutor()
    )
    # Build every contract once, before the first request pays for it.
    for role in Role:
        contract_for(role)
        for name in SUBGRAPHS:
            contract_for(role, name)


def routes() -> list[BaseRoute]:
    from hub.graphql.websocket import websocket_endpoint

    result: list[BaseRoute] = [
        Route("/graphql", _endpoint(None), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", websocket_endpoint(None)),
    ]
    for name in SUBGRAPHS:
        result.append(Route(f"/subgraphs/{name}/graphql", _endpoint(name), methods=["GET", "POST"]))
    return result
