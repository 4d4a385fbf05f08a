"""Hash-chained audit events, one chain per stream, written inside the transaction of the change.

A stream is one aggregate (a model with its versions and aliases, a run, a dataset, a deployment,
a principal, ...). Writes lock only their own stream's head, so writes to different models never
wait on each other; keyed checkpoints (`app/graph/checkpoints.py`) pin every head together.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from app.graph.core_queries import AUDIT_ABOUT
from app.graph.ids import label_of

GENESIS = "0" * 64
FORMAT = 2  # events of the single global chain (before streams) carry no format
# The migration to streams labelled the old global chain with these; they are not in its hashes.
LEGACY_UNHASHED = frozenset({"hash", "chain", "position"})
LEGACY_STREAM = "legacy"

# MATCH then SET takes the head's write lock directly. MERGE would take a shared lock first, and
# concurrent appends would deadlock upgrading it, so MERGE only creates a stream's first head.
LOCK_STREAM: LiteralString = """
MATCH (s:AuditStream {id: $stream})
SET s.seq = s.seq + 1, s.dirty = true
RETURN s.seq AS seq, s.hash AS prev_hash
"""
CREATE_STREAM: LiteralString = """
MERGE (s:AuditStream {id: $stream})
ON CREATE SET s.seq = 0, s.hash = $genesis
SET s.seq = s.seq + 1, s.dirty = true
RETURN s.seq AS seq, s.hash AS prev_hash
"""
# One statement ends every write: the event, the head's new hash, the edge to what the event is
# about and the idempotency record (each a round trip of its own before).
_APPEND_HEAD: LiteralString = "MATCH (s:AuditStream {id: $props.chain}) "
_APPEND_BODY: LiteralString = """
CREATE (e:AuditEvent)
SET e = $props, s.hash = $props.hash, s.at = $props.at
FOREACH (_ IN CASE WHEN $idempotency IS NULL THEN [] ELSE [1] END |
  CREATE (:IdempotencyRecord {key: $idempotency.key, fingerprint: $idempotency.fingerprint,
                              result: $idempotency.result, created_at: $props.at}))
"""
APPEND_AUDIT: LiteralString = _APPEND_HEAD + _APPEND_BODY
_ABOUT_EDGE: LiteralString = """
FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | CREATE (e)-[:ABOUT]->(t))
"""
APPEND_AUDIT_ABOUT: dict[str, LiteralString] = {
    label: _APPEND_HEAD + "OPTIONAL MATCH (t:" + label + " {id: $target_id}) " + _APPEND_BODY + _ABOUT_EDGE
    for label in AUDIT_ABOUT
}  # labels from the fixed tuple behind AUDIT_ABOUT, never from a request


@dataclass
class AuditRecord:
    """What happened; the chain fields are filled in when it is appended."""

    actor: str
    action: str
    target_id: str | None
    target_kind: str | None
    decision: str  # allowed | denied | review | applied | unavailable
    reasons: list[str] = field(default_factory=list)
    request_id: str | None = None
    purpose: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    stream: str | None = None  # None: the stream of the entity the write creates


@dataclass(frozen=True)
class Head:
    """A stream's head as locked by the current transaction: the next seq and the hash before it."""

    stream: str
    seq: int
    prev_hash: str


def canonical(props: dict[str, Any]) -> str:
    """Stable text of an event's properties (without its own hash)."""

    def encode(value: Any) -> Any:
        if hasattr(value, "to_native"):
            value = value.to_native()
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        return value

    unhashed = {"hash"} if props.get("format") else LEGACY_UNHASHED
    body = {k: encode(v) for k, v in sorted(props.items()) if k not in unhashed}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, props: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(props)).encode()).hexdigest()


def position(at: datetime) -> int:
    """Trail order without a global counter: microseconds, plus a random tie-breaker."""
    micros = int(at.timestamp() * 1_000_000)
    return micros * 1000 + uuid.uuid4().int % 1000


async def lock(tx: AsyncManagedTransaction, stream: str, *, new: bool = False) -> Head:
    """Take the stream head's write lock (creating the stream on first use) and reserve a seq.
    `new`: the stream is a just-created aggregate's, so go straight to creating its head."""
    row = None if new else await (await tx.run(LOCK_STREAM, stream=stream)).single()
    if row is None:
        row = await (await tx.run(CREATE_STREAM, stream=stream, genesis=GENESIS)).single(strict=True)
    return Head(stream, int(row["seq"]), str(row["prev_hash"]))


async def append(
    tx: AsyncManagedTransaction,
    record: AuditRecord,
    at: datetime,
    head: Head,
    idempotency: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Append one event after the locked head (with the write's idempotency record, if any)."""
    props = event_props(record, at, head)
    await write_event(tx, props, record.target_id, idempotency)
    return props


def event_props(record: AuditRecord, at: datetime, head: Head) -> dict[str, Any]:
    """The stored properties of the record's event after the locked head, its chain hash included."""
    props: dict[str, Any] = {
        "id": "ae_" + uuid.uuid4().hex,
        "format": FORMAT,
        "chain": head.stream,
        "seq": head.seq,
        "position": position(at),
        "prev_hash": head.prev_hash,
        "at": at,
        "actor": record.actor,
        "action": record.action,
        "target_id": record.target_id,
        "target_kind": record.target_kind,
        "decision": record.decision,
        "reasons": list(record.reasons),
        "request_id": record.request_id,
        "purpose": record.purpose,
        "details": json.dumps(record.details, sort_keys=True, default=str),
    }
    props = {k: v for k, v in props.items() if v is not None}
    props["hash"] = chain_hash(head.prev_hash, props)
    return props


async def write_event(
    tx: AsyncManagedTransaction,
    props: dict[str, Any],
    target_id: str | None,
    idempotency: dict[str, str] | None = None,
    *,
    then: LiteralString = "",
    **params: Any,
) -> list[Any]:
    """Store an event built by `event_props`. `then` continues the same statement after the event
    (with `e` bound to it, `params` as its parameters) and its rows are returned: a write's last
    statements share one round trip."""
    label = label_of(target_id) if target_id else None
    query = APPEND_AUDIT_ABOUT[label] if label in APPEND_AUDIT_ABOUT else APPEND_AUDIT
    result = await tx.run(query + then, props=props, target_id=target_id, idempotency=idempotency, **params)
    if not then:
        await result.consume()
        return []
    return [record async for record in result]


async def link_about(
    tx: AsyncManagedTransaction, queries: dict[str, LiteralString], source_id: str, target_id: str | None
) -> None:
    """Point a record at what it is about, when the target is a node we know how to find."""
    label = label_of(target_id) if target_id else None
    if label in queries:
        await (await tx.run(queries[label], source_id=source_id, target_id=target_id)).consume()
