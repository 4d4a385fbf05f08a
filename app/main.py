"""The composition root: create_app(settings) wires routes, middleware and the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from app.auth.middleware import AuthMiddleware
from app.auth.tokens import Authenticator
from app.config import Settings
from app.graph.checkpoints import run_periodically
from app.graph.principals import PrincipalStore
from app.graphql.schema import build_schema
from app.graphql.view import RegistryGraphQL
from app.services import Services
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
            PrincipalStore(app.state.services.driver, settings.neo4j_database),
            app.state.services.principals,
        )
        checkpointer = _start_checkpointer(settings, app.state.services)
        try:
            yield
        finally:
            if checkpointer is not None:
                checkpointer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await checkpointer
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
        ),
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_body_bytes,
            overrides={"/api/v1/artifacts": settings.max_artifact_bytes},
            read_timeout=settings.body_read_timeout_seconds,
        ),
        Middleware(AuthMiddleware),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _start_checkpointer(settings: Settings, services: Services) -> asyncio.Task[None] | None:
    key = settings.audit_key_bytes()
    if key is None or settings.audit_checkpoint_seconds <= 0:
        log.warning("audit checkpoints are off (MODELGRAPH_AUDIT_KEY unset or period 0)")
        return None
    every = settings.audit_checkpoint_seconds
    return asyncio.create_task(run_periodically(services.driver, settings.neo4j_database, key, every))
