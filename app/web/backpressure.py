"""Backpressure: a bounded number of requests of a process are handled at once; the rest wait up
to `queue_timeout` seconds for a slot and are then answered 503 with Retry-After, so an overloaded
replica sheds load quickly instead of letting every request time out. The bound adapts between
`min_in_flight` and `max_in_flight` so that admitted requests finish within `target_latency`
(app/web/concurrency.py): together with the queue timeout, that bounds what a client waits. An
admitted request's database work also ends by a deadline counted from its arrival
(app/graph/deadline.py): a slow read or a write queued on a lock is stopped and answered 503."""

from __future__ import annotations

import logging
import time

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.graph.deadline import deadline_in
from app.web.concurrency import AdaptiveLimit
from app.web.metrics import Metrics

log = logging.getLogger(__name__)

# Probes and scrapes stay answerable under load; websockets are long-lived and not counted.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Requests whose duration is paced by the client's upload speed, not by the service.
UNSAMPLED_PREFIXES = ("/api/v1/artifacts",)


class BackpressureMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_in_flight: int,
        queue_timeout: float,
        metrics: Metrics,
        min_in_flight: int = 1,
        target_latency: float = 0.0,
        deadline_seconds: float = 0.0,
    ) -> None:
        self.app = app
        self.deadline_seconds = deadline_seconds
        self.queue_timeout = queue_timeout
        self.metrics = metrics
        self.slots = AdaptiveLimit(max_in_flight, min_in_flight, target_latency)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        # Client-paced transfers get no deadline; everything else gets one from its arrival.
        sample = not str(scope["path"]).startswith(UNSAMPLED_PREFIXES)
        with deadline_in(self.deadline_seconds if sample else None):
            await self._admitted(scope, receive, send, sample)

    async def _admitted(self, scope: Scope, receive: Receive, send: Send, sample: bool) -> None:
        try:
            await self.slots.acquire(self.queue_timeout)
        except TimeoutError:
            self.metrics.shed.inc()
            limit = int(self.slots.limit)
            log.warning(
                "shed %s %s: %d requests in flight (limit %d)",
                scope["method"],
                scope["path"],
                self.slots.in_flight,
                limit,
            )
            message = f"the server is at capacity ({limit} requests in flight); retry shortly"
            body = {"error": {"code": "OVERLOADED", "message": message, "field": None}}
            await JSONResponse(body, status_code=503)(scope, receive, send)
            return
        self.metrics.in_flight.inc()
        started = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            self.metrics.in_flight.dec()
            self.slots.release(started, time.monotonic(), sample=sample)
            self.metrics.concurrency_limit.set(self.slots.limit)
