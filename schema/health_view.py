"""Area module of the Health Ministry's subgraph."""

from schema.agency_views import HEALTH_QUERIES as QUERIES

MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
__all__ = ["MUTATIONS", "QUERIES", "SUBSCRIPTIONS", "TYPES"]
