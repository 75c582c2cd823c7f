"""``/v/{token}``: the certificate of validity a permit's or card's QR yields (no login),
made for a phone: the verdict first, big (icon, word, colour), then the holder's data;
``/v/{token}.pdf`` the same as a signed PDF; ``/documents/ca.pem``: the commission's signing
CA, for auditors and verifiers."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from hub.replica import unlogged_reads
from hub.security_headers import content_security_policy
from hub.state import HubState
from services.documents.certificate import (
    VERDICT,
    certificate_rows,
    consulted_at,
    render_certificate,
)
from services.documents.identity import identity_from_settings
from services.documents.permit import sign_pdf
from services.documents.service import Verification, verify_permit_token

STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
background:#f3f4f6;line-height:1.45;overflow-wrap:anywhere}
header{background:#0d2a54;color:#fff;padding:.8rem 1rem;border-bottom:4px solid #c8102e}
header p{margin:0;font-size:.85rem}
header strong{display:block;font-size:1rem}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.5rem 0 1rem}
.veredicto{display:flex;align-items:center;gap:1rem;padding:1rem;border-radius:.6rem;color:#fff}
.veredicto svg{flex:none;width:4rem;height:4rem}
.veredicto .palabra{display:block;font-size:2rem;font-weight:800;letter-spacing:.03em}
.valido{background:#0a6b2d}.no-valido{background:#a10e0e}
.mensaje{font-weight:600;margin:1rem 0}
dl{background:#fff;border-radius:.6rem;padding:.5rem 1rem;margin:0}
dl div{padding:.5rem 0;border-bottom:1px solid #e5e7eb}
dl div:last-child{border-bottom:0}
dt{font-size:.85rem;color:#4b5563}
dd{margin:0;font-weight:600}
footer{font-size:.85rem;color:#374151;margin-top:1rem}
a{color:#0d2a54}
"""
CHECK = (
    '<svg viewBox="0 0 64 64" aria-hidden="true"><circle cx="32" cy="32" r="30" fill="#fff"/>'
    '<path d="M18 33l9 9 19-20" fill="none" stroke="#0a6b2d" stroke-width="7"'
    ' stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
CROSS = (
    '<svg viewBox="0 0 64 64" aria-hidden="true"><circle cx="32" cy="32" r="30" fill="#fff"/>'
    '<path d="M21 21l22 22M43 21L21 43" stroke="#a10e0e" stroke-width="7"'
    ' stroke-linecap="round"/></svg>'
)


async def startup(state: HubState) -> None:
    settings = state.settings
    state.services["signing_identity"] = identity_from_settings(settings)


PAGE_CSP = content_security_policy(styles=[STYLE])


def render(v: Verification, token: str) -> str:
    ok = v.status == "valid"
    rows = "".join(
        f"<div><dt>{escape(k)}</dt><dd>{escape(val)}</dd></div>" for k, val in certificate_rows(v)
    )
    details = f"<dl>{rows}</dl>" if rows else ""
    pdf = (
        f'<p><a href="/v/{escape(token)}.pdf">Descargar la constancia firmada (PDF)</a></p>'
        if v.permit_id
        else ""
    )
    return f"""<!doctype html><html lang="es"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Constancia de validez: {VERDICT.get(v.status, "NO VÁLIDO")} — CEPR</title>
<style>{STYLE}</style></head><body>
<header><p>República del Perú · Ministerio de Relaciones Exteriores</p>
<strong>Comisión Especial para los Refugiados</strong></header>
<main>
<h1>Constancia de validez</h1>
<section class="veredicto {"valido" if ok else "no-valido"}" data-status="{v.status}"
 role="status">{CHECK if ok else CROSS}<div><span class="palabra">{
        VERDICT.get(v.status, "NO VÁLIDO")
    }</span></div></section>
<p class="mensaje">{escape(v.message)}</p>
{details}
{pdf}
<footer><p>Consulta realizada el {consulted_at()} en el registro de la Comisión.</p>
<p><a href="/verificar">Verificar otro documento</a> · <a href="/">Inicio</a></p></footer>
</main></body></html>"""


async def verification_page(request: Request) -> Response:
    """The constancia in HTML, or as a signed PDF when the path ends in ``.pdf``."""
    state: HubState = request.app.state.hub
    token: str = request.path_params["token"]
    as_pdf = token.endswith(".pdf")
    token = token.removesuffix(".pdf")
    async with unlogged_reads(state).connection() as conn:  # the replica's, if any
        result = await verify_permit_token(conn, token, state.services["keys"].verify_jws)
    status = 200 if result.status not in ("invalid", "unknown") else 404
    headers = {"Cache-Control": "no-store"}
    if as_pdf:
        pdf = await sign_pdf(
            render_certificate(result),
            state.services["signing_identity"],
            "Constancia de validez del registro de la Comisión",
        )
        return Response(
            pdf,
            status_code=status,
            media_type="application/pdf",
            headers={
                **headers,
                "Content-Disposition": 'inline; filename="constancia-de-validez.pdf"',
            },
        )
    # the page's one inline <style> is allowed by its hash (hub.security_headers)
    headers["Content-Security-Policy"] = PAGE_CSP
    return HTMLResponse(render(result, token), status_code=status, headers=headers)


async def ca_certificate(request: Request) -> Response:
    identity = request.app.state.hub.services["signing_identity"]
    return Response(identity.ca_pem, media_type="application/x-pem-file")


def routes() -> list[BaseRoute]:
    return [
        Route("/v/{token}", verification_page),
        Route("/documents/ca.pem", ca_certificate),
    ]
