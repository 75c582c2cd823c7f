"""Real access tokens for benchmarks, minted with the hub's local key (like `qhub token`)."""

from __future__ import annotations

from models.vocab import Role


def bench_token(role: str, **claims: object) -> str:
    from hub.routes_auth import issuer_for
    from hub.settings import load_settings

    issuer = issuer_for(load_settings())
    return issuer.mint(Role(role), ttl_seconds=3600, **claims)  # type: ignore[arg-type]
