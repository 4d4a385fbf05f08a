"""Typed exceptions for every failure the registry answers: each error member of a payload union, each
GraphQL error code and each REST error body becomes one of these (nothing comes back silently empty)."""

from __future__ import annotations

from typing import Any


class ModelGraphError(Exception):
    """Root of the client's errors: a stable `code`, a message safe to show and the field to blame."""

    code = "ERROR"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class ValidationFailed(ModelGraphError):
    code = "VALIDATION_FAILED"


class NotFound(ModelGraphError):
    code = "NOT_FOUND"


class Conflict(ModelGraphError):
    code = "CONFLICT"


class Unauthenticated(ModelGraphError):
    code = "UNAUTHENTICATED"


class PermissionDenied(ModelGraphError):
    code = "PERMISSION_DENIED"

    def __init__(self, message: str, *, reasons: list[str] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.reasons = list(reasons or [])


class ReviewRequired(ModelGraphError):
    """Policy routed the change to a review; it is applied when an approver approves `review_id`."""

    code = "REVIEW_REQUIRED"

    def __init__(self, message: str, *, review_id: str, reasons: list[str] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.review_id = review_id
        self.reasons = list(reasons or [])


class Unavailable(ModelGraphError):
    """The registry or one of its dependencies did not answer (after the client's retries)."""

    code = "UNAVAILABLE"


class IntegrityError(ModelGraphError):
    """Bytes did not match their digest (a download, or an upload the server stored differently)."""

    code = "INTEGRITY_ERROR"


BY_TYPENAME: dict[str, type[ModelGraphError]] = {
    "ValidationError": ValidationFailed,
    "NotFoundError": NotFound,
    "ConflictError": Conflict,
    "PermissionDeniedError": PermissionDenied,
    "UnavailableError": Unavailable,
    "ReviewRequired": ReviewRequired,
}

BY_CODE: dict[str, type[ModelGraphError]] = {
    "VALIDATION_FAILED": ValidationFailed,
    "BAD_REQUEST": ValidationFailed,
    "PAYLOAD_TOO_LARGE": ValidationFailed,
    "QUERY_TOO_COSTLY": ValidationFailed,
    "GRAPHQL_VALIDATION_FAILED": ValidationFailed,
    "NOT_FOUND": NotFound,
    "CONFLICT": Conflict,
    "ALREADY_EXISTS": Conflict,
    "UNAUTHENTICATED": Unauthenticated,
    "PERMISSION_DENIED": PermissionDenied,
    "REVIEW_REQUIRED": ReviewRequired,
    "DEPENDENCY_UNAVAILABLE": Unavailable,
    "OVERLOADED": Unavailable,
    "REQUEST_TIMEOUT": Unavailable,
    "INTEGRITY_ERROR": IntegrityError,
}


def from_error(body: dict[str, Any], typename: str | None = None) -> ModelGraphError:
    """Build the typed exception for an error object (payload member, GraphQL error or REST body)."""
    code = str(body.get("code") or "ERROR")
    cls = BY_TYPENAME.get(typename or "") or BY_CODE.get(code, ModelGraphError)
    if code == "UNAUTHENTICATED":
        cls = Unauthenticated
    message = str(body.get("message") or code)
    field = body.get("field")
    reasons = body.get("reasons")
    if cls is ReviewRequired:
        return ReviewRequired(
            message, review_id=str(body.get("reviewId") or ""), reasons=reasons, code=code, field=field
        )
    if cls is PermissionDenied:
        return PermissionDenied(message, reasons=reasons, code=code, field=field)
    return cls(message, code=code, field=field)
