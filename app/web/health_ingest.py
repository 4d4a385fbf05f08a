"""POST /api/v1/health: the plain-HTTP twin of the `reportHealth` mutation, for serving agents.

Body: {"samples": [{"deployment_id", "at", "latency_p95_ms", ...}]}; header Idempotency-Key optional
(camelCase keys are accepted too). Authentication sets `request.state.principal` (an Actor).
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.errors import RegistryError
from app.registry.commands.history import ReportHealth
from app.registry.execute import execute
from app.web.http import error_response, json_object, request_meta


def snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


async def health_ingest(request: Request) -> JSONResponse:
    try:
        meta = request_meta(request)
        body = await json_object(request)
        payload = {
            "samples": [
                {snake(k): v for k, v in s.items()} if isinstance(s, dict) else s for s in body.get("samples") or []
            ]
        }
        outcome = await execute(request.app.state.services, meta, ReportHealth.from_payload(payload))
    except RegistryError as exc:
        return error_response(exc)
    if outcome.review is not None:
        return JSONResponse({"review": outcome.review}, status_code=202)
    return JSONResponse({"result": outcome.result, "replayed": outcome.replayed})
