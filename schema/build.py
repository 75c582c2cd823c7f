"""Assembly of the hub's GraphQL schemas: the whole schema and each federation subgraph.

Each area module under ``schema/`` exposes ``QUERIES``, ``MUTATIONS``, ``SUBSCRIPTIONS``
(lists of Strawberry types whose fields are merged into the root types) and ``TYPES``
(extra types to include). Subgraphs are named sets of areas over the same database.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

import strawberry
from strawberry.tools import merge_types

# area name -> module. Add one line per area.
AREAS: dict[str, str] = {
    "core": "schema.core",
    "access": "schema.access",
    "audit": "schema.audit",
    "importing": "schema.importing",
    "migration": "schema.migration",
    "statistics": "schema.statistics",
    "health_view": "schema.health_view",
    "unhcr_view": "schema.unhcr_view",
    "documents": "schema.documents",
    "casework": "schema.casework",
    "casework_registration": "schema.casework_registration",
    "duplicates": "schema.duplicates",
    "identity_search": "schema.identity_search",
    "case_search": "schema.case_search",
    "self_service": "schema.self_service",
    "console_casework": "schema.console_casework",
}

# subgraph name -> areas it serves. Served at /subgraphs/<name>/graphql.
# Each root field lives in one subgraph (``access`` is shareable); the entity and value
# types (Person, Case, …) are shareable, so views may return them.
SUBGRAPHS: dict[str, list[str]] = {
    "cases": [
        "core",
        "access",
        "audit",
        "statistics",
        "importing",
        "documents",
        "casework",
        "casework_registration",
        "duplicates",
        "identity_search",
        "case_search",
        "self_service",
        "console_casework",
    ],
    "migration": ["migration", "access"],
    "health": ["health_view", "access"],
    "unhcr": ["unhcr_view", "access"],
}

FEDERATION_VERSION = "2.9"


def _modules(areas: list[str]) -> list[ModuleType]:
    return [importlib.import_module(AREAS[a]) for a in areas if a in AREAS]


def _merged(name: str, parts: list[type]) -> type | None:
    if not parts:
        return None
    return merge_types(name, tuple(parts))


def build_schema(areas: list[str] | None = None) -> strawberry.federation.Schema:
    """A Federation 2 schema of the given areas (all of them by default)."""
    from auth.enforce import annotate_federation_directives

    modules = _modules(areas if areas is not None else list(AREAS))
    queries = [t for m in modules for t in getattr(m, "QUERIES", [])]
    mutations = [t for m in modules for t in getattr(m, "MUTATIONS", [])]
    subscriptions = [t for m in modules for t in getattr(m, "SUBSCRIPTIONS", [])]
    types = [t for m in modules for t in getattr(m, "TYPES", [])]

    def make() -> strawberry.federation.Schema:
        return strawberry.federation.Schema(
            query=_merged("Query", queries),
            mutation=_merged("Mutation", mutations),
            subscription=_merged("Subscription", subscriptions),
            types=types,
            federation_version=FEDERATION_VERSION,  # type: ignore[arg-type]
        )

    # The policy's federation directives are attached to the field definitions found
    # in a first build; the second build then carries them (and their @link imports).
    annotate_federation_directives(make())
    return make()


@cache
def full_schema() -> strawberry.federation.Schema:
    return build_schema()


@cache
def subgraph_schema(name: str) -> strawberry.federation.Schema:
    return build_schema(SUBGRAPHS[name])
