"""Webhooks against a real receiver on loopback (allow-listed): signed CloudEvents, retries through
a failure and a timeout, dead letter and redelivery, and the SSRF guard refusing private targets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.events import webhooks
from app.services import Services
from tests.conftest import serve
from tests.e2e.receiver import Receiver, parsed, receiving
from tests.e2e.test_governance_http import gql, key_for
from tests.integration.chain import build_chain

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

SUBSCRIBE = """mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) {
  __typename ... on WebhookSubscriptionCreated { secret subscription { id url eventTypes model } }
  ... on Error { code message field } } }"""
SET_ALIAS = """mutation($alias: String!, $version: Int!) {
  setAlias(input: {model: "churn", alias: $alias, version: $version}) { __typename } }"""
DELIVERIES = """query($id: ID!) { webhookDeliveries(subscriptionId: $id) {
  id state attempts lastStatus lastResponse lastError eventType eventId } }"""
REDELIVER = """mutation($id: ID!) { redeliverWebhook(input: {id: $id}) { __typename ... on Error { message } } }"""
DELETE = """mutation($id: ID!) { deleteWebhookSubscription(input: {id: $id}) { __typename } }"""


@pytest.fixture(scope="module")
def hooks_server(settings: Settings) -> Iterator[str]:
    """A service with its webhook worker on (the shared test server runs none)."""
    with serve(settings.model_copy(update={"webhooks_enabled": True})) as url:
        yield url


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as r:
        yield r


async def subscribe(http: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    body = await gql(http, token, SUBSCRIBE, {"input": fields})
    created: dict[str, Any] = body["data"]["createWebhookSubscription"]
    return created


async def deliveries(http: httpx.AsyncClient, token: str, subscription: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await gql(http, token, DELIVERIES, {"id": subscription}))["data"][
        "webhookDeliveries"
    ]
    return found


async def until(check: Any, within: float = 20) -> Any:
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def test_a_signed_event_gets_through_a_failing_then_hanging_receiver_exactly_once(
    hooks_server: str, settings: Settings, clean_graph: Services, receiver: Receiver
) -> None:
    await build_chain(clean_graph, "churn")
    token = settings.bootstrap_admin_key.get_secret_value()
    url = receiver.script("moved", "fail", "hang")
    async with httpx.AsyncClient(base_url=hooks_server, timeout=30) as http:
        created = await subscribe(http, token, url=url, eventTypes=["alias.moved"], model="churn")
        assert created["__typename"] == "WebhookSubscriptionCreated", created
        secret, sub = created["secret"], created["subscription"]
        assert sub["eventTypes"] == ["alias.moved"] and sub["model"] == "churn"
        assert (await gql(http, token, SET_ALIAS, {"alias": "staging", "version": 1}))["data"]["setAlias"][
            "__typename"
        ] == "AliasSuccess"
        [ok] = await receiver.wait_for("moved")
        attempts = receiver.got("moved")
        assert [a.answered for a in attempts] == [500, None, 200]
        assert len({a.headers["webhook-id"] for a in attempts}) == 1  # one message, retried
        for attempt in attempts:
            assert webhooks.verify(secret, attempt.headers, attempt.body)
        assert not webhooks.verify(webhooks.new_secret(), ok.headers, ok.body)
        event = parsed(ok)
        assert ok.headers["content-type"].startswith("application/cloudevents+json")
        assert event["specversion"] == "1.0" and event["type"] == "io.modelgraph.alias.moved"
        assert event["id"] == ok.headers["webhook-id"]
        assert event["data"]["alias"] == "staging" and event["model"] == "churn"

        async def delivered() -> list[dict[str, Any]]:
            found = await deliveries(http, token, sub["id"])
            return found if found and found[0]["state"] == "delivered" else []

        [record] = await until(delivered)
        assert (record["attempts"], record["lastStatus"], record["lastResponse"]) == (3, 200, "thanks")
        assert record["eventType"] == "alias.moved" and record["eventId"] == event["id"]
        await asyncio.sleep(1)
        assert len(receiver.delivered("moved")) == 1
        metrics = (await http.get("/metrics")).text
        assert 'modelgraph_webhook_attempts_total{outcome="delivered"} 1.0' in metrics
        assert 'modelgraph_webhook_attempts_total{outcome="retrying"} 2.0' in metrics


async def test_a_receiver_that_never_recovers_is_dead_lettered_and_can_be_redelivered(
    hooks_server: str, settings: Settings, clean_graph: Services, receiver: Receiver
) -> None:
    await build_chain(clean_graph, "churn")
    token = settings.bootstrap_admin_key.get_secret_value()
    url = receiver.script("down", *(["fail"] * 50))
    async with httpx.AsyncClient(base_url=hooks_server, timeout=30) as http:
        created = await subscribe(http, token, url=url, model="churn", eventTypes=["io.modelgraph.alias.moved"])
        sub = created["subscription"]
        await gql(http, token, SET_ALIAS, {"alias": "staging", "version": 1})

        async def dead() -> list[dict[str, Any]]:
            found = await deliveries(http, token, sub["id"])
            return found if found and found[0]["state"] == "dead" else []

        [record] = await until(dead, within=30)
        assert record["attempts"] >= 3 and record["lastStatus"] == 500
        assert len(record["lastResponse"]) <= 512  # only a prefix of the body is kept
        receiver.script("down")  # recovered
        answer = await gql(http, token, REDELIVER, {"id": record["id"]})
        assert answer["data"]["redeliverWebhook"]["__typename"] == "WebhookChanged"
        await receiver.wait_for("down")
        assert (await deliveries(http, token, sub["id"]))[0]["state"] in ("delivered", "pending", "retrying")
        assert (await gql(http, token, DELETE, {"id": sub["id"]}))["data"]["deleteWebhookSubscription"][
            "__typename"
        ] == "WebhookChanged"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::1]:8080/hook",
        "http://0.0.0.0:1/hook",
        "http://[::ffff:169.254.169.254]/",
        "ftp://127.0.0.1/hook",
    ],
)
async def test_private_and_metadata_targets_are_refused(
    hooks_server: str, settings: Settings, clean_graph: Services, url: str
) -> None:
    token = settings.bootstrap_admin_key.get_secret_value()
    async with httpx.AsyncClient(base_url=hooks_server, timeout=30) as http:
        created = await subscribe(http, token, url=url)
    assert created["__typename"] == "ValidationError" and created["field"] == "url", created


async def test_only_admins_subscribe_to_every_model_and_owners_to_theirs(
    hooks_server: str, settings: Settings, clean_graph: Services, receiver: Receiver
) -> None:
    await build_chain(clean_graph, "churn")
    vera = await key_for(clean_graph, "vera", "publisher")
    url = receiver.script("x")
    async with httpx.AsyncClient(base_url=hooks_server, timeout=30) as http:
        everything = await subscribe(http, vera, url=url)
        foreign = await subscribe(http, vera, url=url, model="churn")
    assert everything["__typename"] == "PermissionDeniedError"
    assert foreign["__typename"] == "PermissionDeniedError"
