"""A websocket's principal is checked again on every operation and periodically: revoking or
expiring its key ends the socket (4403) and its subscriptions."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from app.config import Settings
from tests.conftest import serve

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

SUBSCRIBE = "subscription($id: ID!) { deploymentEvents(deploymentId: $id) { id } }"


@pytest.fixture(scope="module")
def rechecking_server(settings: Settings) -> Iterator[str]:
    """A server whose sockets re-check their principal every second."""
    with serve(settings.model_copy(update={"ws_recheck_seconds": 1.0})) as url:
        yield url


def admin_gql(settings: Settings, server: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    token = settings.bootstrap_admin_key.get_secret_value()
    reply = httpx.post(
        f"{server}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    body: dict[str, Any] = reply.json()
    assert "errors" not in body, body
    return body["data"]


def viewer_key(settings: Settings, server: str, expires_at: datetime | None = None) -> tuple[str, str]:
    """A new viewer principal and one API key for it: (key id, secret)."""
    name = "ws-" + uuid.uuid4().hex[:10]
    created = admin_gql(
        settings,
        server,
        'mutation($n: String!) { createPrincipal(input: {name: $n, roles: ["viewer"]}) { __typename '
        "... on Error { code message } } }",
        {"n": name},
    )
    assert created["createPrincipal"]["__typename"] == "PrincipalCreated", created
    issued = admin_gql(
        settings,
        server,
        "mutation($n: String!, $e: DateTime) { issueApiKey(input: {principal: $n, expiresAt: $e}) { "
        "... on ApiKeyIssued { id secret } } }",
        {"n": name, "e": expires_at.isoformat() if expires_at else None},
    )["issueApiKey"]
    return issued["id"], issued["secret"]


def revoke(settings: Settings, server: str, key_id: str) -> None:
    revoke_key = "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { __typename ... on Error { code } } }"
    done = admin_gql(settings, server, revoke_key, {"id": key_id})
    assert done["revokeApiKey"] == {"__typename": "ApiKeyRevoked"}


async def open_socket(server: str, key: str) -> Any:
    url = server.replace("http://", "ws://") + "/graphql"
    ws = await websockets.connect(url, subprotocols=[Subprotocol("graphql-transport-ws")])
    await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), timeout=10))["type"] == "connection_ack"
    return ws


async def subscribe(ws: Any, op_id: str) -> None:
    payload = {"query": SUBSCRIBE, "variables": {"id": "dep-" + op_id}}
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))


async def close_code(ws: Any, within: float) -> tuple[int, str]:
    """Wait for the server to end the socket; (code, reason)."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), timeout=within)
    assert closed.value.rcvd is not None, "the server did not close the socket"
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def test_a_key_revoked_while_subscribed_ends_the_socket(settings: Settings, rechecking_server: str) -> None:
    key_id, key = viewer_key(settings, rechecking_server)
    ws = await open_socket(rechecking_server, key)
    await subscribe(ws, "1")
    await asyncio.sleep(1.5)  # still open across a re-check while the key is valid
    revoke(settings, rechecking_server, key_id)
    assert await close_code(ws, within=5) == (4403, "API key was revoked")


async def test_an_expiring_key_ends_the_socket_when_it_expires(settings: Settings, rechecking_server: str) -> None:
    _, key = viewer_key(settings, rechecking_server, expires_at=datetime.now(UTC) + timedelta(seconds=3))
    ws = await open_socket(rechecking_server, key)
    await subscribe(ws, "1")
    assert await close_code(ws, within=8) == (4403, "API key expired")


async def test_subscribing_after_the_key_was_revoked_is_refused(settings: Settings, live_server: str) -> None:
    """The default interval is 30 s; the subscribe itself must notice."""
    key_id, key = viewer_key(settings, live_server)
    ws = await open_socket(live_server, key)
    revoke(settings, live_server, key_id)
    await subscribe(ws, "2")
    assert await close_code(ws, within=5) == (4403, "API key was revoked")
