"""Outbox retention: events are kept for `MODELGRAPH_OUTBOX_RETENTION_HOURS`, then removed oldest
first, so the outbox does not grow for ever.

Only a prefix of the sequence is ever removed: pruning stops at the first event that is younger
than the retention or that a webhook delivery still waits to send (pending or retrying). So "every
event up to N is gone, every later one is here" holds, and a reader that asks for events after a
sequence older than N is told so (`EventsPruned`) instead of silently missing some. Deliveries that
ended (delivered, dead, cancelled) go with their event. One pruner at a time: each batch locks the
retention node first (never the outbox counter, which every write takes when it commits).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from app.errors import Conflict

log = logging.getLogger(__name__)

BATCH = 1000

LOCK: LiteralString = """
MERGE (r:OutboxRetention {id: 'outbox'}) ON CREATE SET r.pruned_through = 0
SET r.locked_at = $now
RETURN r.pruned_through AS pruned_through
"""
PRUNABLE: LiteralString = """
MATCH (o:Outbox) WHERE o.seq > $after
WITH o ORDER BY o.seq LIMIT $batch
RETURN o.id AS id, o.seq AS seq,
       o.at < $cutoff AND NOT EXISTS {
         MATCH (d:WebhookDelivery {event_id: o.id}) WHERE d.state IN ['pending', 'retrying']
       } AS prunable
"""
DELETE: LiteralString = """
UNWIND $ids AS id
MATCH (o:Outbox {id: id})
OPTIONAL MATCH (d:WebhookDelivery {event_id: id})
DETACH DELETE d, o
"""
ADVANCE: LiteralString = "MATCH (r:OutboxRetention {id: 'outbox'}) SET r.pruned_through = $seq"
PRUNED_THROUGH: LiteralString = """
OPTIONAL MATCH (r:OutboxRetention {id: 'outbox'}) RETURN coalesce(r.pruned_through, 0) AS seq
"""


class EventsPruned(Conflict):
    """Events the reader asked for were removed by the retention; it must re-read current state."""


async def prune_batch(tx: AsyncManagedTransaction, cutoff: datetime, batch: int = BATCH) -> int:
    """Remove up to `batch` of the oldest events older than `cutoff`; returns how many."""
    now = datetime.now(UTC)
    after = int((await (await tx.run(LOCK, now=now)).single(strict=True))["pruned_through"])
    candidates = [r async for r in await tx.run(PRUNABLE, after=after, batch=batch, cutoff=cutoff)]
    gone: list[str] = []
    last = after
    for row in candidates:
        if not row["prunable"]:
            break
        gone.append(row["id"])
        last = int(row["seq"])
    if gone:
        await (await tx.run(DELETE, ids=gone)).consume()
        await (await tx.run(ADVANCE, seq=last)).consume()
    return len(gone)


async def prune(driver: AsyncDriver, database: str, retention: timedelta) -> int:
    """Remove every event past the retention (batch by batch); returns how many went."""
    cutoff = datetime.now(UTC) - retention
    removed = 0
    async with driver.session(database=database) as session:
        while True:
            count = await session.execute_write(prune_batch, cutoff)
            removed += count
            if count < BATCH:
                return removed


async def pruned_through(driver: AsyncDriver, database: str) -> int:
    """Every event up to this sequence number has been removed (0: none)."""
    records, _, _ = await driver.execute_query(PRUNED_THROUGH, database_=database, routing_="r")
    return int(records[0]["seq"]) if records else 0


async def check_after(driver: AsyncDriver, database: str, after: int) -> None:
    """Refuse to read on from a sequence whose successors were pruned (0 means from the oldest kept)."""
    if after <= 0:
        return
    through = await pruned_through(driver, database)
    if after < through:
        raise EventsPruned(
            f"afterSequence: events up to {through} were removed by the outbox retention; "
            f"re-read the current state and continue from {through}",
            field="afterSequence",
        )


async def run_periodically(driver: AsyncDriver, database: str, retention: timedelta, every: float) -> None:
    while True:
        try:
            removed = await prune(driver, database, retention)
            if removed:
                log.info("outbox retention removed %d events older than %s", removed, retention)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the next round tries again; the outbox only grows meanwhile
            log.warning("outbox retention failed this round: %s: %s", type(exc).__name__, exc)
        await asyncio.sleep(every)
