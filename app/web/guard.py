"""The outermost HTTP guards: requests whose headers are not UTF-8 are refused with 400 before
anything reads them, and every 503 tells the client when to come back (Retry-After)."""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


def undecodable_header(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The name of the first header whose name or value is not UTF-8, else None."""
    for name, value in headers:
        try:
            name.decode("utf-8")
            value.decode("utf-8")
        except UnicodeDecodeError:
            return name.decode("latin-1")
    return None


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, retry_after_seconds: int) -> None:
        self.app = app
        self.retry_after = str(retry_after_seconds).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        bad = undecodable_header(scope.get("headers", []))
        if bad is not None:
            log.warning("refused %s %s: header %r is not UTF-8", scope.get("method", "WS"), scope["path"], bad)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008, "reason": "headers must be UTF-8"})
                return
            message = f"header {bad!r} is not valid UTF-8"
            response = JSONResponse({"error": {"code": "BAD_REQUEST", "message": message, "field": bad}}, 400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, self._with_retry_after(send) if scope["type"] == "http" else send)

    def _with_retry_after(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 503:
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"retry-after" for k, _ in headers):
                    message = {**message, "headers": [*headers, (b"retry-after", self.retry_after)]}
            await send(message)

        return wrapped
