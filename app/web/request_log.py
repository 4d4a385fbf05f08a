"""One log line per HTTP request: a server-made request id, who asked, which operation, how long,
and how it ended. The id is handed to the request (scope state) so GraphQL, REST handlers and the
audit trail use the same one."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("modelgraph.request")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["request_id"] = uuid.uuid4().hex
        status = {"code": 500}
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            log.info("request", extra=_fields(scope, state, status["code"], time.perf_counter() - started))


def _fields(scope: Scope, state: dict[str, Any], status: int, seconds: float) -> dict[str, Any]:
    outcomes: dict[str, str] = state.get("graphql_outcomes") or {}
    failed = [code for code in outcomes.values() if code != "OK"]
    principal = state.get("principal")
    return {
        "request_id": state["request_id"],
        "principal": getattr(principal, "name", None),
        "operation": ",".join(outcomes) or None,
        "method": scope.get("method"),
        "path": scope.get("path"),  # the path only: query strings may carry values
        "status": status,
        "outcome": failed[0] if failed else ("OK" if status < 400 else f"HTTP_{status}"),
        "duration_ms": round(seconds * 1000, 2),
    }
