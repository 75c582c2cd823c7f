"""Resolvers of ``explainAccess`` and ``whoami``."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from auth.explain import FieldAccess, explain
from services.errors import FieldProblem, ValidationFailed


def explain_access(info: strawberry.Info, field: str | None) -> list[FieldAccess]:
    from auth.direct_resolvers import graphql_schema_of
    from schema.build import full_schema

    principal = info.context.principal
    type_map = graphql_schema_of(full_schema()).type_map
    names: list[tuple[str, str]] = []
    if field:
        type_name, _, field_name = field.partition(".")
        graphql_type = type_map.get(type_name)
        fields = getattr(graphql_type, "fields", None)
        if fields is None or (field_name and field_name not in fields):
            raise ValidationFailed(
                [FieldProblem(("field",), "UNKNOWN_FIELD", f"No existe «{field}» en el esquema.")]
            )
        names = [(type_name, f) for f in ([field_name] if field_name else fields)]
    else:
        for type_name, graphql_type in type_map.items():
            if type_name.startswith("_") or not hasattr(graphql_type, "fields"):
                continue
            names += [(type_name, f) for f in graphql_type.fields]
    answers = [explain(principal.role, t, f) for t, f in names]
    if not field:
        # The whole list shows only what the caller's contract has; asking about one
        # field by name tells why it is not there.
        answers = [a for a in answers if a.allowed]
    return answers


@dataclass
class Caller:
    role: str
    agency: str
    office_code: str | None
    purpose: str | None
    purposes: list[str]


def whoami(info: strawberry.Info) -> Caller:
    p = info.context.principal
    return Caller(
        p.role.value,
        p.agency.value,
        p.office_code,
        p.purpose.value if p.purpose else None,
        sorted(x.value for x in p.purposes),
    )
