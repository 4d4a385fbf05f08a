"""Deny by default: every HTTP route needs a bearer token except the few listed here."""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import DependencyUnavailable, Unauthenticated

log = logging.getLogger(__name__)

# Liveness, readiness and metrics carry no registry data; the GraphiQL and web UI shells and their
# scripts are static files (every GraphQL operation they send still needs a token).
PUBLIC_PATHS = {"/healthz", "/readyz", "/metrics"}
PUBLIC_GET_PATHS = {"/", "/ui", "/ui/"}
PUBLIC_GET_PREFIXES = ("/static/vendor/", "/static/ui/")


def is_public(method: str, path: str, accept: str) -> bool:
    if path in PUBLIC_PATHS:
        return True
    if method == "GET" and (path in PUBLIC_GET_PATHS or path.startswith(PUBLIC_GET_PREFIXES)):
        return True
    return method == "GET" and path == "/graphql" and "text/html" in accept


class AuthMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # websockets authenticate in connection_init
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        if is_public(scope["method"], scope["path"], headers.get("accept", "")):
            await self.app(scope, receive, send)
            return
        authenticator = scope["app"].state.authenticator
        try:
            actor = await authenticator.actor_for(headers.get("authorization"))
        except Unauthenticated as exc:
            response = JSONResponse(
                {"error": exc.code, "message": exc.message},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="modelgraph"'},
            )
            await response(scope, receive, send)
            return
        except DependencyUnavailable as exc:
            log.warning("authentication could not be checked, answered 503: %s", exc.message)
            await JSONResponse({"error": exc.code, "message": exc.message}, status_code=503)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = actor
        await self.app(scope, receive, send)
