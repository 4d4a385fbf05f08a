"""One structured JSON line per request: server-made id, principal, operation, duration, outcome;
never the token or the body."""

from __future__ import annotations

import json
import logging
import sys
from types import SimpleNamespace

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from app.config import Settings
from app.graphql.context import Context
from app.logs import JsonFormatter
from app.web.request_log import RequestLogMiddleware

SECRET = "mg_secret_token_value"
SEEN: list[str] = []


async def graphql_like(scope: Scope, receive: Receive, send: Send) -> None:
    """Stands in for auth + GraphQL: sets the principal and the root fields' outcomes."""
    while (await receive()).get("more_body"):
        pass
    scope["state"]["principal"] = SimpleNamespace(name="pat")
    SEEN.append(Context(request=SimpleNamespace(scope=scope), response=None, services=None).request_id)  # type: ignore[arg-type]
    scope["state"]["graphql_outcomes"] = {"createModel": "PERMISSION_DENIED"}
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def test_one_json_line_per_request_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    app = RequestLogMiddleware(graphql_like)
    transport = httpx.ASGITransport(app=app)
    caplog.set_level(logging.INFO, logger="modelgraph.request")
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = {"query": f'mutation {{ createModel(input: {{name: "{SECRET}"}}) {{ __typename }} }}'}
        await client.post("/graphql?token=" + SECRET, json=body, headers={"Authorization": f"Bearer {SECRET}"})
    [record] = [r for r in caplog.records if r.name == "modelgraph.request"]
    line = json.loads(JsonFormatter().format(record))
    assert SECRET not in json.dumps(line)
    assert len(line["request_id"]) == 32 and line["duration_ms"] >= 0
    assert SEEN == [line["request_id"]]  # GraphQL (and so the audit trail) uses the logged id
    assert {k: line[k] for k in ("level", "principal", "operation", "method", "path", "status", "outcome")} == {
        "level": "INFO",
        "principal": "pat",
        "operation": "createModel",
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "outcome": "PERMISSION_DENIED",
    }


def test_an_exception_is_one_line_with_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed x" and "RuntimeError: boom" in line["exception"]


def test_log_level_comes_from_settings() -> None:
    assert Settings(log_level="warning").log_level == "warning"
    with pytest.raises(ValueError, match="log_level"):
        Settings(log_level="loud")
