"""POST /api/v1/health: the plain-HTTP twin of the `reportHealth` mutation, for serving agents.

Body: {"samples": [{"deployment_id", "at", "latency_p95_ms", ...}]}; header Idempotency-Key optional
(camelCase keys are accepted too). Authentication sets `request.state.principal` (an Actor).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.errors import PermissionDenied, RegistryError, Unauthenticated, ValidationFailed
from app.registry import history as h
from app.registry.actor import RequestMeta

STATUS = {
    "VALIDATION_FAILED": 422,
    "INTEGRITY_ERROR": 502,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "PERMISSION_DENIED": 403,
    "UNAUTHENTICATED": 401,
    "DEPENDENCY_UNAVAILABLE": 503,
}


def snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


async def health_ingest(request: Request) -> JSONResponse:
    try:
        meta = _meta(request)
        body = await _body(request)
        payload = {
            "samples": [
                {snake(k): v for k, v in s.items()} if isinstance(s, dict) else s for s in body.get("samples") or []
            ]
        }
        outcome = await h.run(request.app.state.services, meta, "report_health", payload)
    except RegistryError as exc:
        return _error(exc)
    if outcome.review is not None:
        return JSONResponse({"review": outcome.review}, status_code=202)
    return JSONResponse({"result": outcome.result, "replayed": outcome.replayed})


def _meta(request: Request) -> RequestMeta:
    actor = getattr(request.state, "principal", None)
    if actor is None:
        raise Unauthenticated("a bearer token is required")
    key = request.headers.get("idempotency-key")
    return RequestMeta(
        actor=actor, request_id=request.headers.get("x-request-id") or uuid.uuid4().hex, idempotency_key=key
    )


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed("body: must be JSON", field="body") from None
    if not isinstance(body, dict):
        raise ValidationFailed("body: must be a JSON object with `samples`", field="body")
    return body


def _error(exc: RegistryError) -> JSONResponse:
    body: dict[str, Any] = {"code": exc.code, "message": exc.message, "field": exc.field}
    if isinstance(exc, PermissionDenied):
        body["reasons"] = exc.reasons
    return JSONResponse({"error": body}, status_code=STATUS.get(exc.code, 400))
