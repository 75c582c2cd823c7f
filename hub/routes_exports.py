"""``GET /exports/unhcr-needs.csv``: UNHCR's specific-needs export as a file download.

The same export as the ``unhcrNeedsExport`` query, for tools that want a file: the
caller's bearer token and purpose (``X-Purpose``) are checked as for ``/graphql``, the
filters are query parameters (repeat a parameter or separate values with commas), and
every person in the file is recorded in the access log before the file is sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from auth.principal import ANONYMOUS
from hub.errors import RequestError, problem_list
from hub.routes_graphql import (
    AccessNotLogged,
    access_log_unavailable,
    principal_of,
    record_request,
)
from hub.state import HubState
from models.vocab import CaseStatus
from resolvers.agency_views import export_needs
from resolvers.context import RequestContext
from services.case_list import CaseFilter
from services.errors import DomainError, FieldProblem, ValidationFailed

_STATUSES = {s.value: s for s in CaseStatus} | {s.name.lower(): s for s in CaseStatus}


def _values(request: Request, name: str) -> tuple[str, ...]:
    found: list[str] = []
    for raw in request.query_params.getlist(name):
        found.extend(v.strip() for v in raw.split(",") if v.strip())
    return tuple(found)


def case_filter_from_query(request: Request) -> CaseFilter:
    """The export's filter from the query string; every bad value is reported at once."""
    problems: list[FieldProblem] = []
    statuses: list[CaseStatus] = []
    for value in _values(request, "status"):
        status = _STATUSES.get(value.lower())
        if status is None:
            problems.append(
                FieldProblem(("status",), "UNKNOWN_STATUS", f"Estado desconocido: «{value}».")
            )
        else:
            statuses.append(status)
    days: dict[str, date | None] = {}
    for name in ("filedFrom", "filedTo"):
        raw = request.query_params.get(name)
        days[name] = None
        if raw:
            try:
                days[name] = date.fromisoformat(raw)
            except ValueError:
                problems.append(
                    FieldProblem(
                        (name,), "INVALID_DATE", f"Fecha no válida: «{raw}»; use AAAA-MM-DD."
                    )
                )
    if problems:
        raise ValidationFailed(problems)
    return CaseFilter(
        office_codes=tuple(v.upper() for v in _values(request, "office")),
        statuses=tuple(statuses),
        need_codes=tuple(v.upper() for v in _values(request, "need")),
        nationalities=tuple(v.upper() for v in _values(request, "nationality")),
        filed_from=days["filedFrom"],
        filed_to=days["filedTo"],
    )


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extra}}]},
        status_code=status,
    )


async def unhcr_needs_csv(request: Request) -> Response:
    state: HubState = request.app.state.hub
    try:
        principal = await principal_of(request, state)
    except RequestError as exc:
        return _error(exc.status, exc.code, exc.message)
    if principal is ANONYMOUS:
        return _error(401, "UNAUTHENTICATED", "Inicie sesión para descargar la exportación.")
    ctx = RequestContext(state, principal, request)
    ctx.operation_name = "unhcrNeedsExport"
    try:
        export = await export_needs(ctx, case_filter_from_query(request))
        await record_request(ctx, None)
    except ValidationFailed as exc:
        return _error(400, exc.code, exc.message, problems=problem_list(exc.problems))
    except DomainError as exc:
        return _error(403 if exc.code == "FORBIDDEN" else 400, exc.code, exc.message)
    except AccessNotLogged:
        return access_log_unavailable("la exportación no se entregó.")
    finally:
        await ctx.close()
    return Response(
        export.csv,
        media_type=export.content_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def routes() -> list[BaseRoute]:
    return [Route("/exports/unhcr-needs.csv", unhcr_needs_csv)]
