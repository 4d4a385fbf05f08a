"""Reads for performance history and deployments; returns domain objects only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver

from app.domain.entities import PREFIX_METRIC
from app.domain.history import HistoryBucket, HistoryPoint, ProductionKey, Resolution, ServingSpan
from app.graph import history_queries as q
from app.graph.history_records import Annotation, Deployment, DeploymentEvent, Flag, HealthWindow
from app.graph.model_records import Evaluation
from app.graph.reads import plain_rows, rows, total

MAX_POINTS = 10_000
MAX_ROWS = 1_000


def _t(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


class HistoryReader:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.db = database

    async def performance_history(
        self,
        model_id: str,
        metric: str,
        start: datetime,
        end: datetime,
        *,
        version: int | None = None,
        dataset_version_id: str | None = None,
        slice_: str | None = None,
        limit: int = MAX_POINTS,
    ) -> list[HistoryPoint]:
        found = await plain_rows(
            self.driver,
            self.db,
            q.PERFORMANCE_HISTORY,
            model_id=model_id,
            metric=PREFIX_METRIC + metric,
            **{"from": start},
            to=end,
            version=version,
            dataset_version_id=dataset_version_id,
            slice=slice_,
            limit=min(limit, MAX_POINTS),
        )
        points = found[0]["points"] if found else []
        return [
            HistoryPoint(id_, version, _from_epoch(seconds, micros), float(value), dataset_version_id, slice_name)
            for id_, version, seconds, micros, value, dataset_version_id, slice_name in points
        ]

    async def performance_series(
        self,
        model_id: str,
        metric: str,
        start: datetime,
        end: datetime,
        resolution: Resolution,
        *,
        version: int | None = None,
        dataset_version_id: str | None = None,
        slice_: str | None = None,
    ) -> list[HistoryBucket]:
        found = await plain_rows(
            self.driver,
            self.db,
            q.PERFORMANCE_SERIES,
            model_id=model_id,
            metric=PREFIX_METRIC + metric,
            **{"from": start},
            to=end,
            width=resolution.value,
            version=version,
            dataset_version_id=dataset_version_id,
            slice=slice_,
        )
        buckets = found[0]["buckets"] if found else []
        return [
            HistoryBucket(int(v), datetime.fromtimestamp(at, UTC), int(n), float(mean), float(low), float(high))
            for v, at, n, mean, low, high in buckets
        ]

    async def compare_versions(
        self,
        model_id: str,
        versions: Sequence[int],
        dataset_version_id: str | None,
        slice_: str | None,
    ) -> dict[int, Evaluation | None]:
        found = await rows(
            self.driver,
            self.db,
            q.COMPARE_VERSIONS,
            model_id=model_id,
            versions=list(versions),
            dataset_version_id=dataset_version_id,
            slice=slice_,
        )
        return {r["version"]: Evaluation.of(r["props"]) if r["props"] else None for r in found}

    async def deployment(self, deployment_id: str) -> Deployment | None:
        found = await rows(self.driver, self.db, q.DEPLOYMENT_BY_ID, id=deployment_id)
        return Deployment.of(found[0]["props"]) if found else None

    async def deployments(self, ids: list[str]) -> dict[str, Deployment]:
        """The deployments with these ids that exist, by id: one query for a batch."""
        found = [Deployment.of(r["props"]) for r in await rows(self.driver, self.db, q.DEPLOYMENTS_BY_ID, ids=ids)]
        return {d.id: d for d in found}

    async def serving_at(self, deployment: Deployment, at: datetime) -> list[ServingSpan]:
        """The versions the deployment served at `at`, with their traffic."""
        found = await rows(self.driver, self.db, q.DEPLOYMENT_SERVING_AT, id=deployment.id, at=at)
        names = {
            "deployment_id": deployment.id,
            "deployment": deployment.name,
            "environment": deployment.environment_name,
        }
        return [_span({**r, **names}) for r in found]

    async def timeline(self, deployment_id: str, after: int = 0, limit: int = MAX_ROWS) -> list[DeploymentEvent]:
        params = {"id": deployment_id, "after": after, "limit": min(limit, MAX_ROWS)}
        return [DeploymentEvent.of(r["props"]) for r in await rows(self.driver, self.db, q.TIMELINE, **params)]

    async def in_production_at(
        self, at: datetime, model: str | None, limit: int = MAX_ROWS, after: ProductionKey | None = None
    ) -> list[tuple[ProductionKey, ServingSpan]]:
        """Up to `limit` spans in order after `after`, each with its key."""
        found = await plain_rows(
            self.driver,
            self.db,
            q.IN_PRODUCTION_AT,
            at=at,
            model=model,
            after=list(after[:3]) if after else None,
            # Every deployment row holds at least one span; the cursor's own deployment may add none.
            limit=min(limit, MAX_ROWS) + (1 if after else 0),
        )
        out: list[tuple[ProductionKey, ServingSpan]] = []
        for r in found:
            deployment = (r["model_name"], r["deployment"], r["deployment_id"])
            for place, span in enumerate(r["spans"]):
                if after is None or deployment != after[:3] or place > after[3]:
                    out.append(((*deployment, place), _production_span(r, span)))
        return out[:limit]

    async def health_windows(
        self, deployment_id: str, start: datetime, end: datetime, limit: int = MAX_ROWS
    ) -> list[HealthWindow]:
        params = {"id": deployment_id, "from": start, "to": end, "limit": min(limit, MAX_ROWS)}
        return [HealthWindow.of(r["props"]) for r in await rows(self.driver, self.db, q.HEALTH_WINDOWS, **params)]

    async def evaluations_of(
        self,
        version_id: str,
        before: tuple[datetime, str] | None,
        slice_: str | None,
        include_superseded: bool,
        limit: int,
    ) -> list[Evaluation]:
        """A version's evaluations newest first (a superseded one is named by its successor's supersedes)."""
        at, eval_id = before or (None, None)
        found = await rows(
            self.driver,
            self.db,
            q.EVALUATIONS_OF_VERSION,
            version_id=version_id,
            slice=slice_,
            include_superseded=include_superseded,
            before_at=at,
            before_id=eval_id,
            limit=limit,
        )
        return [Evaluation.of(r["props"]) for r in found]

    async def count_evaluations(self, version_id: str, slice_: str | None, include_superseded: bool) -> int:
        return await total(
            self.driver,
            self.db,
            q.COUNT_EVALUATIONS_OF_VERSION,
            version_id=version_id,
            slice=slice_,
            include_superseded=include_superseded,
        )

    async def annotations(self, ids: Sequence[str]) -> list[list[Annotation]]:
        """The notes about each of `ids` (in order), oldest first: one query for a whole page."""
        found = await rows(self.driver, self.db, q.ANNOTATIONS_OF, ids=list(ids))
        by_target: dict[str, list[Annotation]] = {}
        for note in (Annotation.of(r["props"]) for r in found):
            by_target.setdefault(note.about_id, []).append(note)
        return [by_target.get(i, []) for i in ids]

    async def flags(self, version_id: str, limit: int = 100) -> list[Flag]:
        found = await rows(self.driver, self.db, q.FLAGS_OF_VERSION, version_id=version_id, limit=limit)
        return [Flag.of(r["props"]) for r in found]

    async def count_deployments_of(self, model_id: str) -> int:
        return await total(self.driver, self.db, q.COUNT_DEPLOYMENTS_OF_MODEL, model_id=model_id)

    async def deployments_of(self, model_id: str, after: str | None, limit: int) -> list[Deployment]:
        """A model's deployments by name, retired ones included."""
        found = await rows(self.driver, self.db, q.DEPLOYMENTS_OF_MODEL, model_id=model_id, after=after, limit=limit)
        return [Deployment.of(r["props"]) for r in found]

    async def version_deployments(self, version_id: str) -> list[tuple[Deployment, float]]:
        found = await rows(self.driver, self.db, q.VERSION_DEPLOYMENTS, version_id=version_id)
        return [(Deployment.of(r["props"]), float(r["traffic_percent"])) for r in found]


def _span(r: dict[str, Any]) -> ServingSpan:
    return ServingSpan(
        r["deployment_id"],
        r["deployment"],
        r["environment"],
        r["model"],
        r["version"],
        r["version_id"],
        float(r["traffic_percent"]),
        _t(r["since"]),
        _t(r["until"]),
    )


def _production_span(deployment: dict[str, Any], span: list[Any]) -> ServingSpan:
    """A span of IN_PRODUCTION_AT: a list with times as epoch seconds and microseconds, because the
    driver's pure-Python temporal decoding was a third of the time of a 1,000-row answer."""
    model, version, version_id, traffic, since_s, since_us, until_s, until_us = span
    return ServingSpan(
        deployment["deployment_id"],
        deployment["deployment"],
        deployment["environment"],
        model,
        version,
        version_id,
        float(traffic),
        _from_epoch(since_s, since_us),
        _from_epoch(until_s, until_us) if until_s is not None else None,
    )


def _from_epoch(seconds: int, micros: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)
