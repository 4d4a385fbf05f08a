"""Expected failures are data: every mutation returns a union of a success type and these."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar, Union

import strawberry

from app.errors import (
    AlreadyExists,
    Conflict,
    DependencyUnavailable,
    NotFound,
    PermissionDenied,
    RegistryError,
    Unauthenticated,
    ValidationFailed,
)
from app.graphql.context import Info
from app.registry.actor import RequestMeta
from app.registry.commands.base import Command
from app.registry.execute import execute
from app.registry.plan import Outcome


@strawberry.interface(
    description="Every expected failure: select `... on Error { code message field }` once for all of them."
)
class Error:
    code: str = strawberry.field(description="Stable error code (VALIDATION_FAILED, NOT_FOUND, CONFLICT, ...).")
    message: str = strawberry.field(description="What went wrong, safe to show; names the field and the rule.")
    field: str | None = strawberry.field(description="The input field to blame, when there is one.")


@strawberry.type(description="The input broke a rule; nothing was changed.")
class ValidationError(Error):
    pass


@strawberry.type(description="Something the request refers to does not exist; nothing was changed.")
class NotFoundError(Error):
    pass


@strawberry.type(description="The change conflicts with the current state (stale revision, immutable fact, duplicate).")
class ConflictError(Error):
    pass


@strawberry.type(description="Policy denied the request; nothing was changed. The attempt is audited.")
class PermissionDeniedError(Error):
    reasons: list[str] = strawberry.field(description="Each reason the policy gave.")


@strawberry.type(
    description="A dependency (database, policy engine, object store) did not answer; nothing was changed."
)
class UnavailableError(Error):
    pass


@strawberry.type(description="Policy flagged the change; it waits for an approver and is applied on approval.")
class ReviewRequired(Error):
    review_id: strawberry.ID = strawberry.field(description="The pending review.")
    reasons: list[str] = strawberry.field(description="Why the change was flagged.")


ERROR_TYPES = (
    ValidationError,
    NotFoundError,
    ConflictError,
    PermissionDeniedError,
    UnavailableError,
    ReviewRequired,
)


def payload_union(name: str, success: Any, description: str | None = None) -> Any:
    """`success | every error type` as the union a mutation (or a failing read) returns."""
    members = (success, *ERROR_TYPES)
    return Annotated[Union[members], strawberry.union(name, description=description)]  # noqa: UP007


def review_required(review_id: str, reasons: list[str]) -> ReviewRequired:
    message = "the change waits for an approver: " + ("; ".join(reasons) or "policy asked for a review")
    return ReviewRequired(
        code="REVIEW_REQUIRED", message=message, field=None, review_id=strawberry.ID(review_id), reasons=reasons
    )


def error_payload(exc: RegistryError) -> Error:
    if isinstance(exc, ValidationFailed):
        return ValidationError(code=exc.code, message=exc.message, field=exc.field)
    if isinstance(exc, NotFound):
        return NotFoundError(code=exc.code, message=exc.message, field=exc.field)
    if isinstance(exc, Conflict | AlreadyExists):
        return ConflictError(code=exc.code, message=exc.message, field=exc.field)
    if isinstance(exc, PermissionDenied):
        return PermissionDeniedError(code=exc.code, message=exc.message, field=exc.field, reasons=exc.reasons)
    if isinstance(exc, Unauthenticated):
        return PermissionDeniedError(code=exc.code, message=exc.message, field=None, reasons=[exc.message])
    if isinstance(exc, DependencyUnavailable):
        return UnavailableError(code=exc.code, message=exc.message, field=exc.field)
    raise exc


def to_payload(value: Any) -> dict[str, Any]:
    """Strawberry input -> plain snake_case dict (UNSET and None dropped, datetimes kept)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_payload(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) not in (None, strawberry.UNSET)
        }
    if isinstance(value, list):
        return [to_payload(v) for v in value]  # type: ignore[return-value]
    if hasattr(value, "value") and value.__class__.__module__.startswith("app.graphql"):
        return value.value  # type: ignore[no-any-return]  # enums
    return value  # type: ignore[no-any-return]


def meta_of(info: Info, idempotency_key: str | None, purpose: str | None = None) -> RequestMeta:
    actor = info.context.principal
    if actor is None:
        raise Unauthenticated("a bearer token is required")
    from app.web.http import correlation_id

    request = getattr(info.context, "request", None)  # absent when a schema is executed in-process
    return RequestMeta(
        actor=actor,
        request_id=info.context.request_id,
        idempotency_key=idempotency_key,
        purpose=purpose,
        correlation_id=correlation_id(request) if request is not None else None,
        read_check=getattr(info.context, "read_check", None),
    )


T = TypeVar("T")


def note_failure(info: Info, exc: RegistryError) -> None:
    """Remember a root field's expected failure for /metrics and the HTTP status (outcomes.py)."""
    failures = getattr(info.context, "failures", None)
    if isinstance(failures, dict):
        failures[str(info.path.key)] = exc.code


async def as_payload(info: Info, work: Awaitable[T]) -> T | Error:
    """Await a command; an expected error becomes its payload type (and is counted for /metrics)."""
    try:
        return await work
    except RegistryError as exc:
        note_failure(info, exc)
        return error_payload(exc)


async def run_command(
    info: Info, command: type[Command], input_obj: Any, success: Callable[[Outcome], Awaitable[T]]
) -> T | Error:
    """Execute a command and map its outcome or expected error onto the payload union."""
    return await as_payload(info, _run_command(info, command, input_obj, success))


def command_of(info: Info, command: type[Command], input_obj: Any) -> tuple[Command, RequestMeta]:
    """The one place a mutation's input becomes its command: the input's fields (idempotency key
    and purpose aside, which travel with the request) are the command's payload form."""
    payload = to_payload(input_obj)
    key = payload.pop("idempotency_key", None)
    purpose = payload.pop("purpose", None)
    return command.from_payload(payload), meta_of(info, key, purpose)


async def _run_command(
    info: Info, command: type[Command], input_obj: Any, success: Callable[[Outcome], Awaitable[T]]
) -> T | ReviewRequired:
    typed, meta = command_of(info, command, input_obj)
    outcome = await execute(info.context.services, meta, typed)
    if outcome.review is not None or (outcome.result or {}).get("kind") == "Review":
        review = outcome.review or outcome.result or {}
        reasons = list(outcome.decision.reasons) if outcome.decision else []
        return review_required(str(review["id"]), reasons)
    return await success(outcome)
