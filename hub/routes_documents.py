"""``/v/{token}``: the certificate of validity a permit's QR yields (no login);
``/documents/ca.pem``: the commission's signing CA, for auditors and verifiers."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from hub.state import HubState
from services.documents.certificate import render_certificate, vigencia
from services.documents.identity import identity_from_settings
from services.documents.permit import country_es, fecha
from services.documents.service import Verification, verify_permit_token


async def startup(state: HubState) -> None:
    settings = state.settings
    state.services["signing_identity"] = identity_from_settings(settings)


def render(v: Verification) -> str:
    ok = v.status == "valid"
    rows = ""
    if v.permit_id:
        items = [
            ("Nombres", v.given_names),
            ("Apellidos", v.surnames),
            ("Fecha de nacimiento", fecha(v.birth_date)),
            ("Lugar de nacimiento", country_es(v.country_of_birth)),
            ("Nacionalidad", country_es(v.nationality)),
            ("Documento", v.document),
            ("Vigencia", vigencia(v)),
            ("N.° de documento", v.permit_id),
        ]
        rows = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(str(val or '—'))}</td></tr>" for k, val in items
        )
    colour = "#0a6b2d" if ok else "#a11"
    return f"""<!doctype html><html lang="es"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Constancia de validez — CEPR</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
.estado{{border-left:6px solid {colour};padding:.5rem 1rem;background:#f6f6f6}}
th{{text-align:left;padding:.3rem 1rem .3rem 0;vertical-align:top}}</style></head><body>
<p>Comisión Especial para los Refugiados — Ministerio de Relaciones Exteriores del Perú</p>
<h1>Constancia de validez</h1>
<p class="estado" data-status="{v.status}"><strong>{escape(v.message)}</strong></p>
<table>{rows}</table></body></html>"""


async def verification_page(request: Request) -> Response:
    """The constancia in HTML, or as a PDF when the path ends in ``.pdf``."""
    state: HubState = request.app.state.hub
    token: str = request.path_params["token"]
    as_pdf = token.endswith(".pdf")
    token = token.removesuffix(".pdf")
    async with state.pool.connection() as conn:
        result = await verify_permit_token(conn, token, state.services["keys"].verify_jws)
    status = 200 if result.status not in ("invalid", "unknown") else 404
    if as_pdf:
        return Response(
            render_certificate(result),
            status_code=status,
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="constancia-de-validez.pdf"'},
        )
    return HTMLResponse(render(result), status_code=status)


async def ca_certificate(request: Request) -> Response:
    identity = request.app.state.hub.services["signing_identity"]
    return Response(identity.ca_pem, media_type="application/x-pem-file")


def routes() -> list[BaseRoute]:
    return [
        Route("/v/{token}", verification_page),
        Route("/documents/ca.pem", ca_certificate),
    ]
