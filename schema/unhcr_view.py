"""Area module of UNHCR's subgraph."""

from schema.agency_views import UNHCR_QUERIES as QUERIES

MUTATIONS: list[type] = []
SUBSCRIPTIONS: list[type] = []
TYPES: list[type] = []
__all__ = ["MUTATIONS", "QUERIES", "SUBSCRIPTIONS", "TYPES"]
