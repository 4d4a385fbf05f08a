"""Two `modelgraph serve` processes on one stack behave as one registry: an event written through A
reaches a subscriber on B, each webhook is delivered exactly once although both run a worker, and
killing the process that is delivering loses nothing (its lease runs out, the other delivers).

The processes use the routing scheme (`neo4j://`) and bookmarks, as a cluster deployment would."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.events import webhooks
from app.services import Services
from tests.conftest import _free_port
from tests.e2e.receiver import Receiver, parsed, receiving
from tests.e2e.test_governance_http import gql, key_for
from tests.e2e.test_registry_events import APPROVE, EVENTS, SET_ALIAS, Socket
from tests.e2e.test_webhooks import SUBSCRIBE
from tests.integration.chain import build_chain

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def modelgraph() -> list[str]:
    found = Path(sys.executable).with_name("modelgraph")
    if found.exists():
        return [str(found)]
    which = shutil.which("modelgraph")
    assert which, "the modelgraph command is not installed"
    return [which]


class Replica:
    def __init__(self, settings: Settings, name: str, logs: Path, **env: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logs / f"{name}.log"
        environment = {
            **os.environ,
            "MODELGRAPH_PROFILE": settings.profile,
            "MODELGRAPH_NEO4J_URI": settings.neo4j_uri.replace("bolt://", "neo4j://"),
            "MODELGRAPH_NEO4J_BOOKMARKS": "true",
            "MODELGRAPH_WEBHOOKS_ENABLED": "true",
            "MODELGRAPH_WEBHOOK_ALLOW_HOSTS": json.dumps(settings.webhook_allow_hosts),
            "MODELGRAPH_WEBHOOK_RETRY_BASE_SECONDS": "0.2",
            "MODELGRAPH_WEBHOOK_RETRY_MAX_SECONDS": "0.5",
            "MODELGRAPH_WEBHOOK_LEASE_SECONDS": "3",
            "MODELGRAPH_WEBHOOK_TIMEOUT_SECONDS": "1",
            "MODELGRAPH_EVENTS_POLL_SECONDS": "0.1",
            "MODELGRAPH_AUDIT_CHECKPOINT_SECONDS": "0",
            "MODELGRAPH_LOG_LEVEL": "WARNING",
            **env,
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*modelgraph(), "serve", "--port", str(self.port)], env=environment, stdout=out, stderr=out
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def replicas(settings: Settings, tmp_path: Path) -> Iterator[tuple[Replica, Replica]]:
    a = Replica(settings, "a", tmp_path)
    try:
        b = Replica(settings, "b", tmp_path)
    except Exception:
        a.stop()
        raise
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as r:
        yield r


async def test_an_approval_through_a_reaches_a_subscriber_on_b_and_each_webhook_once(
    replicas: tuple[Replica, Replica], settings: Settings, clean_graph: Services, receiver: Receiver
) -> None:
    a, b = replicas
    await build_chain(clean_graph, "churn")
    pat = await key_for(clean_graph, "pat", "publisher")
    ann = await key_for(clean_graph, "ann", "approver")
    admin = settings.bootstrap_admin_key.get_secret_value()
    url = receiver.script("both")
    only_moves = {"model": "churn", "types": ["alias.moved"]}
    http_a = httpx.AsyncClient(base_url=a.url, timeout=30)
    http_b = httpx.AsyncClient(base_url=b.url, timeout=30)
    async with http_a, http_b:
        created = (await gql(http_b, admin, SUBSCRIBE, {"input": {"url": url, "model": "churn"}}))["data"][
            "createWebhookSubscription"
        ]
        secret = created["secret"]
        async with Socket(b.url, pat, EVENTS, {"filter": only_moves}) as on_b:
            filed = (await gql(http_a, pat, SET_ALIAS, {"alias": "production", "version": 1}))["data"]["setAlias"]
            assert filed["__typename"] == "ReviewRequired"
            await gql(http_a, ann, APPROVE, {"id": filed["reviewId"]})
            moved = (await on_b.next())["registryEvents"]
            assert (moved["data"]["alias"], moved["data"]["approved_by"]) == ("production", "ann")
            # More writes through both processes while both workers deliver.
            for i in range(8):
                await gql(http_a if i % 2 else http_b, admin, SET_ALIAS, {"alias": f"a{i}", "version": 1})
            seen = [moved] + [(await on_b.next())["registryEvents"] for _ in range(8)]
            assert [e["data"]["alias"] for e in seen] == ["production"] + [f"a{i}" for i in range(8)]
            assert await on_b.quiet()
        # A client that reconnects, to A this time, from before the approval: the same events once.
        async with Socket(a.url, pat, EVENTS, {"filter": only_moves, "after": moved["sequence"] - 1}) as on_a:
            again = [(await on_a.next())["registryEvents"] for _ in range(9)]
            assert [e["id"] for e in again] == [e["id"] for e in seen]
            assert await on_a.quiet()
        # One idempotency key through both processes: one grant, the second answer a replay.
        grant = {"input": {"principal": "pat", "action": "publish", "idempotencyKey": "same-key"}}
        first = (await gql(http_a, admin, CREATE_GRANT, grant))["data"]["createGrant"]
        second = (await gql(http_b, admin, CREATE_GRANT, grant))["data"]["createGrant"]
        assert (first["id"], first["replayed"], second["replayed"]) == (second["id"], False, True)
    # review.filed, alias.moved, review.decided and 8 more moves: 11 events, each delivered once.
    await receiver.wait_for("both", 11)
    await asyncio.sleep(2)
    ok = receiver.delivered("both")
    counts = Counter(r.headers["webhook-id"] for r in ok)
    assert len(counts) == 11 and set(counts.values()) == {1}, counts
    assert all(webhooks.verify(secret, r.headers, r.body) for r in ok)
    types = Counter(parsed(r)["type"] for r in ok)
    assert types == {"io.modelgraph.alias.moved": 9, "io.modelgraph.review.filed": 1, "io.modelgraph.review.decided": 1}
    assert len(receiver.got("both")) == 11  # nothing was even attempted twice


CREATE_GRANT = """mutation($input: CreateGrantInput!) { createGrant(input: $input) {
  ... on GrantSuccess { id replayed } } }"""
OWNER = "MATCH (d:WebhookDelivery {state: $state}) WHERE d.lease_owner IS NOT NULL RETURN d.lease_owner AS owner"
STATE = "MATCH (d:WebhookDelivery) RETURN d.state AS state, d.attempts AS attempts, d.last_worker AS worker"


async def test_killing_the_process_that_is_delivering_loses_nothing(
    settings: Settings, clean_graph: Services, receiver: Receiver, tmp_path: Path
) -> None:
    # The receiver holds the first attempt open longer than the test needs to find and kill its sender.
    receiver.hang_seconds = 6
    slow = {"MODELGRAPH_WEBHOOK_TIMEOUT_SECONDS": "8", "MODELGRAPH_WEBHOOK_LEASE_SECONDS": "10"}
    a, b = Replica(settings, "a", tmp_path, **slow), Replica(settings, "b", tmp_path, **slow)
    try:
        await build_chain(clean_graph, "churn")
        admin = settings.bootstrap_admin_key.get_secret_value()
        url = receiver.script("killed", "hang")
        async with httpx.AsyncClient(base_url=a.url, timeout=30) as http:
            await gql(http, admin, SUBSCRIBE, {"input": {"url": url, "model": "churn", "eventTypes": ["alias.moved"]}})
            await gql(http, admin, SET_ALIAS, {"alias": "staging", "version": 1})
        database = clean_graph.settings.neo4j_database
        owner = None
        deadline = time.monotonic() + 10
        while owner is None and time.monotonic() < deadline:
            records, _, _ = await clean_graph.driver.execute_query(OWNER, state="pending", database_=database)
            owner = records[0]["owner"] if records and receiver.got("killed") else None
            await asyncio.sleep(0.05)
        assert owner is not None, "no worker claimed the delivery"
        pid = int(owner.split(":")[1])
        victim, survivor = (a, b) if pid == a.process.pid else (b, a)
        assert pid == victim.process.pid
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        [ok] = await receiver.wait_for("killed", within=30)
        attempts = receiver.got("killed")
        assert len(attempts) == 2 and attempts[0].headers["webhook-id"] == ok.headers["webhook-id"]
        deadline = time.monotonic() + 10
        while True:  # the receiver answered; the survivor records it right after
            records, _, _ = await clean_graph.driver.execute_query(STATE, database_=database)
            [state] = [dict(r) for r in records]
            if state["state"] == "delivered" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert state["state"] == "delivered"
        assert state["worker"].split(":")[1] == str(survivor.process.pid)
    finally:
        a.stop()
        b.stop()
