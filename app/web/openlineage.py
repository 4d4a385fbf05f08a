"""POST /api/v1/lineage: accept OpenLineage RunEvents from any producer (see app/registry/openlineage.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.errors import RegistryError
from app.registry.openlineage import ingest
from app.web.http import error_response, json_object, request_meta


async def lineage_event(request: Request) -> JSONResponse:
    try:
        result = await ingest(request.app.state.services, request_meta(request), await json_object(request))
    except RegistryError as exc:
        return error_response(exc)
    return JSONResponse(result, status_code=201 if result["status"] != "acknowledged" else 200)
