"""Helpers shared by the plain-HTTP endpoints: who is asking, JSON bodies, error responses."""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.errors import PermissionDenied, RegistryError, Unauthenticated, ValidationFailed
from app.registry.actor import RequestMeta
from app.web import jsonbody

STATUS = {
    "BAD_REQUEST": 400,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "VALIDATION_FAILED": 422,
    "INTEGRITY_ERROR": 502,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "ALREADY_EXISTS": 409,
    "PERMISSION_DENIED": 403,
    "UNAUTHENTICATED": 401,
    "DEPENDENCY_UNAVAILABLE": 503,
}


CORRELATION_RULE = "1-128 characters: letters, digits, '.', '_', ':' or '-'"
CORRELATION_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def correlation_id(request: Request) -> str | None:
    """A client's X-Request-Id is kept only as a correlation field; the request id is always ours."""
    value = request.headers.get("x-request-id")
    if value is None:
        return None
    if not CORRELATION_PATTERN.fullmatch(value):
        raise ValidationFailed(f"X-Request-Id: must be {CORRELATION_RULE}", field="X-Request-Id")
    return value


def request_meta(request: Request) -> RequestMeta:
    """The authenticated caller (set by the auth middleware), a server-made request id, the client's
    correlation id and Idempotency-Key."""
    actor = getattr(request.state, "principal", None)
    if actor is None:
        raise Unauthenticated("a bearer token is required")
    return RequestMeta(
        actor=actor,
        request_id=str(request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex),
        idempotency_key=request.headers.get("idempotency-key"),
        correlation_id=correlation_id(request),
    )


async def json_object(request: Request) -> dict[str, Any]:
    settings = request.app.state.services.settings
    body = jsonbody.loads(await request.body(), max_depth=settings.max_json_depth)
    if not isinstance(body, dict):
        raise ValidationFailed("body: must be a JSON object", field="body")
    return body


def error_response(exc: RegistryError) -> JSONResponse:
    body: dict[str, Any] = {"code": exc.code, "message": exc.message, "field": exc.field}
    if isinstance(exc, PermissionDenied):
        body["reasons"] = exc.reasons
    return JSONResponse({"error": body}, status_code=STATUS.get(exc.code, 400))
