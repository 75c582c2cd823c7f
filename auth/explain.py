"""``explainAccess``: what the policy says about a field for a role, and why — from the
same declaration and the same lookup that the contracts enforce."""

from __future__ import annotations

from dataclasses import dataclass

from auth.enforce import allowed_scope
from auth.policy import Scope, field_category
from models.vocab import Role


@dataclass(frozen=True)
class FieldAccess:
    """What the policy says about one field for one role (for ``explainAccess``)."""

    type_name: str
    field_name: str
    category: str | None
    allowed: bool
    condition: str | None
    reason: str


def explain(role: Role, type_name: str, field_name: str) -> FieldAccess:
    """Why ``role`` may or may not use a field — from the same declaration that is enforced."""
    category = field_category(type_name, field_name)
    if category is None:
        return FieldAccess(
            type_name,
            field_name,
            None,
            False,
            None,
            "El campo no tiene política declarada: no se entrega a nadie.",
        )
    scope = allowed_scope(role, type_name, field_name)
    verb = "escribir" if type_name == "Mutation" else "leer"
    if scope is None:
        return FieldAccess(
            type_name,
            field_name,
            category,
            False,
            None,
            f"El rol «{role.value}» no puede {verb} datos de la categoría «{category}».",
        )
    condition = None if scope is Scope.ALL else scope.value
    reason = f"El rol «{role.value}» puede {verb} la categoría «{category}»" + (
        "." if condition is None else f" con la condición «{condition}»."
    )
    return FieldAccess(type_name, field_name, category, True, condition, reason)
