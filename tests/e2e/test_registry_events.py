"""registryEvents over a real websocket: an approved promotion reaches a subscriber (the path that
used to publish nothing), catch-up from a sequence after a reconnect misses nothing and repeats
nothing, and the older deploymentEvents subscription hears approved changes too."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from app.config import Settings
from app.services import Services
from tests.e2e.test_governance_http import gql, key_for
from tests.integration.chain import build_chain, new_run, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

EVENTS = """subscription($after: Int, $filter: RegistryEventFilter) {
  registryEvents(afterSequence: $after, filter: $filter) { sequence id type model actor data cloudEvent } }"""
PAGE = """query($after: Int!, $filter: RegistryEventFilter) {
  registryEvents(afterSequence: $after, filter: $filter, first: 100) {
    lastSequence hasMore events { sequence type } } }"""
SET_ALIAS = """mutation($alias: String!, $version: Int!) {
  setAlias(input: {model: "churn", alias: $alias, version: $version}) {
    __typename ... on ReviewRequired { reviewId } } }"""
APPROVE = """mutation($id: ID!) { approveReview(input: {id: $id}) { __typename } }"""
PROMOTE = """mutation($d: ID!) { recordDeploymentEvent(input: {deploymentId: $d, type: PROMOTED, version: 1}) {
  __typename ... on ReviewRequired { reviewId } } }"""
DEPLOYMENT_EVENTS = "subscription($id: ID!) { deploymentEvents(deploymentId: $id) { type actor approvedBy } }"


def ws_url(server: str) -> str:
    return server.replace("http://", "ws://") + "/graphql"


class Socket:
    """One graphql-transport-ws connection with one subscription."""

    def __init__(self, server: str, token: str, query: str, variables: dict[str, Any]) -> None:
        self.server, self.token, self.query, self.variables = server, token, query, variables
        self.ws: Any = None

    async def __aenter__(self) -> Socket:
        self.ws = await websockets.connect(ws_url(self.server), subprotocols=[Subprotocol("graphql-transport-ws")])
        await self.ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}})
        )
        assert json.loads(await asyncio.wait_for(self.ws.recv(), 10))["type"] == "connection_ack"
        payload = {"query": self.query, "variables": self.variables}
        await self.ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await asyncio.sleep(0.5)  # the subscription is registered before the test writes
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def next(self, within: float = 10) -> dict[str, Any]:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), within))
        assert message["type"] == "next", message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def quiet(self, seconds: float = 1.0) -> bool:
        try:
            await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return True
        return False


async def test_an_approved_promotion_reaches_a_subscriber_and_a_reconnect_misses_nothing(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    ids = await build_chain(clean_graph, "churn")
    second = await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.91, "auc": 0.96})
    artifact = {"uri": "s3://m/2.onnx", "digest": "sha256:" + "cd" * 32, "size": 1, "format": "onnx"}
    await run(clean_graph, "register_model_version", {"model": "churn", "run_id": second, "artifact": artifact})
    pat = await key_for(clean_graph, "pat", "publisher")
    ann = await key_for(clean_graph, "ann", "approver")
    admin = settings.bootstrap_admin_key.get_secret_value()
    only_churn = {"model": "churn", "types": ["alias.moved", "review.filed", "review.decided"]}
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        start = (await gql(http, admin, PAGE, {"after": 0}))["data"]["registryEvents"]
        while start["hasMore"]:
            start = (await gql(http, admin, PAGE, {"after": start["lastSequence"]}))["data"]["registryEvents"]
        after = start["lastSequence"]
        async with Socket(live_server, pat, EVENTS, {"after": after, "filter": only_churn}) as sub:
            filed = (await gql(http, pat, SET_ALIAS, {"alias": "production", "version": 1}))["data"]["setAlias"]
            assert filed["__typename"] == "ReviewRequired"
            assert (await gql(http, ann, APPROVE, {"id": filed["reviewId"]}))["data"]["approveReview"][
                "__typename"
            ] == "ReviewDecided"
            seen = [(await sub.next())["registryEvents"] for _ in range(3)]
            assert [e["type"] for e in seen] == ["review.filed", "alias.moved", "review.decided"]
            moved = seen[1]
            assert (moved["actor"], moved["data"]["approved_by"], moved["model"]) == ("pat", "ann", "churn")
            assert moved["cloudEvent"]["type"] == "io.modelgraph.alias.moved"
            assert moved["cloudEvent"]["sequence"] == moved["sequence"]
            assert await sub.quiet()
        last = seen[-1]["sequence"]
        # Disconnected: changes happen meanwhile. The reconnect asks from its last sequence.
        await gql(http, admin, SET_ALIAS, {"alias": "staging", "version": 2})
        await gql(http, admin, SET_ALIAS, {"alias": "shadow", "version": 1})
        async with Socket(live_server, pat, EVENTS, {"after": last, "filter": only_churn}) as sub:
            missed = [(await sub.next())["registryEvents"] for _ in range(2)]
            assert [(e["type"], e["data"]["alias"]) for e in missed] == [
                ("alias.moved", "staging"),
                ("alias.moved", "shadow"),
            ]
            assert all(e["sequence"] > last for e in missed)
            await gql(http, admin, SET_ALIAS, {"alias": "canary", "version": 2})
            live = (await sub.next())["registryEvents"]
            assert (live["type"], live["data"]["alias"]) == ("alias.moved", "canary")
            assert await sub.quiet()
        page = (await gql(http, admin, PAGE, {"after": after, "filter": {"types": ["alias.moved"]}}))["data"]
        assert [e["type"] for e in page["registryEvents"]["events"]] == ["alias.moved"] * 4


async def test_grant_events_are_for_admins_only(live_server: str, settings: Settings, clean_graph: Services) -> None:
    vera = await key_for(clean_graph, "vera", "viewer")
    admin = settings.bootstrap_admin_key.get_secret_value()
    await run(clean_graph, "create_grant", {"principal": "vera", "action": "publish"})
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        as_admin = (await gql(http, admin, PAGE, {"after": 0}))["data"]["registryEvents"]["events"]
        as_viewer = (await gql(http, vera, PAGE, {"after": 0}))["data"]["registryEvents"]["events"]
    assert "grant.created" in [e["type"] for e in as_admin]
    assert not [e for e in as_viewer if e["type"].startswith(("grant.", "principal.", "api_key."))]


async def test_an_approved_production_deployment_event_reaches_deployment_subscribers(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "churn")
    dep = await run(
        clean_graph,
        "create_deployment",
        {
            "model": "churn",
            "name": "churn-prod",
            "environment": {"tier": "production"},
            "serving": [{"version": 1, "traffic_percent": 100}],
        },
    )
    pat = await key_for(clean_graph, "pat", "publisher")
    ann = await key_for(clean_graph, "ann", "approver")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        async with Socket(live_server, pat, DEPLOYMENT_EVENTS, {"id": dep["id"]}) as sub:
            filed = (await gql(http, pat, PROMOTE, {"d": dep["id"]}))["data"]["recordDeploymentEvent"]
            assert filed["__typename"] == "ReviewRequired"
            await gql(http, ann, APPROVE, {"id": filed["reviewId"]})
            event = (await sub.next())["deploymentEvents"]
            assert event == {"type": "PROMOTED", "actor": "pat", "approvedBy": "ann"}
