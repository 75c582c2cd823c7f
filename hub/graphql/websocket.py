"""GraphQL subscriptions over WebSocket (``graphql-transport-ws``), on the caller's contract.

The token travels in ``connection_init``'s payload (``{"Authorization": "Bearer …"}``,
plus ``X-Purpose`` for agencies) because browsers cannot set headers on WebSockets. The
connection lives only as long as the token: when it expires the hub closes it with 4401
(the client connects again with a new token). Every event delivered is logged like a
request's reads (ACCESS-POLICY.md rule 6): before it is sent, and not sent when the log
cannot take it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import orjson
from graphql import GraphQLError, OperationType
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.types.execution import PreExecutionError

from hub.errors import RequestError, format_error
from hub.graphql.http import find_operation, parse_cached, validate_cached
from hub.state import HubState

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT = 10.0
TOKEN_EXPIRED = 4401
ACCESS_LOG_UNAVAILABLE = (
    "El registro de accesos no está disponible: el evento no se entregó. Suscríbase de nuevo."
)
log = logging.getLogger("qhub.graphql_ws")


class _PayloadHeaders:
    """Headers taken from connection_init's payload, shaped like a request for the authenticator."""

    def __init__(self, payload: dict[str, Any], websocket: WebSocket) -> None:
        lowered = {str(k).lower(): str(v) for k, v in payload.items() if isinstance(v, str)}
        self.headers = lowered
        self.client = websocket.client
        self.app = websocket.app
        self.query_params: dict[str, str] = {}


def websocket_endpoint(subgraph: str | None) -> Any:
    async def endpoint(websocket: WebSocket) -> None:
        from hub.routes_graphql import authenticate, contract_for
        from resolvers.context import RequestContext

        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.close(code=4406)
            return
        await websocket.accept(subprotocol=PROTOCOL)
        state: HubState = websocket.app.state.hub
        tasks: dict[str, asyncio.Task[None]] = {}
        expiry: asyncio.Task[None] | None = None
        try:
            try:
                first = await asyncio.wait_for(websocket.receive_json(), INIT_TIMEOUT)
            except TimeoutError:
                await websocket.close(code=4408, reason="Connection initialisation timeout")
                return
            if not isinstance(first, dict) or first.get("type") != "connection_init":
                await websocket.close(code=4400, reason="Se esperaba connection_init")
                return
            payload = first.get("payload") or {}
            try:
                principal = await authenticate(_PayloadHeaders(payload, websocket), state)
            except Exception:
                await websocket.close(code=4403, reason="Forbidden")
                return
            await websocket.send_json({"type": "connection_ack"})
            contract = contract_for(principal.role, subgraph)
            if principal.expires_at is not None:
                expiry = asyncio.create_task(_close_at_expiry(websocket, principal.expires_at))

            async def run(op_id: str, message: dict[str, Any]) -> None:
                ctx = RequestContext(state, principal, websocket)
                record = state.services.get("record_access")
                try:
                    body = message.get("payload") or {}
                    query = body.get("query")
                    if not isinstance(query, str):
                        raise RequestError(400, "Falta 'query'.", "BAD_REQUEST")
                    try:
                        document = parse_cached(query)
                    except GraphQLError as exc:
                        await _send_error(websocket, op_id, [exc], "GRAPHQL_PARSE_FAILED")
                        return
                    errors = validate_cached(contract.schema, query, document)
                    if errors:
                        await _send_error(websocket, op_id, errors, "GRAPHQL_VALIDATION_FAILED")
                        return
                    operation = find_operation(document, body.get("operationName"))
                    if operation is None or operation.operation is not OperationType.SUBSCRIPTION:
                        await websocket.send_json(
                            {
                                "type": "error",
                                "id": op_id,
                                "payload": [
                                    {
                                        "message": "Por WebSocket solo se sirven suscripciones.",
                                        "extensions": {"code": "BAD_REQUEST"},
                                    }
                                ],
                            }
                        )
                        return
                    # Strawberry runs the subscription (its extensions included)
                    stream = await contract.strawberry.subscribe(
                        query,
                        variable_values=body.get("variables"),
                        context_value=ctx,
                        operation_name=body.get("operationName"),
                    )
                    ctx.operation_name = operation.name.value if operation.name else None
                    async with contextlib.aclosing(stream):
                        if not await _deliver(websocket, op_id, stream, ctx, principal, record):
                            return
                    await websocket.send_json({"type": "complete", "id": op_id})
                except RequestError as exc:
                    await websocket.send_json(
                        {
                            "type": "error",
                            "id": op_id,
                            "payload": [{"message": exc.message, "extensions": {"code": exc.code}}],
                        }
                    )
                finally:
                    await ctx.close()
                    tasks.pop(op_id, None)

            while True:
                message = await websocket.receive_json()
                kind = message.get("type") if isinstance(message, dict) else None
                if kind == "ping":
                    await websocket.send_json({"type": "pong"})
                elif kind == "pong":
                    continue
                elif kind == "subscribe":
                    op_id = str(message.get("id") or "")
                    if not op_id or op_id in tasks:
                        await websocket.close(
                            code=4409, reason=f"Subscriber for {op_id} already exists"
                        )
                        return
                    tasks[op_id] = asyncio.create_task(run(op_id, message))
                elif kind == "complete":
                    task = tasks.pop(str(message.get("id")), None)
                    if task is not None:
                        task.cancel()
                elif kind == "connection_init":
                    await websocket.close(code=4429, reason="Too many initialisation requests")
                    return
                else:
                    await websocket.close(code=4400, reason="Mensaje desconocido")
                    return
        except (WebSocketDisconnect, RuntimeError, ValueError):
            pass
        finally:
            if expiry is not None:
                expiry.cancel()
            for task in list(tasks.values()):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    return endpoint


async def _deliver(
    websocket: WebSocket, op_id: str, stream: Any, ctx: Any, principal: Any, record: Any
) -> bool:
    """Send each event of ``stream``, logged before it is delivered; False when the
    operation ended with an error instead."""
    async for result in stream:
        if isinstance(result, PreExecutionError):  # no stream to follow
            await _send_error(websocket, op_id, result.errors or [], None)
            return False
        if _expired(principal.expires_at):
            break  # the expiry task closes the connection
        if ctx.reads and record is not None:
            try:
                await record(ctx, result)
            except Exception:
                log.exception("access log unavailable: event not delivered")
                await _send_error(
                    websocket,
                    op_id,
                    [GraphQLError(ACCESS_LOG_UNAVAILABLE)],
                    "ACCESS_LOG_UNAVAILABLE",
                )
                return False
        ctx.reads.clear()
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [format_error(e) for e in result.errors]
        await websocket.send_text(
            orjson.dumps({"type": "next", "id": op_id, "payload": out}).decode()
        )
    return True


async def _send_error(
    websocket: WebSocket, op_id: str, errors: list[GraphQLError], code: str | None
) -> None:
    await websocket.send_json(
        {
            "type": "error",
            "id": op_id,
            "payload": [format_error(e, default_code=code) for e in errors],
        }
    )


def _expired(expires_at: float | None) -> bool:
    return expires_at is not None and time.time() >= expires_at


async def _close_at_expiry(websocket: WebSocket, expires_at: float) -> None:
    """Close the connection when the token expires (4401): no event after that."""
    await asyncio.sleep(max(0.0, expires_at - time.time()))
    with contextlib.suppress(Exception):
        await websocket.close(code=TOKEN_EXPIRED, reason="Token expirado")
