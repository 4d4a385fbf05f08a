"""The transactional outbox: registry events written in the transaction of the change they report.

Sequence numbers come from one counter node that a write takes as the **last** statement of its
transaction (after its stream lock, its change and its audit event), so the counter's write lock is
held only while the transaction commits. Two consequences:

- events commit in sequence order: whoever sees event n+1 committed also sees event n, so a reader
  that asks for "everything after n" never skips one that commits later (no gaps to wait for);
- a rolled-back write rolls its sequence numbers back too: the sequence has no holes.

Lock order stays stream head -> counter for every write, so the counter adds no deadlock.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, LiteralString

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from neo4j import AsyncDriver, AsyncManagedTransaction

from app.events.catalog import SOURCE, Event, envelope_type

_SEQUENCE_AND_CREATE: LiteralString = """
SET c.seq = c.seq + size($events)
WITH c.seq - size($events) AS base
UNWIND range(0, size($events) - 1) AS i
CREATE (o:Outbox)
SET o = $events[i], o.seq = base + i + 1
RETURN o.seq AS seq
"""
APPEND: LiteralString = "MATCH (c:OutboxCounter {id: 'outbox'})" + _SEQUENCE_AND_CREATE
# The same, continuing the statement that stored the write's audit event (`e`): one round trip for both.
AFTER_AUDIT: LiteralString = "\nWITH e MATCH (c:OutboxCounter {id: 'outbox'})" + _SEQUENCE_AND_CREATE
# Only the very first event of a graph creates the counter (MERGE would take a shared lock first,
# and concurrent writers would deadlock upgrading it, as with audit stream heads).
APPEND_FIRST: LiteralString = (
    "MERGE (c:OutboxCounter {id: 'outbox'}) ON CREATE SET c.seq = 0, c.epoch = randomUUID()" + _SEQUENCE_AND_CREATE
)
LAST_SEQUENCE: LiteralString = "OPTIONAL MATCH (c:OutboxCounter {id: 'outbox'}) RETURN coalesce(c.seq, 0) AS seq"
READ_AFTER: LiteralString = """
MATCH (o:Outbox) WHERE o.seq > $after
  AND ($types IS NULL OR o.type IN $types)
  AND ($model IS NULL OR o.model = $model)
RETURN o {.*} AS o ORDER BY o.seq LIMIT $limit
"""


def rows_for(events: list[Event], audit: dict[str, Any], at: datetime) -> list[dict[str, Any]]:
    """Outbox properties of each event, pinned to the audit event written with it."""
    return [
        {
            k: v
            for k, v in {
                "id": "evt_" + uuid.uuid4().hex,
                "type": e.type,
                "subject": e.subject,
                "model": e.model,
                "actor": audit.get("actor"),
                "at": at,
                "stream": audit.get("chain"),
                "audit_id": audit.get("id"),
                "audit_seq": audit.get("seq"),
                "request_id": audit.get("request_id"),
                "data": json.dumps(e.data, sort_keys=True, default=str),
            }.items()
            if v is not None
        }
        for e in events
    ]


async def append(tx: AsyncManagedTransaction, events: list[Event], audit: dict[str, Any], at: datetime) -> list[int]:
    """Sequence and write the events (call it last in the transaction: it takes the counter's lock)."""
    if not events:
        return []
    rows = rows_for(events, audit, at)
    found = [r["seq"] async for r in await tx.run(APPEND, events=rows)]
    return [int(s) for s in found] if found else await append_first(tx, rows)


async def append_first(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> list[int]:
    """Sequence rows when the counter does not exist yet (the graph's very first events)."""
    return [int(r["seq"]) async for r in await tx.run(APPEND_FIRST, events=rows)]


async def last_sequence(driver: AsyncDriver, database: str) -> int:
    records, _, _ = await driver.execute_query(LAST_SEQUENCE, database_=database, routing_="r", bookmark_manager_=None)
    return int(records[0]["seq"]) if records else 0


async def read_after(
    driver: AsyncDriver,
    database: str,
    after: int,
    *,
    limit: int = 200,
    types: list[str] | None = None,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """Committed events after a sequence number, oldest first."""
    records, _, _ = await driver.execute_query(
        READ_AFTER,
        after=after,
        types=types,
        model=model,
        limit=limit,
        database_=database,
        routing_="r",
        bookmark_manager_=None,
    )
    return [plain(r["o"]) for r in records]


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """An outbox row with native Python values and its data decoded."""
    out = dict(row)
    at: Any = out.get("at")
    if hasattr(at, "to_native"):
        out["at"] = at.to_native()
    out["data"] = json.loads(out["data"]) if isinstance(out.get("data"), str) else (out.get("data") or {})
    return out


def cloud_event(row: dict[str, Any]) -> CloudEvent:
    """The CloudEvents 1.0 envelope of an outbox row (extensions carry sequence, actor and audit ids)."""
    at = row.get("at") or datetime.now(UTC)
    attributes: dict[str, Any] = {
        "id": row["id"],
        "source": SOURCE,
        "type": envelope_type(row["type"]),
        "specversion": "1.0",
        "time": at if at.tzinfo else at.replace(tzinfo=UTC),
        "datacontenttype": "application/json",
        "sequence": int(row["seq"]),
        "actor": row.get("actor") or "",
        "auditstream": row.get("stream") or "",
        "auditseq": int(row.get("audit_seq") or 0),
        "auditid": row.get("audit_id") or "",
    }
    if row.get("subject"):
        attributes["subject"] = row["subject"]
    if row.get("model"):
        attributes["model"] = row["model"]
    return CloudEvent(attributes, data=row.get("data") or {})


def envelope_bytes(row: dict[str, Any]) -> bytes:
    """The structured-mode JSON of the envelope (what webhooks POST and registryEvents returns)."""
    return JSONFormat().write(cloud_event(row))


def envelope_dict(row: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(envelope_bytes(row))
    return parsed


# Told (with the highest sequence) after a write of this process committed events: the process's
# tail reads them at once instead of at its next poll. Other processes find them by polling.
_listeners: list[Any] = []


def on_commit(listener: Any) -> None:
    _listeners.append(listener)


def off_commit(listener: Any) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def committed(seq: int) -> None:
    for listener in list(_listeners):
        listener(seq)
