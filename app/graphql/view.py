"""Strawberry's ASGI view with our context, the vendored GraphiQL page, and no GET queries."""

from __future__ import annotations

from pathlib import Path

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from app.errors import RegistryError
from app.graphql.context import Context
from app.graphql.ws import RecheckingTransportWSHandler, principal_of
from app.services import Services
from app.web import jsonbody

GRAPHIQL_HTML = Path(__file__).resolve().parent.parent / "web" / "graphiql.html"


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
