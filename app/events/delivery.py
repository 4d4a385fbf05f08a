"""The webhook worker every process runs: fan out new events to deliveries, claim due deliveries
under a lease, send them signed, and record the outcome (retry with backoff, or dead-letter).

Exactly once per (event, subscription), however many processes run:
- fan-out takes one cursor node's write lock, so one process at a time turns outbox rows into
  deliveries, and a delivery's unique key (event id + subscription id) makes a repeat a no-op;
- a worker claims a delivery by locking it and then, in a new statement (which reads what the
  previous holder committed), checking that nobody holds an unexpired lease; the lease carries a
  token and only the holder's token may record the outcome;
- a process killed mid-delivery loses nothing: its lease runs out and another worker sends the
  delivery again with the same `webhook-id` (receivers dedupe on it, as Standard Webhooks says).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import httpx
from neo4j import AsyncDriver, AsyncManagedTransaction

from app.config import Settings
from app.events import outbox, webhooks
from app.events.wake import Wake

log = logging.getLogger(__name__)

RESPONSE_PREFIX_BYTES = 512
FANOUT_PAGE = 200

# Is there anything to do? New events for active subscriptions, or a delivery due.
PENDING_WORK: LiteralString = """
OPTIONAL MATCH (c:OutboxCounter {id: 'outbox'})
OPTIONAL MATCH (w:WebhookCursor {id: 'webhooks'})
CALL () { MATCH (s:WebhookSubscription) WHERE s.active RETURN count(s) > 0 AS subscribed }
CALL () {
  MATCH (d:WebhookDelivery) WHERE d.state IN ['pending', 'retrying'] AND d.next_attempt_at <= $now
    AND (d.lease_until IS NULL OR d.lease_until < $now)
  WITH d LIMIT 1
  RETURN count(d) > 0 AS due
}
RETURN subscribed AND coalesce(c.seq, 0) > coalesce(w.seq, 0) AS fan_out, due, subscribed
"""
LOCK_CURSOR: LiteralString = "MATCH (c:WebhookCursor {id: 'webhooks'}) SET c.locked_at = $at RETURN c.seq AS seq"
CREATE_CURSOR: LiteralString = """
MERGE (c:WebhookCursor {id: 'webhooks'}) ON CREATE SET c.seq = 0
SET c.locked_at = $at RETURN c.seq AS seq
"""
NEW_EVENTS: LiteralString = """
MATCH (o:Outbox) WHERE o.seq > $after
RETURN o.id AS id, o.seq AS seq, o.type AS type, o.model AS model ORDER BY o.seq LIMIT $limit
"""
ACTIVE_SUBSCRIPTIONS: LiteralString = """
MATCH (s:WebhookSubscription) WHERE s.active
RETURN s.id AS id, s.event_types AS types, s.model AS model, s.after_seq AS after_seq
"""
CREATE_DELIVERIES: LiteralString = """
UNWIND $rows AS r
MERGE (d:WebhookDelivery {key: r.key})
ON CREATE SET d += r, d.state = 'pending', d.attempts = 0, d.created_at = $at, d.next_attempt_at = $at
"""
ADVANCE_CURSOR: LiteralString = "MATCH (c:WebhookCursor {id: 'webhooks'}) SET c.seq = $seq"
DUE: LiteralString = """
MATCH (d:WebhookDelivery) WHERE d.state IN ['pending', 'retrying'] AND d.next_attempt_at <= $now
  AND (d.lease_until IS NULL OR d.lease_until < $now)
RETURN d.id AS id ORDER BY d.next_attempt_at LIMIT $limit
"""
LOCK_DELIVERIES: LiteralString = """
UNWIND $ids AS id MATCH (d:WebhookDelivery {id: id}) SET d.claim = $token
"""
CLAIM: LiteralString = """
UNWIND $ids AS id MATCH (d:WebhookDelivery {id: id})
WHERE d.state IN ['pending', 'retrying'] AND (d.lease_until IS NULL OR d.lease_until < $now)
SET d.lease_token = $token, d.lease_owner = $owner, d.lease_until = $until,
    d.first_attempt_at = coalesce(d.first_attempt_at, $now)
WITH d
MATCH (s:WebhookSubscription {id: d.subscription_id})
MATCH (o:Outbox {id: d.event_id})
RETURN d {.*} AS d, s {.*} AS s, o {.*} AS o
"""
RECORD: LiteralString = """
MATCH (d:WebhookDelivery {id: $id}) WHERE d.lease_token = $token
SET d += $changes, d.lease_token = null, d.lease_owner = null, d.lease_until = null,
    d.attempts = d.attempts + 1
RETURN d.state AS state
"""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def matches(sub: dict[str, Any], event: dict[str, Any]) -> bool:
    if int(event["seq"]) <= int(sub.get("after_seq") or 0):
        return False
    types = sub.get("types") or []
    if types and event["type"] not in types:
        return False
    if sub.get("model"):
        return bool(event.get("model") == sub["model"])
    return True


def backoff(settings: Settings, attempts: int) -> float:
    """Seconds before the next try after `attempts` failures: exponential, capped, jittered."""
    delay = min(settings.webhook_retry_base_seconds * 2 ** max(attempts - 1, 0), settings.webhook_retry_max_seconds)
    return float(delay * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not a secret


class Worker:
    def __init__(
        self, driver: AsyncDriver, settings: Settings, attempted: Callable[[str], None] = lambda outcome: None
    ) -> None:
        self.driver, self.settings = driver, settings
        self.attempted = attempted  # told what followed each attempt (for /metrics)
        self.database = settings.neo4j_database
        self.owner = worker_id()
        self._wake = Wake()
        self._client: httpx.AsyncClient | None = None
        # Whether any subscription was active at the last round: without one a commit has nothing
        # to fan out, so it does not wake the worker (a new subscription is seen at the next poll).
        self.subscribed = True

    def nudge(self, seq: int) -> None:
        """Called after a commit, possibly from another thread's event loop."""
        if self.subscribed:
            self._wake.nudge()

    async def run(self) -> None:
        timeout = httpx.Timeout(
            self.settings.webhook_timeout_seconds, connect=self.settings.webhook_connect_timeout_seconds
        )
        self._client = httpx.AsyncClient(follow_redirects=False, timeout=timeout, trust_env=False)
        self._wake.bind()
        outbox.on_commit(self.nudge)
        log.info("webhook worker %s started", self.owner)
        try:
            while True:
                busy = False
                try:
                    busy = await self.step()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the database away: try again next round
                    log.warning("webhook worker: %s: %s", type(exc).__name__, exc)
                if busy:
                    continue
                await self._wake.wait(self.settings.events_poll_seconds)
        finally:
            outbox.off_commit(self.nudge)
            await self._client.aclose()

    async def step(self) -> bool:
        """One round; True when there may be more work right away. Idle, a round is two reads:
        the write transactions run only when there are new events or due deliveries."""
        records, _, _ = await self.driver.execute_query(
            PENDING_WORK, now=datetime.now(UTC), database_=self.database, routing_="r", bookmark_manager_=None
        )
        work = records[0] if records else None
        self.subscribed = bool(work is not None and work["subscribed"])
        fanned = await self.fan_out() if work is not None and work["fan_out"] else 0
        claimed = await self.claim() if fanned or (work is not None and work["due"]) else []
        if claimed:
            await asyncio.gather(*(self.deliver(*c) for c in claimed))
        return fanned >= FANOUT_PAGE or len(claimed) >= self.settings.webhook_batch

    # ---- fan-out -----------------------------------------------------------------------------
    async def fan_out(self) -> int:
        async with self.driver.session(database=self.database) as session:
            result: int = await session.execute_write(self._fan_out_tx)
            return result

    async def _fan_out_tx(self, tx: AsyncManagedTransaction) -> int:
        at = datetime.now(UTC)
        row = await (await tx.run(LOCK_CURSOR, at=at)).single()
        if row is None:
            row = await (await tx.run(CREATE_CURSOR, at=at)).single(strict=True)
        after = int(row["seq"])
        events = [r.data() async for r in await tx.run(NEW_EVENTS, after=after, limit=FANOUT_PAGE)]
        if not events:
            return 0
        subs = [r.data() async for r in await tx.run(ACTIVE_SUBSCRIPTIONS)]
        rows = [
            {
                "key": f"{e['id']}:{s['id']}",
                "id": "whd_" + uuid.uuid4().hex,
                "event_id": e["id"],
                "event_seq": e["seq"],
                "event_type": e["type"],
                "subscription_id": s["id"],
            }
            for e in events
            for s in subs
            if matches(s, e)
        ]
        if rows:
            await (await tx.run(CREATE_DELIVERIES, rows=rows, at=at)).consume()
        await (await tx.run(ADVANCE_CURSOR, seq=events[-1]["seq"])).consume()
        return len(events)

    # ---- claim -------------------------------------------------------------------------------
    async def claim(self) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]]:
        token = uuid.uuid4().hex
        async with self.driver.session(database=self.database) as session:
            found: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]] = await session.execute_write(
                self._claim_tx, token
            )
            return found

    async def _claim_tx(
        self, tx: AsyncManagedTransaction, token: str
    ) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]]:
        now = datetime.now(UTC)
        due = [r["id"] async for r in await tx.run(DUE, now=now, limit=self.settings.webhook_batch)]
        if not due:
            return []
        ids = sorted(due)  # one lock order for every worker
        await (await tx.run(LOCK_DELIVERIES, ids=ids, token=token)).consume()
        until = now + timedelta(seconds=self.settings.webhook_lease_seconds)
        # A new statement after the locks: it sees what a previous holder committed.
        claimed = [
            r.data() async for r in await tx.run(CLAIM, ids=ids, now=now, token=token, owner=self.owner, until=until)
        ]
        return [(c["d"], c["s"], outbox.plain(c["o"]), token) for c in claimed]

    # ---- send --------------------------------------------------------------------------------
    async def deliver(self, delivery: dict[str, Any], sub: dict[str, Any], event: dict[str, Any], token: str) -> None:
        started = time.monotonic()
        changes: dict[str, Any] = {"last_attempt_at": datetime.now(UTC), "last_worker": self.owner}
        try:
            if not sub.get("active"):
                changes.update(state="cancelled", last_error="the subscription was deleted")
                await self._record(delivery["id"], token, changes)
                return
            status, prefix, error = await self.send(sub, event)
        except Exception as exc:  # never lose the lease bookkeeping to an unforeseen error
            status, prefix, error = None, None, f"{type(exc).__name__}: {exc}"
        changes["last_duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        changes["last_status"] = status
        changes["last_response"] = prefix
        changes["last_error"] = error
        if status is not None and 200 <= status < 300:
            changes.update(state="delivered", delivered_at=datetime.now(UTC))
        else:
            attempts = int(delivery.get("attempts") or 0) + 1
            first: Any = delivery.get("first_attempt_at")
            first_at = first.to_native() if hasattr(first, "to_native") else (first or datetime.now(UTC))
            next_at = datetime.now(UTC) + timedelta(seconds=backoff(self.settings, attempts))
            if next_at > first_at + timedelta(seconds=self.settings.webhook_retry_window_seconds):
                changes.update(state="dead", dead_at=datetime.now(UTC))
                log.warning("webhook delivery %s dead-lettered after %d attempts", delivery["id"], attempts)
            else:
                changes.update(state="retrying", next_attempt_at=next_at)
        await self._record(delivery["id"], token, changes)

    async def _record(self, delivery_id: str, token: str, changes: dict[str, Any]) -> None:
        self.attempted(str(changes.get("state")))
        async with self.driver.session(database=self.database) as session:
            result = await session.run(RECORD, id=delivery_id, token=token, changes=changes)
            if await result.single() is None:
                log.warning("webhook delivery %s: lease lost before its outcome was recorded", delivery_id)

    async def send(self, sub: dict[str, Any], event: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
        """POST the CloudEvent (structured JSON) signed; (status, response prefix, error)."""
        assert self._client is not None
        try:
            target = await webhooks.resolve(str(sub["url"]), self.settings.webhook_allow_hosts)
        except webhooks.Blocked as exc:
            return None, None, f"blocked: {exc}"
        secret = webhooks.unseal(self.settings.artifact_key.get_secret_value(), str(sub["secret_sealed"]))
        body = outbox.envelope_bytes(event)
        timestamp = int(time.time())
        headers = {
            "content-type": "application/cloudevents+json; charset=utf-8",
            "user-agent": "modelgraph-webhooks/1",
            "host": target.host_header(),
            "webhook-id": str(event["id"]),
            "webhook-timestamp": str(timestamp),
            "webhook-signature": webhooks.sign(secret, str(event["id"]), timestamp, body),
        }
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        try:
            async with self._client.stream(
                "POST", target.connect_url(), content=body, headers=headers, extensions=extensions
            ) as response:
                prefix = b""
                async for chunk in response.aiter_bytes():
                    prefix += chunk
                    if len(prefix) >= RESPONSE_PREFIX_BYTES:
                        break
                return response.status_code, prefix[:RESPONSE_PREFIX_BYTES].decode("utf-8", "replace"), None
        except httpx.TimeoutException:
            return None, None, "timed out"
        except httpx.HTTPError as exc:
            return None, None, f"{type(exc).__name__}: {exc}"[:300]


def summary(delivery: dict[str, Any]) -> dict[str, Any]:
    """A delivery as plain JSON-able values (for logs and tests)."""
    return json.loads(json.dumps(delivery, default=str))  # type: ignore[no-any-return]
