"""Strawberry's ASGI view with our context, the vendored GraphiQL page, and no GET queries."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from app.errors import DependencyUnavailable, RegistryError
from app.graph import deadline
from app.graphql.context import Context
from app.graphql.ws import RecheckingTransportWSHandler, principal_of
from app.services import Services
from app.web import jsonbody

GRAPHIQL_HTML = Path(__file__).resolve().parent.parent / "web" / "graphiql.html"
log = logging.getLogger(__name__)
# Anything that may be a mutation is never cut short by the process (its transaction is bounded by
# Neo4j's timeout instead, so it either commits or is rolled back): only documents without the word.
MAY_WRITE = re.compile(r"\bmutation\b")
# The database stops a read at the deadline with a clearer message; this catches what is left
# (a process starved of CPU), a moment later.
GRACE_SECONDS = 0.25


class RegistryGraphQL(GraphQL[Context, None]):
    """GET serves only the IDE; operations go by POST (mutations via GET would invite CSRF)."""

    graphql_transport_ws_handler_class = RecheckingTransportWSHandler

    def __init__(self, schema: object, max_json_depth: int = jsonbody.MAX_DEPTH) -> None:
        self.max_json_depth = max_json_depth
        super().__init__(
            schema,  # type: ignore[arg-type]
            graphql_ide="graphiql",
            allow_queries_via_get=False,
            # Only graphql-transport-ws: the legacy graphql-ws protocol had an auth bypass.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )

    def decode_json(self, data: str | bytes) -> object:
        """Hostile bodies (invalid UTF-8, malformed, nested too deep) are a 400, never a 500."""
        try:
            return jsonbody.loads(data, max_depth=self.max_json_depth)
        except jsonbody.BadJson as exc:
            raise HTTPException(400, exc.message) from None

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """A query still running at the request's deadline (app/graph/deadline.py) is stopped and
        answered 503, so an admitted request ends on time with a result or a refusal."""
        left = deadline.seconds_left()
        request_data = kwargs.get("request_data", args[-1] if args else None)
        query = getattr(request_data, "query", None) or ""
        if left is None or MAY_WRITE.search(query):
            return await super().execute_single(*args, **kwargs)
        try:
            async with asyncio.timeout(max(left, 0) + GRACE_SECONDS):
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            log.warning("query stopped at the request's deadline while the process was busy")
            sub_response = kwargs.get("sub_response", args[2] if len(args) > 2 else None)
            if sub_response is not None:
                sub_response.status_code = 503
            message = deadline.exceeded(write=False).message
            error = GraphQLError(message, extensions={"code": DependencyUnavailable.code, "reasons": []})
            return ExecutionResult(data=None, errors=[error])

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        services: Services = request.app.state.services
        return Context(
            request=request,
            response=response,
            services=services,
            principal=getattr(request.state, "principal", None),
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(GRAPHIQL_HTML.read_text(encoding="utf-8"))

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Websockets authenticate with the connection_init payload's Authorization entry, and
        again on every operation and every `ws_recheck_seconds` (app/graphql/ws.py)."""
        try:
            context.principal = await principal_of(context)
        except RegistryError as exc:
            raise ConnectionRejectionError({"reason": exc.message}) from None
        return None
