"""`modelgraph audit verify`: recompute every stream's hash chain and check it against its head
and against the keyed checkpoints."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncSession

from app.graph.audit import GENESIS, chain_hash
from app.graph.checkpoints import CHECKPOINT_HEAD, CHECKPOINT_PAGE, mac, merkle_root

STREAM_PAGE: LiteralString = """
MATCH (s:AuditStream) WHERE s.id > $after
RETURN s.id AS stream, s.seq AS seq, s.hash AS hash ORDER BY s.id LIMIT $limit
"""
STREAM_EVENTS: LiteralString = """
MATCH (e:AuditEvent) WHERE e.chain = $stream AND e.seq > $after
RETURN properties(e) AS props ORDER BY e.seq LIMIT $limit
"""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str | None = None
    stream: str | None = None
    checkpoints: int = 0


class Broken(Exception):
    def __init__(self, problem: str, stream: str | None = None, seq: int | None = None) -> None:
        super().__init__(problem)
        self.problem, self.stream, self.seq = problem, stream, seq


async def verify(session: AsyncSession, key: bytes | None, page: int = 2000) -> VerifyResult:
    """Check checkpoints, then every stream; report the first broken link."""
    checked, checkpoints = 0, 0
    try:
        pinned, checkpoints = await _checkpoints(session, key)
        heads = await _heads(session)
        for stream in sorted(set(heads) | set(pinned)):
            if stream not in heads:
                raise Broken("the stream's head is missing but a checkpoint records it", stream)
            checked += await _stream(session, stream, heads[stream], pinned.get(stream), page)
    except Broken as exc:
        return VerifyResult(False, checked, exc.seq, exc.problem, exc.stream, checkpoints)
    return VerifyResult(True, checked, checkpoints=checkpoints)


async def _heads(session: AsyncSession, page: int = 5000) -> dict[str, tuple[int, str]]:
    heads: dict[str, tuple[int, str]] = {}
    after = ""
    while True:
        result = await session.run(STREAM_PAGE, after=after, limit=page)
        rows = [r async for r in result]
        if not rows:
            return heads
        for r in rows:
            heads[r["stream"]] = (int(r["seq"]), str(r["hash"]))
        after = rows[-1]["stream"]


async def _stream(
    session: AsyncSession, stream: str, head: tuple[int, str], pin: tuple[int, str] | None, page: int
) -> int:
    """Walk one stream in order; returns how many events were checked."""
    prev_hash, expected, seen_pin = GENESIS, 1, pin is None
    while True:
        result = await session.run(STREAM_EVENTS, stream=stream, after=expected - 1, limit=page)
        rows: list[dict[str, Any]] = [r["props"] async for r in result]
        for props in rows:
            seq = props.get("seq")
            if seq != expected:
                raise Broken(f"event {expected} is missing", stream, expected)
            if props.get("prev_hash") != prev_hash:
                raise Broken("prev_hash does not match the previous event", stream, seq)
            if chain_hash(prev_hash, props) != props.get("hash"):
                raise Broken("hash does not match the event's contents", stream, seq)
            if pin is not None and seq == pin[0]:
                if props["hash"] != pin[1]:
                    raise Broken("event differs from the one a checkpoint recorded", stream, seq)
                seen_pin = True
            prev_hash, expected = props["hash"], expected + 1
        if len(rows) < page:
            break
    last = expected - 1
    if not seen_pin:
        assert pin is not None
        raise Broken(f"events up to {pin[0]} were checkpointed but the stream ends at {last}", stream, last + 1)
    if head != (last, prev_hash):
        raise Broken(f"the stream's head says event {head[0]} but the chain ends at {last}", stream, last + 1)
    return last


async def _checkpoints(session: AsyncSession, key: bytes | None, page: int = 500) -> tuple[dict[str, Any], int]:
    """Verify the MAC chain of checkpoints; return the newest checkpointed head of every stream."""
    pinned: dict[str, tuple[int, str]] = {}
    prev_mac, number = "", 0
    while True:
        result = await session.run(CHECKPOINT_PAGE, after=number, limit=page)
        rows = [r["props"] async for r in result]
        if rows and key is None:
            raise Broken("checkpoints exist but no MODELGRAPH_AUDIT_KEY is configured to verify them")
        for props in rows:
            number += 1
            if props.get("number") != number:
                raise Broken(f"checkpoint {number} is missing")
            heads = json.loads(props["heads"])
            expected_mac = mac(key or b"", props)
            if props.get("prev_mac") != prev_mac or props.get("mac") != expected_mac:
                raise Broken(f"checkpoint {number} does not carry a valid MAC (forged or altered)")
            if props.get("root") != merkle_root(heads):
                raise Broken(f"checkpoint {number}'s Merkle root does not match its heads")
            pinned.update({stream: (int(seq), str(h)) for stream, (seq, h) in heads.items()})
            prev_mac = props["mac"]
        if len(rows) < page:
            break
    head = await (await session.run(CHECKPOINT_HEAD)).single()
    if head is not None and (int(head["number"]), str(head["mac"])) != (number, prev_mac):
        raise Broken(f"the checkpoint head says {head['number']} but the checkpoints end at {number}")
    return pinned, number
