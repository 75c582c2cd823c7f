"""The client's address: the peer, or — only when the peer is a configured trusted proxy
(``QHUB_TRUSTED_PROXIES``, comma-separated CIDRs) — the address that proxy saw,
from ``X-Forwarded-For``.

The forwarded list is read from the right: each proxy appends the address it received the
request from, so the rightmost address that is not itself a trusted proxy is the client.
Anything left of it was written by the client and is not believed. Without trusted
proxies the header is ignored entirely (anyone can send it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "desconocida"


@lru_cache(maxsize=8)
def parse_networks(spec: str | None) -> tuple[Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` -> networks; ``ValueError`` names a malformed entry."""
    if not spec:
        return ()
    networks = []
    for part in spec.split(","):
        part = part.strip()
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(f"QHUB_TRUSTED_PROXIES: «{part}» no es una red válida") from exc
    return tuple(networks)


def _is_trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted_spec: str | None) -> str:
    """The client's address for a request from ``peer`` carrying ``X-Forwarded-For``."""
    if not peer:
        return UNKNOWN
    trusted = parse_networks(trusted_spec)
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a proxy we trust would not write garbage: keep the peer
    return hops[0] if hops else peer


def request_address(request: Any) -> str:
    """``client_address`` for a Starlette request (or WebSocket) of the running hub."""
    client = getattr(request, "client", None)
    peer = client.host if client else None
    settings = request.app.state.hub.settings
    return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)


def throttle_key(address: str) -> str:
    """The key a per-address limit counts under: IPv6 by /64 (one subscriber's network)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)
