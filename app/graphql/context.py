"""Typed per-request context handed to every resolver."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from app.registry.decisions import ReadCheck
from app.services import Services


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    services: Services
    principal: Any = None  # set by authentication (app.auth) before any resolver runs
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    loaders: dict[str, Any] = field(default_factory=dict)
    connection_params: Any = None  # graphql-transport-ws connection_init payload
    # Root fields (response keys) whose payload reported an expected failure: key -> error code.
    failures: dict[str, str] = field(default_factory=dict)
    # A mutation's read permission, asked with its first command decision (app/graphql/read_gate.py).
    read_check: ReadCheck | None = None

    def __post_init__(self) -> None:
        """Over HTTP the request id is the one the request log line carries (app/web/request_log.py)."""
        scope = getattr(self.request, "scope", None)
        made = (scope.get("state") or {}).get("request_id") if isinstance(scope, dict) else None
        if isinstance(made, str):
            self.request_id = made


Info = StrawberryInfo[Context, None]
