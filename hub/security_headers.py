"""Security headers of every HTML page the hub serves (console, GraphiQL, ``/v/{token}``,
and any page added later): a Content-Security-Policy without inline script (inline
styles only by hash), no framing, no MIME sniffing, no referrer.

``hub.front`` adds them to every ``text/html`` response that does not set its own CSP; a
page with an inline ``<style>`` sets ``content_security_policy(styles=[css])``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable


def source_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(styles: Iterable[str] = (), scripts: Iterable[str] = ()) -> str:
    """The hub's policy: everything from the hub itself, nothing inline but what is hashed."""
    style_src = " ".join(["'self'", *(source_hash(s) for s in styles)])
    script_src = " ".join(["'self'", *(source_hash(s) for s in scripts)])
    return (
        "default-src 'self'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        "img-src 'self' data:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


DEFAULT_CSP = content_security_policy()

# Raw ASGI headers (lower-case names), added when the response lacks them.
HTML_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", DEFAULT_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def is_html(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.lower().startswith(b"text/html")
    return False


def with_html_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` plus every security header they do not already carry."""
    present = {name.lower() for name, _ in headers}
    return headers + [h for h in HTML_HEADERS if h[0] not in present]
