"""GraphQL over HTTP (the GraphQL-over-HTTP spec, MUST and SHOULD), executed on a role's contract.

Why not Strawberry's own view: the hub picks a different executable schema (the
caller's contract) per request, caches parsing and validation per contract, and
follows the spec's status codes for ``application/graphql-response+json``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from auth.direct_resolvers import graphql_schema_of
from hub import availability, stall_watch
from hub.errors import RequestError, format_error
from hub.graphql import demand_control, input_caps, persisted_queries
from hub.graphql.document_cache import DocumentCache
from hub.graphql.execution import Unfinished, execute_and_finish
from hub.graphql.execution import run_operation as run_operation
from hub.graphql.validation_rules import validate_document

log = logging.getLogger("qhub.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None
    # the hash to register the text under once it validates (persisted queries)
    register_as: str | None = None


# Parsed and validated documents, bounded by bytes; invalid ones are never kept.
DOCUMENTS = DocumentCache()


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header; ``RequestError`` 406 when none fits."""
    if not accept:
        return JSON
    best: tuple[float, int, str] | None = None
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        q = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media == GRAPHQL_RESPONSE:
            chosen = GRAPHQL_RESPONSE
        elif media in (JSON, "*/*", "application/*"):
            chosen = JSON
        else:
            continue
        if q <= 0:
            continue
        # Highest q wins; on a tie, the first listed.
        candidate = (q, -index, chosen)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        raise RequestError(
            406,
            "El servidor solo responde application/graphql-response+json o application/json.",
            "NOT_ACCEPTABLE",
        )
    return best[2]


def _json_field(value: Any, name: str, from_query_string: bool) -> dict[str, Any] | None:
    if value is None:
        return None
    if from_query_string and isinstance(value, str):
        if value == "":
            return None
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise RequestError(
                400, f"El parámetro '{name}' no es JSON válido.", "BAD_REQUEST"
            ) from exc
        if value is None:
            return None
    if not isinstance(value, dict):
        raise RequestError(400, f"El parámetro '{name}' debe ser un objeto JSON.", "BAD_REQUEST")
    return value


async def params_from(
    data: Any, from_query_string: bool, persisted: persisted_queries.Store | None = None
) -> GraphQLParams:
    if not isinstance(data, dict):
        raise RequestError(400, "El cuerpo debe ser un objeto JSON.", "BAD_REQUEST")
    extensions = _json_field(data.get("extensions"), "extensions", from_query_string)
    query = await persisted_queries.resolve(data.get("query"), extensions, persisted)
    if query is None:
        raise RequestError(400, "Falta el parámetro 'query'.", "BAD_REQUEST")
    if not isinstance(query, str):
        raise RequestError(400, "El parámetro 'query' debe ser un texto.", "BAD_REQUEST")
    register_as = persisted_queries.to_register(query, extensions)
    operation_name = data.get("operationName")
    if operation_name == "" and from_query_string:
        operation_name = None
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "El parámetro 'operationName' debe ser un texto.", "BAD_REQUEST")
    return GraphQLParams(
        query=query,
        variables=_json_field(data.get("variables"), "variables", from_query_string),
        operation_name=operation_name,
        extensions=extensions,
        register_as=register_as,
    )


def _persisted_store(request: Request) -> persisted_queries.Store | None:
    hub = getattr(request.app.state, "hub", None)
    return hub.services.get("persisted_queries") if hub is not None else None


async def read_params(request: Request) -> GraphQLParams:
    persisted = _persisted_store(request)
    if request.method == "GET":
        return await params_from(dict(request.query_params), True, persisted)
    if request.method != "POST":
        raise RequestError(
            405, "Método no permitido.", "METHOD_NOT_ALLOWED", {"Allow": "GET, POST"}
        )
    content_type = request.headers.get("content-type")
    if not content_type:
        raise RequestError(415, "Falta la cabecera Content-Type.", "UNSUPPORTED_MEDIA_TYPE")
    media, *options = [p.strip().lower() for p in content_type.split(";")]
    if media != JSON:
        raise RequestError(
            415, "El cuerpo debe enviarse como application/json.", "UNSUPPORTED_MEDIA_TYPE"
        )
    for option in options:
        if option.startswith("charset=") and option[8:].strip('"') not in ("utf-8", "utf8"):
            raise RequestError(
                415, "Solo se acepta la codificación utf-8.", "UNSUPPORTED_MEDIA_TYPE"
            )
    body = await request.body()
    if not body:
        raise RequestError(400, "La solicitud POST necesita un cuerpo.", "BAD_REQUEST")
    if len(body) > MAX_BODY:
        raise RequestError(
            413, "El cuerpo de la solicitud es demasiado grande.", "PAYLOAD_TOO_LARGE"
        )
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise RequestError(400, "El cuerpo no es JSON válido.", "BAD_REQUEST") from exc
    return await params_from(data, False, persisted)


def parse_cached(query: str) -> DocumentNode:
    """``GraphQLError`` when the text is over a demand limit (before parsing) or does
    not parse."""
    return DOCUMENTS.parse(query)


def validate_cached(
    schema: GraphQLSchema, query: str, document: DocumentNode
) -> list[GraphQLError]:
    return DOCUMENTS.validate(schema, query, document, validate_document)


def find_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    for op in operations:
        if op.name and op.name.value == name:
            return op
    return None


def _respond(
    body: dict[str, Any], status: int, media: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers=headers,
    )


def request_error_response(error: RequestError, media: str) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    return _respond(body, error.status, media, error.headers)


# -> (the caller's Strawberry schema, the request's context)
Prepare = Callable[[Request], Awaitable[tuple[Any, Any]]]
Finish = Callable[[Any, ExecutionResult | None], Awaitable[None]]


