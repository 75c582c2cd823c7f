"""How errors leave the hub: a stable ``extensions.code``, a Spanish message, no stack trace."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError

from hub.graphql.coercion_errors import coercion_problem
from services.errors import DomainError, FieldProblem, ValidationFailed

log = logging.getLogger("qhub.errors")

VALIDATION_MESSAGE = ValidationFailed([]).message
_VALIDATION_PREFIX = "Consulta GraphQL no válida: "
_PARSE_PREFIX = "La consulta GraphQL no se puede leer: "


def problem_list(problems: Iterable[FieldProblem]) -> list[dict[str, Any]]:
    """Invalid input values as JSON: field path, stable code, Spanish message."""
    return [{"path": list(p.path), "code": p.code, "message": p.message} for p in problems]


def format_error(error: GraphQLError, default_code: str | None = None) -> dict[str, Any]:
    """The JSON form of one error, mapped from domain errors where there is one."""
    formatted: dict[str, Any] = error.formatted  # type: ignore[assignment]
    original = error.original_error
    extensions = dict(formatted.get("extensions") or {})
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        extensions["code"] = original.code
        if original.problems:
            extensions["problems"] = problem_list(original.problems)
    elif original is not None and not isinstance(original, GraphQLError):
        # A bug: log it with its traceback, tell the caller nothing internal.
        log.error("unexpected error at %s", error.path, exc_info=original)
        formatted["message"] = "Error interno del servidor; el incidente quedó registrado."
        extensions["code"] = "INTERNAL_SERVER_ERROR"
    elif "code" not in extensions:
        if default_code == "GRAPHQL_PARSE_FAILED":
            formatted["message"] = _PARSE_PREFIX + error.message
        elif default_code == "GRAPHQL_VALIDATION_FAILED":
            formatted["message"] = _VALIDATION_PREFIX + error.message
        elif error.path is None and default_code is None:
            # Variable coercion and other request-level errors from graphql-core.
            default_code = "BAD_USER_INPUT"
            formatted["message"] = "Variables no válidas: " + error.message
            problem = coercion_problem(error.message)
            if problem is not None:  # a badly typed value: Spanish, with the field's path
                default_code = "VALIDATION_FAILED"
                formatted["message"] = VALIDATION_MESSAGE
                extensions["problems"] = problem_list([problem])
        extensions["code"] = default_code or "BAD_USER_INPUT"
    formatted["extensions"] = extensions
    return formatted


class RequestError(Exception):
    """The request is not a well-formed GraphQL-over-HTTP request (nothing executed)."""

    def __init__(self, status: int, message: str, code: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}
