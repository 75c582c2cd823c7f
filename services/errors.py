"""Domain errors: a stable code for programs, a Spanish message for people, the field path.

The GraphQL layer maps these to ``GraphQLError`` with ``extensions.code``; services
raise them and never know about GraphQL or HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input value: where it is, a stable code, and what to do about it (Spanish)."""

    path: tuple[str | int, ...]
    code: str
    message: str


@dataclass
class DomainError(Exception):
    """Base class of every error a caller can cause. ``code`` is stable; ``message`` is Spanish."""

    message: str
    code: str = "BAD_REQUEST"
    problems: Sequence[FieldProblem] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        super().__init__(self.message)


class ValidationFailed(DomainError):
    def __init__(self, problems: Sequence[FieldProblem], message: str | None = None) -> None:
        super().__init__(
            message or "Los datos enviados no son válidos; revise los campos señalados.",
            "VALIDATION_FAILED",
            tuple(problems),
        )


class NotFound(DomainError):
    def __init__(self, message: str, code: str = "NOT_FOUND") -> None:
        super().__init__(message, code)


class Conflict(DomainError):
    def __init__(self, message: str, code: str = "CONFLICT") -> None:
        super().__init__(message, code)


class Forbidden(DomainError):
    def __init__(self, message: str = "No tiene permiso para esta operación.") -> None:
        super().__init__(message, "FORBIDDEN")
