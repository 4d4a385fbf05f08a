"""Subscriptions over a real websocket (graphql-transport-ws): auth in connection_init, and a
health change caused by a mutation arrives on the subscription."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from app.config import Settings
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

SUBSCRIBE = "subscription($id: ID!) { healthChanges(deploymentId: $id) { deploymentId before after } }"
REPORT = """mutation($input: ReportHealthInput!) { reportHealth(input: $input) { __typename } }"""


def ws_url(live_server: str) -> str:
    return live_server.replace("http://", "ws://") + "/graphql"


async def receive(ws: Any) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))


async def test_health_change_from_a_mutation_reaches_the_subscriber(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "live")
    dep = await run(
        clean_graph,
        "create_deployment",
        {
            "model": "live",
            "name": "live-staging",
            "environment": {"tier": "staging"},
            "serving": [{"version": 1, "traffic_percent": 100}],
        },
    )
    token = settings.bootstrap_admin_key.get_secret_value()
    async with websockets.connect(ws_url(live_server), subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert (await receive(ws))["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"id": dep["id"]}}}
            )
        )
        await asyncio.sleep(0.3)  # let the server register the subscriber before the change happens
        sample = {
            "deploymentId": dep["id"],
            "at": (datetime.now(UTC) - timedelta(seconds=5)).isoformat(),
            "latencyP95Ms": 2500.0,
            "errorRate": 0.0,
        }
        async with httpx.AsyncClient() as client:
            done = await client.post(
                f"{live_server}/graphql",
                headers={"Authorization": f"Bearer {token}"},
                json={"query": REPORT, "variables": {"input": {"samples": [sample]}}},
            )
        assert done.json()["data"]["reportHealth"]["__typename"] == "HistoryWriteSuccess"
        message = await receive(ws)
        assert message["type"] == "next"
        assert message["payload"]["data"]["healthChanges"] == {
            "deploymentId": dep["id"],
            "before": "UNKNOWN",
            "after": "UNHEALTHY",
        }


async def test_websocket_without_a_valid_token_is_refused(live_server: str) -> None:
    async with websockets.connect(ws_url(live_server), subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_legacy_graphql_ws_protocol_is_not_offered(live_server: str) -> None:
    async with websockets.connect(ws_url(live_server), subprotocols=[Subprotocol("graphql-ws")]) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406


async def test_version_record_shows_where_it_serves_and_its_health(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "shown")
    dep = await run(
        clean_graph,
        "create_deployment",
        {
            "model": "shown",
            "name": "shown-staging",
            "environment": {"tier": "staging"},
            "serving": [{"version": 1, "traffic_percent": 100}],
        },
    )
    at = datetime.now(UTC) - timedelta(seconds=5)
    await run(
        clean_graph,
        "report_health",
        {"samples": [{"deployment_id": dep["id"], "at": at, "latency_p95_ms": 700.0, "error_rate": 0.0}]},
    )
    token = settings.bootstrap_admin_key.get_secret_value()
    query = (
        '{ modelVersion(model: "shown", version: 1) { liveStatus { deployments { name healthStatus } '
        "flags { reason } } } }"
    )
    async with httpx.AsyncClient() as client:
        body = (
            await client.post(
                f"{live_server}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
            )
        ).json()
    assert body["data"]["modelVersion"]["liveStatus"] == {
        "deployments": [{"name": "shown-staging", "healthStatus": "DEGRADED"}],
        "flags": [],
    }


EVENTS = """subscription($id: ID!, $after: Int) {
    deploymentEvents(deploymentId: $id, afterSeq: $after) { seq type reason } }"""


async def test_deployment_events_after_a_seq_catch_up_then_go_live_each_once(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "feed")
    dep = await run(
        clean_graph,
        "create_deployment",
        {"model": "feed", "name": "feed-staging", "environment": {"tier": "staging"}, "serving": [{"version": 1}]},
    )
    for reason in ("queue backlog", "backlog cleared"):
        kind = "incident_opened" if reason == "queue backlog" else "incident_resolved"
        await run(clean_graph, "record_deployment_event", {"deployment_id": dep["id"], "type": kind, "reason": reason})
    token = settings.bootstrap_admin_key.get_secret_value()
    async with websockets.connect(ws_url(live_server), subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert (await receive(ws))["type"] == "connection_ack"
        variables = {"id": dep["id"], "after": 1}  # the client has read the CREATED event
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": EVENTS, "variables": variables}})
        )
        caught_up = [(await receive(ws))["payload"]["data"]["deploymentEvents"] for _ in range(2)]
        assert caught_up == [
            {"seq": 2, "type": "INCIDENT_OPENED", "reason": "queue backlog"},
            {"seq": 3, "type": "INCIDENT_RESOLVED", "reason": "backlog cleared"},
        ]
        await run(
            clean_graph,
            "record_deployment_event",
            {"deployment_id": dep["id"], "type": "incident_opened", "reason": "disk full"},
        )
        # The two caught-up events also reach the broker from the outbox: they are not sent twice.
        live = (await receive(ws))["payload"]["data"]["deploymentEvents"]
        assert live == {"seq": 4, "type": "INCIDENT_OPENED", "reason": "disk full"}

        bad = {"id": dep["id"], "after": -1}
        await ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": EVENTS, "variables": bad}}))
        refused = await receive(ws)
        assert refused["id"] == "2", refused
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert errors[0]["message"] == "afterSeq: must be zero or positive", errors
