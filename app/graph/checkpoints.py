"""Keyed checkpoints over the audit streams' heads.

Each checkpoint records the heads (seq + hash) of the streams that changed since the previous one,
a Merkle root over them, and an HMAC under a key kept outside Neo4j, chained to the previous
checkpoint's MAC. Someone with write access to the database but not the key can then neither
rewrite a stream nor remove its newest events below a checkpointed head without `audit verify`
noticing; events written after the newest checkpoint are protected by their hash chain only.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from app.graph.ids import new_id

log = logging.getLogger(__name__)

MAX_HEADS = 20_000  # streams covered by one checkpoint; the rest wait for the next one

LOCK_CHECKPOINT_HEAD: LiteralString = """
MATCH (h:AuditCheckpointHead {id: 'checkpoints'})
SET h.number = h.number + 1
RETURN h.number AS number, h.mac AS prev_mac
"""
CREATE_CHECKPOINT_HEAD: LiteralString = """
MERGE (h:AuditCheckpointHead {id: 'checkpoints'})
ON CREATE SET h.number = 0, h.mac = ''
SET h.number = h.number + 1
RETURN h.number AS number, h.mac AS prev_mac
"""
# SET takes each head's write lock, so the seq and hash returned are committed and final.
TAKE_DIRTY_HEADS: LiteralString = """
MATCH (s:AuditStream {dirty: true})
WITH s ORDER BY s.id LIMIT $limit
SET s.dirty = false
RETURN s.id AS stream, s.seq AS seq, s.hash AS hash
"""
CREATE_CHECKPOINT: LiteralString = """
MATCH (h:AuditCheckpointHead {id: 'checkpoints'})
CREATE (c:AuditCheckpoint)
SET c = $props, h.mac = $props.mac
"""
CHECKPOINT_PAGE: LiteralString = """
MATCH (c:AuditCheckpoint) WHERE c.number > $after
RETURN properties(c) AS props ORDER BY c.number LIMIT $limit
"""
CHECKPOINT_HEAD: LiteralString = """
MATCH (h:AuditCheckpointHead {id: 'checkpoints'}) RETURN h.number AS number, h.mac AS mac
"""


class NothingToCheckpoint(Exception):
    """Raised inside the transaction to discard it when no stream changed."""


@dataclass(frozen=True)
class Checkpoint:
    number: int
    streams: int
    root: str


def leaf(stream: str, seq: int, head_hash: str) -> bytes:
    return hashlib.sha256(f"{stream}\x00{seq}\x00{head_hash}".encode()).digest()


def merkle_root(heads: dict[str, list[Any]]) -> str:
    """Root over the heads in stream order; an odd node is paired with itself."""
    level = [leaf(stream, int(seq), str(h)) for stream, (seq, h) in sorted(heads.items())]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def mac(key: bytes, props: dict[str, Any]) -> str:
    body = {k: props[k] for k in ("number", "at", "heads", "root", "prev_mac")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


async def write_checkpoint(tx: AsyncManagedTransaction, key: bytes) -> Checkpoint:
    """Checkpoint the streams changed since the last checkpoint (NothingToCheckpoint otherwise).

    Safe to retry: every statement is inside this one transaction.
    """
    head = await (await tx.run(LOCK_CHECKPOINT_HEAD)).single()
    if head is None:
        head = await (await tx.run(CREATE_CHECKPOINT_HEAD)).single(strict=True)
    result = await tx.run(TAKE_DIRTY_HEADS, limit=MAX_HEADS)
    heads = {r["stream"]: [int(r["seq"]), str(r["hash"])] async for r in result}
    if not heads:
        raise NothingToCheckpoint
    props: dict[str, Any] = {
        "id": new_id("AuditCheckpoint"),
        "number": int(head["number"]),
        "at": datetime.now(UTC).isoformat(),
        "heads": json.dumps(heads, sort_keys=True, separators=(",", ":")),
        "root": merkle_root(heads),
        "prev_mac": str(head["prev_mac"]),
    }
    props["mac"] = mac(key, props)
    await (await tx.run(CREATE_CHECKPOINT, props=props)).consume()
    return Checkpoint(props["number"], len(heads), props["root"])


async def checkpoint(driver: AsyncDriver, database: str, key: bytes) -> Checkpoint | None:
    """Write one checkpoint in its own transaction; None when no stream changed."""
    try:
        async with driver.session(database=database) as session:
            return await session.execute_write(write_checkpoint, key)
    except NothingToCheckpoint:
        return None


async def run_periodically(driver: AsyncDriver, database: str, key: bytes, every: float) -> None:
    """The service's checkpointer: one checkpoint per period when something changed. Each one is
    also logged, so a copy of the newest MAC lives outside the database too."""
    while True:
        await asyncio.sleep(every)
        try:
            made = await checkpoint(driver, database, key)
        except Exception as exc:  # the next period tries again; writes do not depend on it
            log.warning("audit checkpoint failed: %s: %s", type(exc).__name__, exc)
            continue
        if made is not None:
            log.info("audit checkpoint %d: %d streams, root %s", made.number, made.streams, made.root)
