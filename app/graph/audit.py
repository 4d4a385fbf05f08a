"""Hash-chained audit events, written inside the transaction of the change they record."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction, AsyncSession

from app.graph.core_queries import AUDIT_ABOUT
from app.graph.ids import label_of

GENESIS = "0" * 64

# Taking the head's write lock serialises appends, so seq and prev_hash never fork. MATCH then SET
# takes the exclusive lock directly; MERGE would take a shared lock first and concurrent appends
# would deadlock upgrading it, so MERGE is only the first-ever fallback.
LOCK_AUDIT_HEAD: LiteralString = """
MATCH (h:AuditHead {id: 'audit-head'})
SET h.seq = h.seq + 1
RETURN h.seq AS seq, h.hash AS prev_hash
"""
CREATE_AUDIT_HEAD: LiteralString = """
MERGE (h:AuditHead {id: 'audit-head'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.seq = h.seq + 1
RETURN h.seq AS seq, h.hash AS prev_hash
"""
APPEND_AUDIT: LiteralString = """
MATCH (h:AuditHead {id: 'audit-head'})
CREATE (e:AuditEvent)
SET e = $props, h.hash = $props.hash
"""
AUDIT_CHAIN_PAGE: LiteralString = """
MATCH (e:AuditEvent) WHERE e.seq > $after
RETURN properties(e) AS props ORDER BY e.seq LIMIT $limit
"""


@dataclass
class AuditRecord:
    """What happened; the chain fields are filled in when it is appended."""

    actor: str
    action: str
    target_id: str | None
    target_kind: str | None
    decision: str  # allowed | denied | review | applied
    reasons: list[str] = field(default_factory=list)
    request_id: str | None = None
    purpose: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def canonical(props: dict[str, Any]) -> str:
    """Stable text of an event's properties (without its own hash)."""

    def encode(value: Any) -> Any:
        if hasattr(value, "to_native"):
            value = value.to_native()
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        return value

    body = {k: encode(v) for k, v in sorted(props.items()) if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, props: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(props)).encode()).hexdigest()


async def append(tx: AsyncManagedTransaction, record: AuditRecord, at: datetime) -> dict[str, Any]:
    """Append one event after the current head; returns the stored properties."""
    head = await (await tx.run(LOCK_AUDIT_HEAD)).single()
    if head is None:
        head = await (await tx.run(CREATE_AUDIT_HEAD, genesis=GENESIS)).single(strict=True)
    props: dict[str, Any] = {
        "id": "ae_" + uuid.uuid4().hex,
        "seq": head["seq"],
        "prev_hash": head["prev_hash"],
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
    props["hash"] = chain_hash(str(head["prev_hash"]), props)
    await (await tx.run(APPEND_AUDIT, props=props)).consume()
    await link_about(tx, AUDIT_ABOUT, props["id"], record.target_id)
    return props


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str | None = None


async def verify(session: AsyncSession, page: int = 2000) -> VerifyResult:
    """Recompute every hash in order; report the first event whose link is broken."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    while True:
        result = await session.run(AUDIT_CHAIN_PAGE, after=expected_seq - 1, limit=page)
        rows = [record["props"] async for record in result]
        if not rows:
            return VerifyResult(ok=True, checked=checked)
        for props in rows:
            seq = props.get("seq")
            if seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"event {expected_seq} is missing")
            if props.get("prev_hash") != prev_hash:
                return VerifyResult(False, checked, seq, "prev_hash does not match the previous event")
            if chain_hash(prev_hash, props) != props.get("hash"):
                return VerifyResult(False, checked, seq, "hash does not match the event's contents")
            prev_hash, expected_seq, checked = props["hash"], expected_seq + 1, checked + 1


async def link_about(
    tx: AsyncManagedTransaction, queries: dict[str, LiteralString], source_id: str, target_id: str | None
) -> None:
    """Point a record at what it is about, when the target is a node we know how to find."""
    label = label_of(target_id) if target_id else None
    if label in queries:
        await (await tx.run(queries[label], source_id=source_id, target_id=target_id)).consume()
