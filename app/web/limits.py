"""Request body limits: uvicorn has none, so oversized bodies are cut off here with 413, and a
body that does not arrive within its deadline (a slow or stalled client) is answered 408."""

from __future__ import annotations

import asyncio
import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class BodyLimitMiddleware:
    """`max_bytes` for every request; paths under a prefix in `overrides` get that prefix's limit
    (artifact uploads are larger than any API request). A body must arrive within `read_timeout`;
    under a prefix in `streaming` (uploads of gigabytes) each piece must arrive within it instead."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        overrides: dict[str, int] | None = None,
        read_timeout: float = 30.0,
        streaming: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}
        self.read_timeout = read_timeout
        self.streaming = streaming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = next((n for prefix, n in self.overrides.items() if scope["path"].startswith(prefix)), self.max_bytes)
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(scope, receive, send, limit)
            return
        seen = 0
        started = False
        complete = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.read_timeout
        per_piece = scope["path"].startswith(self.streaming) if self.streaming else False

        async def limited_receive() -> Message:
            nonlocal seen, complete, deadline
            if complete:  # after the body only a disconnect can come; waiting for it is fine
                return await receive()
            if per_piece:
                deadline = loop.time() + self.read_timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(scope, receive, send, limit)
        except BodyTooSlow:
            log.warning("%s %s: body not received within %.0fs", scope["method"], scope["path"], self.read_timeout)
            if not started:
                message = f"request body not received within {self.read_timeout:g} seconds"
                body = {"error": {"code": "REQUEST_TIMEOUT", "message": message, "field": None}}
                await JSONResponse(body, status_code=408, headers={"connection": "close"})(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = JSONResponse(
            {
                "error": "PAYLOAD_TOO_LARGE",
                "message": f"request body exceeds {limit} bytes",
            },
            status_code=413,
        )
        await response(scope, receive, send)
