"""Prometheus metrics, exposed at /metrics: request counts and latency by route, requests in
flight and shed, GraphQL outcomes by operation and error code, policy decision latency."""

from __future__ import annotations

import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    """One registry per app instance, so tests and multiple apps do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "modelgraph_http_requests_total",
            "HTTP requests",
            ["path", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "modelgraph_http_request_seconds",
            "HTTP request latency",
            ["path"],
            registry=self.registry,
        )
        self.decisions = Counter(
            "modelgraph_policy_decisions_total",
            "Policy decisions",
            ["action", "outcome"],
            registry=self.registry,
        )

        self.in_flight = Gauge(
            "modelgraph_http_requests_in_flight",
            "HTTP requests being handled now (backpressure slots taken)",
            registry=self.registry,
        )
        self.validation_open = Gauge(
            "modelgraph_validation_findings_open",
            "Open findings of the continuous validator, by check (after its last cycle on this replica)",
            ["check"],
            registry=self.registry,
        )
        self.validation_cycles = Counter(
            "modelgraph_validation_cycles_total",
            "Validation cycles by outcome: ok, or failed (a dependency was down or a check raised)",
            ["outcome"],
            registry=self.registry,
        )
        self.concurrency_limit = Gauge(
            "modelgraph_http_concurrency_limit",
            "The adaptive in-flight limit now (between MODELGRAPH_MIN_IN_FLIGHT and MODELGRAPH_MAX_IN_FLIGHT)",
            registry=self.registry,
        )
        self.shed = Counter(
            "modelgraph_http_requests_shed_total",
            "HTTP requests answered 503 because every slot stayed taken for the queue timeout",
            registry=self.registry,
        )
        self.graphql = Counter(
            "modelgraph_graphql_operations_total",
            "GraphQL root fields by outcome: OK or the error code (VALIDATION_FAILED, DEPENDENCY_UNAVAILABLE, ...)",
            ["operation", "code"],
            registry=self.registry,
        )
        self.policy_latency = Histogram(
            "modelgraph_policy_decision_seconds",
            "Time to get a decision from the policy engine, by outcome (allow, deny, unavailable)",
            ["outcome"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )

        self.loop_lag = Histogram(
            "modelgraph_event_loop_lag_seconds",
            "How much later than asked the event loop ran a 50 ms timer: the wait before a request is read",
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        self.webhook_attempts = Counter(
            "modelgraph_webhook_attempts_total",
            "Webhook delivery attempts by this process, by what followed (delivered, retrying, dead, cancelled)",
            ["outcome"],
            registry=self.registry,
        )
        self.outbox_sequence = Gauge(
            "modelgraph_outbox_sequence",
            "The newest outbox sequence this process's subscriptions have been handed",
            registry=self.registry,
        )

    def observe_policy(self, action: str, seconds: float, outcome: str) -> None:
        self.policy_latency.labels(outcome).observe(seconds)
        self.decisions.labels(action, outcome).inc()

    def observe_validation(self, open_by_check: dict[str, int] | None) -> None:
        """After a validation cycle: the open findings per check, or None when the cycle failed."""
        if open_by_check is None:
            self.validation_cycles.labels("failed").inc()
            return
        self.validation_cycles.labels("ok").inc()
        self.validation_open.clear()
        for check, count in open_by_check.items():
            self.validation_open.labels(check).set(count)

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts every HTTP request by route template (not raw path, to bound cardinality)."""

    KNOWN = ("/graphql", "/healthz", "/readyz", "/metrics", "/api/v1/health", "/api/v1/lineage", "/api/v1/artifacts")

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"] if scope["path"] in self.KNOWN else "other"
        status = {"code": 500}
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.metrics.latency.labels(path).observe(time.perf_counter() - started)
            self.metrics.requests.labels(path, str(status["code"])).inc()
