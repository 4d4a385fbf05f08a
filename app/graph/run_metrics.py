"""A run's metric series (per-step values logged during training): the write that appends a batch of
points and the read of a run's history. Points are immutable facts keyed by (run, name, step, time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from app.errors import Conflict, NotFound
from app.graph import core_queries as q
from app.graph.reads import rows, tx_one
from app.graph.unit import Work

# A point already stored under the same key keeps its value; a different value is a clash (immutable).
LOG_POINTS: LiteralString = """
UNWIND $points AS pt
MERGE (p:RunMetricPoint {key: pt.key})
  ON CREATE SET p.run_id = $run_id, p.name = pt.name, p.value = pt.value, p.step = pt.step, p.at = pt.at,
                p.created_at = $at, p.created_by = $actor
RETURN count(CASE WHEN p.created_at = $at AND p.created_by = $actor THEN 1 END) AS created,
       collect(CASE WHEN p.value <> pt.value THEN pt.name END)[0] AS clash
"""

RUN_METRIC_HISTORY: LiteralString = """
MATCH (p:RunMetricPoint {run_id: $run_id})
WHERE $name IS NULL OR p.name = $name
RETURN p.name AS name, p.value AS value, p.step AS step, p.at AS at
ORDER BY name, step, at
SKIP $offset LIMIT $limit
"""


@dataclass(frozen=True)
class MetricPoint:
    name: str
    value: float
    step: int
    at: datetime


def point_key(run_id: str, point: MetricPoint) -> str:
    return f"{run_id}|{point.name}|{point.step}|{point.at.isoformat()}"


def log_points(run_id: str, points: list[MetricPoint], actor: str) -> Work:
    """Append points to a RUNNING run's series (a finished run's metrics are immutable)."""

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        run = await tx_one(tx, q.LOCK_RUN, id=run_id)
        if run is None:
            raise NotFound(f"runId: no run {run_id!r}", field="runId")
        if run["status"] != "RUNNING":
            raise Conflict(f"run {run_id} is {run['status']}: a finished run's metrics are immutable")
        rows_ = [
            {"key": point_key(run_id, p), "name": p.name, "value": p.value, "step": p.step, "at": p.at} for p in points
        ]
        row = await tx_one(tx, LOG_POINTS, points=rows_, run_id=run_id, at=at, actor=actor)
        assert row is not None
        if row["clash"] is not None:
            raise Conflict(
                f"points: metric {row['clash']!r} already has another value at that step and time "
                "(logged points are immutable)",
                field="points",
            )
        return {"id": run_id, "kind": "Run", "logged": int(row["created"])}

    return work


async def history(
    driver: AsyncDriver, database: str, run_id: str, name: str | None, offset: int, limit: int
) -> list[MetricPoint]:
    found = await rows(driver, database, RUN_METRIC_HISTORY, run_id=run_id, name=name, offset=offset, limit=limit)
    return [MetricPoint(r["name"], float(r["value"]), int(r["step"]), r["at"].to_native()) for r in found]
