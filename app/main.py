"""The composition root: create_app(settings) wires routes, middleware and the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from app.auth.middleware import AuthMiddleware
from app.auth.tokens import Authenticator
from app.config import Settings
from app.graph.checkpoints import run_periodically
from app.graphql.schema import build_schema
from app.graphql.view import RegistryGraphQL
from app.services import Services
from app.web import loop_lag
from app.web.artifact_manifests import upload_manifest
from app.web.artifacts import download_artifact, upload_artifact
from app.web.backpressure import BackpressureMiddleware
from app.web.csp import SecurityHeadersMiddleware
from app.web.guard import RequestGuardMiddleware
from app.web.health import healthz, readyz
from app.web.health_ingest import health_ingest
from app.web.limits import BodyLimitMiddleware
from app.web.metrics import Metrics, MetricsMiddleware
from app.web.openlineage import lineage_event
from app.web.pages import UI_STATIC_DIR, root, ui_shell
from app.web.request_log import RequestLogMiddleware

log = logging.getLogger(__name__)
VENDOR_DIR = Path(__file__).resolve().parent / "web" / "vendor"


def create_app(settings: Settings, services: Services | None = None) -> Starlette:
    """Build the ASGI app; `services` may be injected (tests), else the lifespan opens them."""
    metrics = Metrics()
    graphql = RegistryGraphQL(build_schema(settings), max_json_depth=settings.max_json_depth)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or await Services.open(settings)
        app.state.metrics = metrics
        app.state.services.observe_policy = metrics.observe_policy
        app.state.authenticator = Authenticator(
            settings,
            app.state.services.repos.principals,
            app.state.services.principals,
        )
        checkpointer = _start_checkpointer(settings, app.state.services)
        validator = _start_validator(settings, app.state.services, metrics)
        events = _start_events(settings, app.state.services, metrics)
        pruner = _start_outbox_retention(settings, app.state.services)
        lag = asyncio.create_task(loop_lag.watch(metrics.loop_lag.observe), name="loop-lag")
        background = [t for t in (checkpointer, validator, pruner, lag, *events) if t is not None]
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if owned:
                await app.state.services.close()

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics.endpoint),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/api/v1/health", health_ingest, methods=["POST"]),
        Route("/api/v1/lineage", lineage_event, methods=["POST"]),
        Route("/api/v1/artifacts", upload_artifact, methods=["POST"]),
        Route("/api/v1/artifacts/manifests", upload_manifest, methods=["POST"]),
        Route("/api/v1/artifacts/{digest}", download_artifact, methods=["GET"]),
        WebSocketRoute("/graphql", graphql),
        Mount("/static/vendor", StaticFiles(directory=VENDOR_DIR, check_dir=False), name="vendor"),
        Route("/", root),
        Route("/ui", ui_shell),
        Route("/ui/", ui_shell),
        Mount("/static/ui", StaticFiles(directory=UI_STATIC_DIR, check_dir=False), name="ui"),
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware),
        Middleware(RequestLogMiddleware),
        Middleware(MetricsMiddleware, metrics=metrics),
        Middleware(RequestGuardMiddleware, retry_after_seconds=settings.retry_after_seconds),
        Middleware(
            BackpressureMiddleware,
            max_in_flight=settings.max_in_flight,
            queue_timeout=settings.queue_timeout_seconds,
            metrics=metrics,
            min_in_flight=settings.min_in_flight,
            target_latency=settings.target_latency_seconds,
            deadline_seconds=settings.request_deadline_seconds,
        ),
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_body_bytes,
            # A directory manifest is JSON read whole: 10,000 files fit in 8 MiB.
            overrides={
                "/api/v1/artifacts/manifests": 8 * 1024 * 1024,
                "/api/v1/artifacts": settings.max_artifact_bytes,
            },
            read_timeout=settings.body_read_timeout_seconds,
            streaming=("/api/v1/artifacts",),
        ),
        Middleware(AuthMiddleware),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _start_events(settings: Settings, services: Services, metrics: Metrics) -> list[asyncio.Task[None]]:
    """The outbox tail (feeds this process's subscriptions) and the webhook worker (leases make
    every process's worker safe to run at once)."""
    from app.events.delivery import Worker
    from app.events.tail import OutboxTail

    tail = OutboxTail(
        services.driver, settings.neo4j_database, settings.events_poll_seconds, seen=metrics.outbox_sequence.set
    )
    tasks = [asyncio.create_task(tail.run(), name="outbox-tail")]
    if settings.webhooks_enabled:
        worker = Worker(services.driver, settings, lambda outcome: metrics.webhook_attempts.labels(outcome).inc())
        tasks.append(asyncio.create_task(worker.run(), name="webhook-worker"))
    return tasks


def _start_outbox_retention(settings: Settings, services: Services) -> asyncio.Task[None] | None:
    """Old outbox events removed every MODELGRAPH_OUTBOX_PRUNE_EVERY_SECONDS (any replica may run it)."""
    if settings.outbox_retention_hours <= 0 or settings.outbox_prune_every_seconds <= 0:
        return None
    from app.events.retention import run_periodically as prune_periodically

    retention = timedelta(hours=settings.outbox_retention_hours)
    every = settings.outbox_prune_every_seconds
    return asyncio.create_task(prune_periodically(services.driver, settings.neo4j_database, retention, every))


def _start_checkpointer(settings: Settings, services: Services) -> asyncio.Task[None] | None:
    key = settings.audit_key_bytes()
    if key is None or settings.audit_checkpoint_seconds <= 0:
        log.warning("audit checkpoints are off (MODELGRAPH_AUDIT_KEY unset or period 0)")
        return None
    every = settings.audit_checkpoint_seconds
    return asyncio.create_task(run_periodically(services.driver, settings.neo4j_database, key, every))


def _start_validator(settings: Settings, services: Services, metrics: Metrics) -> asyncio.Task[None] | None:
    """Continuous validation every MODELGRAPH_VALIDATE_EVERY_SECONDS, one replica at a time (a lease)."""
    if settings.validate_every_seconds <= 0:
        return None
    from app.validation import run_periodically as validate_periodically

    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    every = settings.validate_every_seconds
    return asyncio.create_task(validate_periodically(services, holder, every, metrics.observe_validation))