async def handle(
    request: Request,
    prepare: Prepare,
    finish: Finish,
    ide_html: Callable[[], str] | None = None,
    needs_token: Callable[[Any, str, DocumentNode], bool] | None = None,
) -> Response:
    """Serve one GraphQL-over-HTTP request.

    ``prepare`` authenticates and returns (the caller's Strawberry schema, context);
    ``finish`` runs after execution (access log, connection release) whatever happened.
    """
    accept = request.headers.get("accept")
    if (
        request.method == "GET"
        and ide_html is not None
        and "text/html" in (accept or "")
        and "query" not in request.query_params
    ):
        return HTMLResponse(ide_html())
    try:
        media = negotiate(accept)
    except RequestError as exc:
        return request_error_response(exc, JSON)
    try:
        params = await read_params(request)
        runner, context = await prepare(request)
        schema = graphql_schema_of(runner)
    except RequestError as exc:
        return request_error_response(exc, media)
    result: ExecutionResult | None = None
    handed_over = False
    try:
        try:
            document = parse_cached(params.query)
        except GraphQLError as exc:
            return _request_failed([exc], media, "GRAPHQL_PARSE_FAILED")
        errors = validate_cached(schema, params.query, document)
        if errors:
            if needs_token is not None and needs_token(context, params.query, document):
                return request_error_response(
                    RequestError(
                        401,
                        "Esta consulta necesita un token de acceso (Authorization: Bearer …).",
                        "UNAUTHENTICATED",
                        {"WWW-Authenticate": 'Bearer realm="qoricancha"'},
                    ),
                    media,
                )
            return _request_failed(errors, media, "GRAPHQL_VALIDATION_FAILED")
        if params.register_as is not None:  # a valid document only
            await persisted_queries.register(
                _persisted_store(request), params.register_as, params.query
            )
        operation = find_operation(document, params.operation_name)
        if operation is None:
            return request_error_response(
                RequestError(400, "No se encontró la operación indicada.", "OPERATION_NOT_FOUND"),
                media,
            )
        if request.method == "GET" and operation.operation is not OperationType.QUERY:
            return request_error_response(
                RequestError(
                    405,
                    "Por GET solo se permiten consultas; use POST.",
                    "METHOD_NOT_ALLOWED",
                    {"Allow": "POST"},
                ),
                media,
            )
        principal = getattr(context, "principal", None)
        variables = params.variables
        if variables and operation.variable_definitions and demand_control.sized_by(variables):
            # list sizes may come from the variables: cost this request's values
            cost = demand_control.operation_cost(schema, document, operation, variables)
        else:
            cost = DOCUMENTS.cost(schema, params.query, document).get(
                operation.name.value if operation.name else None, 0
            )
        over_budget = demand_control.refusal(cost, getattr(principal, "role", None))
        if over_budget is not None:
            return _request_failed([over_budget], media, "COST_LIMIT_EXCEEDED")
        if operation.operation is OperationType.SUBSCRIPTION:
            return request_error_response(
                RequestError(
                    400,
                    "Las suscripciones se sirven por WebSocket (graphql-transport-ws).",
                    "SUBSCRIPTION_OVER_HTTP",
                ),
                media,
            )
        if hasattr(context, "operation_name"):
            context.operation_name = params.operation_name or (
                operation.name.value if operation.name else None
            )
        if operation.operation is OperationType.MUTATION and hasattr(context, "mutation_fields"):
            context.mutation_fields = [
                sel.name.value
                for sel in operation.selection_set.selections
                if isinstance(sel, FieldNode)
            ]
            context.mutation_variables = params.variables
        capped = None
        if operation.operation is OperationType.MUTATION or input_caps.may_hold_controls(
            await request.body() if request.method == "POST" else unquote(request.url.query),
            params.query,
        ):
            # every text a mutation is given capped, no control character in any argument
            capped = input_caps.refusal(schema, document, operation, params.variables)

        watch = stall_watch.of(request)
        if watch is not None and watch.stalled.is_set():
            return request_error_response(stall_watch.stalled_refusal(), media)
        # from here the work finishes the request itself, also when it is left to finish
        # in the background (a database that stopped answering: hub.stall_watch)
        handed_over = True
        try:
            work = execute_and_finish(
                context,
                lambda: run_operation(runner, context, params, document),
                capped,
                finish,
            )
            result = await (watch.run(work) if watch is not None else work)
        except stall_watch.DatabaseStalled:
            return request_error_response(stall_watch.stalled_refusal(), media)
        except Unfinished as unfinished:
            assert unfinished.__cause__ is not None
            raise unfinished.__cause__ from None
        except TimeoutError:
            return request_error_response(availability.deadline_exceeded(), media)
        except Exception as exc:
            refusal = availability.database_refusal(exc)
            if refusal is None:
                raise
            return request_error_response(refusal, media)
    finally:
        if not handed_over:
            await finish(context, result)
    unavailable = availability.refusal_in(result.errors)
    if unavailable is not None:
        return request_error_response(unavailable, media)
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        # Variables that could not be coerced: a request error, nothing executed.
        return _respond(body, 400 if media == GRAPHQL_RESPONSE else 200, media)
    body["data"] = result.data
    if result.extensions:  # what Strawberry's extensions add (tracing, …)
        body["extensions"] = result.extensions
    return _respond(body, 200, media)


def _request_failed(errors: list[GraphQLError], media: str, code: str) -> Response:
    body = {"errors": [format_error(e, default_code=code) for e in errors]}
    return _respond(body, 400 if media == GRAPHQL_RESPONSE else 200, media)
