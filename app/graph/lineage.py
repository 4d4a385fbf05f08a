"""Bounded lineage traversal: breadth-first, one query per hop, capped node count.

Edges point from the later thing to what it came from, so UPSTREAM follows outgoing edges.
Relationship types come from the LINEAGE_TYPES whitelist; hops and node counts are clamped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from app.domain.entities import Edge, Entity, Subgraph
from app.errors import NotFound
from app.graph.core_queries import NODES_BY_ID
from app.graph.ids import label_of
from app.graph.reads import plain_rows, rows

MAX_HOPS = 10
MAX_NODES = 2000
LINEAGE_TYPES = (
    "USED",
    "DERIVED_FROM",
    "COMPUTED_FROM",
    "TRAINED_BY",
    "PRODUCED_BY",
    "VERSION_OF",
    "FINE_TUNED_FROM",
    "POINTS_TO",
    "IN",
    "OF",
    "ON",
    "SERVES",
    "STORED_AS",
    "FOR",
)
# Node kinds a lineage request may name: every addressable kind that provenance edges connect.
LINEAGE_KINDS = frozenset(NODES_BY_ID) - {"Review", "AuditEvent", "Term", "Annotation", "Principal"}
HIDDEN_LABELS = (
    "Revision",
    "AuditEvent",
    "IdempotencyRecord",
    "AuditHead",
    "Annotation",
    "HealthWindow",
    "Feedback",  # observations about a version (drift flags): shown on the version, not as lineage
    "ApiKey",
    "Grant",
)

# What a lineage answer shows of a node (its `properties`), plus what the disclosure gate needs to
# know who owns it.
KEY_FIELDS: tuple[LiteralString, ...] = (
    "name",
    "version",
    "status",
    "model_name",
    "dataset_name",
    "source_uri",
    "digest",
    "artifact_digest",
    "domain",
    "task",
    "environment",
    "created_at",
    "started_at",
    "ended_at",
)
_PROJECTED: LiteralString = ", ".join("." + k for k in ("id", *KEY_FIELDS, "owners", "owner_teams"))
# Only those fields come back, not properties(m): version nodes also carry their search document,
# metrics and custom properties, and decoding them was most of the time of a large lineage answer.
_HOP_FILTER: LiteralString = (
    """
WHERE type(r) IN $types AND none(l IN labels(m) WHERE l IN $hidden)
  AND ($as_of IS NULL OR ((r.since IS NULL OR r.since <= $as_of)
       AND (r.until IS NULL OR r.until > $as_of)
       AND (m.created_at IS NULL OR m.created_at <= $as_of)))
RETURN elementId(n) AS src, elementId(m) AS dst, type(r) AS type, labels(m)[0] AS label,
       m {"""
    + _PROJECTED
    + """} AS props, properties(r) AS rprops
LIMIT $limit
"""
)
HOP_UPSTREAM: LiteralString = (
    "UNWIND $frontier AS eid MATCH (n) WHERE elementId(n) = eid MATCH (n)-[r]->(m) " + _HOP_FILTER
)
HOP_DOWNSTREAM: LiteralString = (
    "UNWIND $frontier AS eid MATCH (n) WHERE elementId(n) = eid MATCH (n)<-[r]-(m) " + _HOP_FILTER
)
START_NODE: dict[str, LiteralString] = {
    label: "MATCH (n:" + label + " {id: $id}) RETURN elementId(n) AS eid, n {" + _PROJECTED + "} AS props"
    for label in NODES_BY_ID
}


@dataclass(frozen=True)
class LineageRequest:
    start: str
    directions: tuple[str, ...]  # ("UPSTREAM",), ("DOWNSTREAM",) or both
    max_hops: int
    kinds: frozenset[str] | None
    as_of: datetime | None
    max_nodes: int = 500


async def lineage(driver: AsyncDriver, database: str, req: LineageRequest) -> Subgraph:
    label = label_of(req.start)
    if label is None or label not in START_NODE:
        raise NotFound(f"start: no node with id {req.start!r}", field="start")
    found = await rows(driver, database, START_NODE[label], id=req.start)
    if not found:
        raise NotFound(f"start: no node with id {req.start!r}", field="start")
    start_eid = found[0]["eid"]
    nodes: dict[str, Entity] = {start_eid: Entity.of(label, _shown(found[0]["props"]))}
    edges: dict[tuple[str, str, str], Edge] = {}
    truncated = False
    cap = max(1, min(req.max_nodes, MAX_NODES))
    for direction in req.directions:
        query = HOP_UPSTREAM if direction == "UPSTREAM" else HOP_DOWNSTREAM
        frontier, seen = [start_eid], {start_eid}
        for _ in range(max(0, min(req.max_hops, MAX_HOPS))):
            if not frontier:
                break
            hop = await plain_rows(
                driver,
                database,
                query,
                frontier=frontier,
                types=list(LINEAGE_TYPES),
                hidden=list(HIDDEN_LABELS),
                as_of=req.as_of,
                limit=cap * 4 + 1,
            )
            truncated = truncated or len(hop) > cap * 4
            frontier = []
            for row in hop:
                if row["dst"] not in nodes:
                    if len(nodes) >= cap:
                        truncated = True
                        continue
                    nodes[row["dst"]] = Entity.of(row["label"], _shown(row["props"]))
                source, target = (row["src"], row["dst"]) if direction == "UPSTREAM" else (row["dst"], row["src"])
                edges[(source, target, row["type"])] = Edge(source, target, row["type"], _plain(row["rprops"]))
                if row["dst"] not in seen:
                    seen.add(row["dst"])
                    frontier.append(row["dst"])
    return _project(nodes, edges, req.kinds, start_eid, truncated)


def _project(
    nodes: dict[str, Entity],
    edges: dict[tuple[str, str, str], Edge],
    kinds: frozenset[str] | None,
    start_eid: str,
    truncated: bool,
) -> Subgraph:
    """Swap element ids for stable ids; keep only requested kinds (and the start)."""
    # Only kinds a lineage answer may name (LINEAGE_KINDS); anything else reached is left out.
    keep = {
        eid
        for eid, n in nodes.items()
        if eid == start_eid or (n.kind in LINEAGE_KINDS and (kinds is None or n.kind in kinds))
    }
    out_edges = [
        Edge(nodes[e.source].id, nodes[e.target].id, e.type, e.props)
        for e in edges.values()
        if e.source in keep and e.target in keep
    ]
    return Subgraph([nodes[eid] for eid in nodes if eid in keep], out_edges, truncated)


def _shown(projected: dict[str, Any]) -> dict[str, Any]:
    """A node's projected fields without the ones it does not have (a map projection gives null),
    times as Python's."""
    return _plain({k: v for k, v in projected.items() if v is not None})


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.to_native() if hasattr(v, "to_native") else v) for k, v in props.items()}
