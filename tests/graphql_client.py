"""Posting a GraphQL operation to a running hub as an officer (tests over HTTP)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import LiveHub


def gql(hub: LiveHub, token: str, query: str, **variables: Any) -> dict[str, Any]:
    """The response body of ``query`` with ``variables``, sent with ``token``."""
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return response.json()  # type: ignore[no-any-return]
