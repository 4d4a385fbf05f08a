"""Backpressure: at most `max_in_flight` requests of a process are handled at once; the rest
wait up to `queue_timeout` seconds for a slot and are then answered 503 with Retry-After, so an
overloaded replica sheds load quickly instead of letting every request time out."""

from __future__ import annotations

import asyncio
import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.metrics import Metrics

log = logging.getLogger(__name__)

# Probes and scrapes stay answerable under load; websockets are long-lived and not counted.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class BackpressureMiddleware:
    def __init__(self, app: ASGIApp, max_in_flight: int, queue_timeout: float, metrics: Metrics) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.queue_timeout = queue_timeout
        self.metrics = metrics
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # created on the serving loop, not at import
            self._slots = asyncio.Semaphore(self.max_in_flight)
        try:
            async with asyncio.timeout(self.queue_timeout):
                await self._slots.acquire()
        except TimeoutError:
            self.metrics.shed.inc()
            log.warning("shed %s %s: %d requests in flight", scope["method"], scope["path"], self.max_in_flight)
            message = f"the server is at capacity ({self.max_in_flight} requests in flight); retry shortly"
            body = {"error": {"code": "OVERLOADED", "message": message, "field": None}}
            await JSONResponse(body, status_code=503)(scope, receive, send)
            return
        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.metrics.in_flight.dec()
            self._slots.release()
