"""Logical export and import of the whole graph through Bolt (for `modelgraph backup|restore`).

Export reads every node and relationship in ONE read transaction, so the files are a consistent
snapshot. Import recreates them in batches into an empty graph at the same migration level
(SchemaMigration nodes are not exported: the target's own migrations provide the schema)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, LiteralString

import neo4j.time
from neo4j import AsyncDriver, AsyncManagedTransaction

from app.errors import ValidationFailed

EXPORT_NODES: LiteralString = """
MATCH (n) WHERE NOT n:SchemaMigration
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
"""
EXPORT_RELATIONSHIPS: LiteralString = """
MATCH (a)-[r]->(b) WHERE NOT a:SchemaMigration AND NOT b:SchemaMigration
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
"""
MIGRATION_LEVEL: LiteralString = "MATCH (m:SchemaMigration) RETURN max(m.version) AS level"
COUNT_DATA_NODES: LiteralString = "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n"
COUNT_RELATIONSHIPS: LiteralString = "MATCH ()-[r]->() RETURN count(r) AS n"
IMPORT_NODES: LiteralString = """
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN row.id AS old, elementId(n) AS new
"""
IMPORT_RELATIONSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.start
MATCH (b) WHERE elementId(b) = row.end
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(r) AS n
"""
BATCH = 1000


# -- property values <-> JSON -------------------------------------------------------------------
def encode(value: Any) -> Any:
    """A Neo4j property value as JSON; temporal values and bytes are tagged so they come back typed."""
    if isinstance(value, neo4j.time.DateTime):
        return {"$datetime": value.to_native().isoformat()}
    if isinstance(value, neo4j.time.Date):
        return {"$date": value.iso_format()}
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValidationFailed(f"backup: cannot encode a property value of type {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$bytes" in value:
            return base64.b64decode(value["$bytes"])
        raise ValidationFailed(f"restore: unknown tagged value {sorted(value)}")
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _props(props: dict[str, Any], codec: Any) -> dict[str, Any]:
    return {k: codec(v) for k, v in props.items()}


# -- export ---------------------------------------------------------------------------------------
async def export(driver: AsyncDriver, database: str, nodes: Path, relationships: Path) -> dict[str, int]:
    """Write every node and relationship (JSON lines) from one read transaction; return counts."""

    async def snapshot(tx: AsyncManagedTransaction) -> dict[str, int]:
        counts = {"nodes": 0, "relationships": 0, "migration_level": 0}
        level = await (await tx.run(MIGRATION_LEVEL)).single()
        counts["migration_level"] = int(level["level"] or 0) if level else 0
        with nodes.open("w", encoding="utf-8") as out:  # rewritten whole if the driver retries
            counts["nodes"] = await _dump(tx, EXPORT_NODES, out, ("id", "labels"))
        with relationships.open("w", encoding="utf-8") as out:
            counts["relationships"] = await _dump(tx, EXPORT_RELATIONSHIPS, out, ("start", "end", "type"))
        return counts

    async with driver.session(database=database) as session:
        result: dict[str, int] = await session.execute_read(snapshot)
        return result


async def _dump(tx: AsyncManagedTransaction, query: LiteralString, out: IO[str], keys: tuple[str, ...]) -> int:
    written = 0
    async for record in await tx.run(query):
        row = {k: record[k] for k in keys} | {"props": _props(dict(record["props"]), encode)}
        out.write(json.dumps(row, separators=(",", ":")) + "\n")
        written += 1
    return written


# -- import ---------------------------------------------------------------------------------------
async def level_and_size(driver: AsyncDriver, database: str) -> tuple[int, int, int]:
    """(migration level, data nodes, relationships) of a graph."""
    level = (await driver.execute_query(MIGRATION_LEVEL, database_=database)).records[0]["level"]
    count_nodes = (await driver.execute_query(COUNT_DATA_NODES, database_=database)).records[0]["n"]
    count_rels = (await driver.execute_query(COUNT_RELATIONSHIPS, database_=database)).records[0]["n"]
    return int(level or 0), int(count_nodes), int(count_rels)


async def import_(driver: AsyncDriver, database: str, nodes: Path, relationships: Path) -> dict[str, int]:
    """Recreate the exported graph (the target must be empty); return what was created."""
    ids: dict[str, str] = {}
    async with driver.session(database=database) as session:
        for rows in _batches(nodes):
            for node in rows:
                node["props"] = _props(node["props"], decode)
            created = await session.execute_write(_run_rows, IMPORT_NODES, rows)
            ids.update({r["old"]: r["new"] for r in created})
        made = 0
        for rows in _batches(relationships):
            mapped = [
                {**r, "start": ids[r["start"]], "end": ids[r["end"]], "props": _props(r["props"], decode)} for r in rows
            ]
            made += sum(r["n"] for r in await session.execute_write(_run_rows, IMPORT_RELATIONSHIPS, mapped))
    return {"nodes": len(ids), "relationships": made}


async def _run_rows(tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]]) -> list[Any]:
    return [record.data() async for record in await tx.run(query, rows=rows)]


def _batches(path: Path) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            batch.append(json.loads(line))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch
