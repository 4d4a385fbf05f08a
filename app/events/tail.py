"""One per process: follow the outbox and hand each committed event to this process's subscribers.

Cheap when idle: each poll reads the counter node only, and the rows only when it moved and
someone in this process listens. A write committed by this process wakes the tail at once while
someone listens; writes of other processes are seen within `MODELGRAPH_EVENTS_POLL_SECONDS`.
Because events commit in sequence order (app/events/outbox.py), "rows after the last one seen"
never skips one.

With no listener the tail only keeps its position. Listeners are looked for after the counter is
read: a subscriber that registers later reads the counter itself afterwards, so it catches up at
least to that position and gets everything later from the tail (it drops what it sees twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, LiteralString

from neo4j import AsyncDriver

from app.events import outbox
from app.events.broker import ALL, DEPLOYMENT_EVENTS, HEALTH_CHANGES, REGISTRY_EVENTS, VERSION_FLAGS, Broker, broker
from app.events.wake import Wake

log = logging.getLogger(__name__)

COUNTER: LiteralString = "OPTIONAL MATCH (c:OutboxCounter {id: 'outbox'}) RETURN c.seq AS seq, c.epoch AS epoch"
PAGE = 500


class OutboxTail:
    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        poll_seconds: float,
        to: Broker = broker,
        seen: Callable[[int], None] = lambda seq: None,
    ) -> None:
        self.driver, self.database, self.poll_seconds, self.broker = driver, database, poll_seconds, to
        self.seen = seen  # told the newest sequence handed out (for /metrics)
        self.last: int | None = None
        self.epoch: str | None = None
        self._wake = Wake()

    def nudge(self, seq: int) -> None:
        """Called after a commit, possibly from another thread's event loop. Nobody listening: the
        next poll keeps the position, and every write is spared two reads."""
        if self.broker.has_listeners():
            self._wake.nudge()

    async def run(self) -> None:
        self._wake.bind()
        outbox.on_commit(self.nudge)
        try:
            while True:
                try:
                    await self.step()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # Neo4j away: keep the position, try again next poll
                    log.warning("outbox tail: %s", type(exc).__name__)
                await self._wake.wait(self.poll_seconds)
        finally:
            outbox.off_commit(self.nudge)

    async def step(self) -> None:
        records, _, _ = await self.driver.execute_query(
            COUNTER, database_=self.database, routing_="r", bookmark_manager_=None
        )
        listening = self.broker.has_listeners()  # after the counter was read (see the module docstring)
        seq = int(records[0]["seq"] or 0) if records else 0
        epoch = records[0]["epoch"] if records else None
        if self.last is None or epoch != self.epoch:
            # First poll: start from now. A new epoch (the graph was emptied or restored): from its start.
            self.last = seq if self.last is None else 0
            self.epoch = epoch
            if self.last == seq:
                return
        if not listening:
            self.last = seq
            self.seen(seq)
            return
        while seq > self.last:
            rows = await outbox.read_after(self.driver, self.database, self.last, limit=PAGE)
            if not rows:
                break
            for row in rows:
                self.last = int(row["seq"])
                dispatch(self.broker, row)
            self.seen(self.last)


def dispatch(to: Broker, row: dict[str, Any]) -> None:
    """Every event to registryEvents subscribers; the older per-deployment topics get theirs."""
    to.publish(REGISTRY_EVENTS, ALL, row)
    data = row.get("data") or {}
    if row["type"] == "deployment.event" and isinstance(data.get("event"), dict):
        to.publish(DEPLOYMENT_EVENTS, str(data.get("deployment_id")), data["event"])
    elif row["type"] == "health.changed" and isinstance(data.get("change"), dict):
        to.publish(HEALTH_CHANGES, str(data["change"].get("deployment_id")), data["change"])
    elif row["type"] == "flag.raised":
        to.publish(VERSION_FLAGS, f"{data.get('model')}:{data.get('version')}", data)
