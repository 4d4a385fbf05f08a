"""What every request of the client shares: timeouts, retries with backoff (network errors, 502/503/504
and 429, honouring Retry-After), an idempotency key per logical mutation reused on every retry, and
the mapping of answers onto typed exceptions."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from modelgraph.client.errors import ModelGraphError, Unavailable, from_error

RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all; waits grow `backoff` * 2^n (jittered, at most `max_backoff`), or what
    the server's Retry-After asks (at most `max_retry_after`)."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        after = _retry_after(response)
        if after is not None:
            return min(after, self.max_retry_after)
        base = min(self.backoff * (2**attempt), self.max_backoff)
        return float(base / 2 + random.uniform(0, base / 2))  # noqa: S311  (jitter, not a secret)


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def with_idempotency_key(variables: dict[str, Any] | None) -> dict[str, Any]:
    """Give each input that takes an idempotency key and has none a fresh one: one per logical call,
    so the retries of this call reuse it and the server applies the change at most once."""
    out: dict[str, Any] = {}
    for name, value in (variables or {}).items():
        if isinstance(value, BaseModel) and "idempotency_key" in type(value).model_fields:
            if getattr(value, "idempotency_key", None) is None:
                value = value.model_copy(update={"idempotency_key": str(uuid.uuid4())})
                value.model_fields_set.add("idempotency_key")
        out[name] = value
    return out


def graphql_body(query: str, operation_name: str | None, variables: dict[str, Any] | None) -> dict[str, Any]:
    keyed = with_idempotency_key(variables)
    converted = {
        k: v.model_dump(by_alias=True, exclude_unset=True) if isinstance(v, BaseModel) else v
        for k, v in keyed.items()
    }
    return {"query": query, "operationName": operation_name, "variables": to_jsonable_python(converted)}


def resendable(query: str, body: dict[str, Any]) -> bool:
    """Queries can always be sent again; a mutation only when it carries an idempotency key."""
    if not query.lstrip().startswith("mutation"):
        return True
    return any(isinstance(v, dict) and v.get("idempotencyKey") for v in body["variables"].values())


def _retryable(exc: httpx.TransportError, resend: bool) -> bool:
    # A connection that never opened sent nothing; anything later may have reached the server.
    return resend or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


def send(request: Callable[[], httpx.Response], policy: RetryPolicy, resend: bool) -> httpx.Response:
    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        try:
            response = request()
        except httpx.TransportError as exc:
            if last or not _retryable(exc, resend):
                raise Unavailable(f"registry unreachable: {type(exc).__name__}: {exc}") from None
            time.sleep(policy.delay(attempt, None))
            continue
        if response.status_code not in RETRY_STATUSES or last:
            return response
        response.read()
        time.sleep(policy.delay(attempt, response))
    raise AssertionError("unreachable")  # pragma: no cover


async def send_async(
    request: Callable[[], Awaitable[httpx.Response]], policy: RetryPolicy, resend: bool
) -> httpx.Response:
    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        try:
            response = await request()
        except httpx.TransportError as exc:
            if last or not _retryable(exc, resend):
                raise Unavailable(f"registry unreachable: {type(exc).__name__}: {exc}") from None
            await asyncio.sleep(policy.delay(attempt, None))
            continue
        if response.status_code not in RETRY_STATUSES or last:
            return response
        await response.aread()
        await asyncio.sleep(policy.delay(attempt, response))
    raise AssertionError("unreachable")  # pragma: no cover


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def rest_error(response: httpx.Response) -> ModelGraphError:
    """The typed exception for a REST error answer ({"error": {code, message, field, reasons}})."""
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return from_error(error)
    if response.status_code in RETRY_STATUSES:
        return Unavailable(f"registry answered HTTP {response.status_code}")
    return ModelGraphError(f"registry answered HTTP {response.status_code}", code=f"HTTP_{response.status_code}")


def graphql_data(response: httpx.Response) -> dict[str, Any]:
    """The `data` of a GraphQL answer; a GraphQL error or an error member of a root payload union
    raises its typed exception."""
    body = _json(response)
    if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
        raise rest_error(response)
    errors = body.get("errors")
    if errors:
        first = errors[0]
        ext = first.get("extensions") or {}
        raise from_error({**ext, "message": first.get("message"), "field": ext.get("field")})
    data = body.get("data") or {}
    for value in data.values():
        if isinstance(value, dict) and value.get("code") and value.get("__typename") in _ERROR_TYPENAMES:
            raise from_error(value, value["__typename"])
    return dict(data)


_ERROR_TYPENAMES = frozenset(
    {"ValidationError", "NotFoundError", "ConflictError", "PermissionDeniedError", "UnavailableError", "ReviewRequired"}
)
