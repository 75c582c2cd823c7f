"""``/statistics.csv?dims=sex,nationality``: a table of the current release as CSV, no
login. Every text cell passes ``services.csv_safety`` (no spreadsheet formulas)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub.errors import problem_list
from hub.replica import unlogged_reads
from hub.state import HubState
from services.errors import Conflict, DomainError, ValidationFailed
from services.statistics import statistics


async def statistics_csv(request: Request) -> Response:
    state: HubState = request.app.state.hub
    dims = [d for d in request.query_params.get("dims", "").split(",") if d]
    try:
        async with unlogged_reads(state).connection() as conn:  # the replica's, if any
            table = await statistics(conn, dims, state.settings.stats_suppression_threshold)
    except ValidationFailed as exc:
        return JSONResponse(
            {"error": exc.code, "message": exc.message, "problems": problem_list(exc.problems)},
            status_code=400,
        )
    except Conflict as exc:  # the first release is being built by another request
        return JSONResponse(
            {"error": exc.code, "message": exc.message},
            status_code=503,
            headers={"Retry-After": "5"},
        )
    except DomainError as exc:
        return JSONResponse({"error": exc.code, "message": exc.message}, status_code=404)
    release = table.release
    name = "estadisticas-" + "-".join(d.value for d in table.dimensions)
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.csv"',
        "X-Statistics-Release": str(release.version),
        "X-Statistics-Reference-Date": release.reference_date.isoformat(),
        "X-Statistics-Method": release.method,
    }
    if table.margin95 is not None:  # the table's accuracy travels with it
        headers["X-Statistics-Margin95"] = str(table.margin95)
    return Response(table.to_csv(), media_type="text/csv; charset=utf-8", headers=headers)


def routes() -> list[BaseRoute]:
    return [Route("/statistics.csv", statistics_csv)]
