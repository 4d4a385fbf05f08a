"""Facts the promotion and retire policies need: the candidate's evaluation, the incumbent,
and whether a version serves production. Evaluations and deployments extend these."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from app.graph import promotion_reads as reads
from app.graph.promotion_reads import VersionFacts
from app.services import Services


async def serving_production(services: Services, model_id: str, version: int) -> bool:
    return await reads.serving_production(services.driver, services.settings.neo4j_database, model_id, version)


async def metrics_of(
    services: Services, model_id: str, version: int, run_metrics: dict[str, float]
) -> dict[str, float]:
    """Latest non-superseded evaluation's metrics, else the training run's final metrics."""
    found = await reads.best_evaluation(services.driver, services.settings.neo4j_database, model_id, version)
    return found.metrics if found is not None else run_metrics


@dataclass(frozen=True)
class Promotion:
    """What policy judges moving an alias by: the candidate version and the version the alias
    points to now (each with its metrics), read together."""

    alias: str
    version: int
    candidate: VersionFacts | None
    incumbent: VersionFacts | None

    def context(self) -> dict[str, Any]:
        """The policy input's context: the candidate's metrics and the incumbent it would replace."""
        context: dict[str, Any] = {}
        if self.candidate is not None and self.candidate.metrics:
            context["evaluation"] = {"metrics": self.candidate.metrics}
        current = self.incumbent
        if current is not None and current.version.version != self.version:
            context["incumbent"] = {"version": current.version.version, "metrics": current.metrics}
        return context

    def state(self) -> str:
        return _state(self.alias, self.incumbent.version.version if self.incumbent is not None else None)


async def promotion(services: Services, model_id: str, alias: str, version: int) -> Promotion:
    """The candidate's and the incumbent's facts: two reads, side by side."""
    driver, db = services.driver, services.settings.neo4j_database
    candidate, incumbent = await asyncio.gather(
        reads.version_facts(driver, db, model_id, version), reads.alias_target_facts(driver, db, model_id, alias)
    )
    return Promotion(alias, version, candidate, incumbent)


async def promotion_context(services: Services, model_id: str, alias: str, version: int) -> dict[str, Any]:
    return (await promotion(services, model_id, alias, version)).context()


async def alias_state(services: Services, model_id: str, alias: str) -> str:
    """Where the alias points now, as a review remembers it: approving later re-checks it is unchanged."""
    current = await reads.alias_target(services.driver, services.settings.neo4j_database, model_id, alias)
    return _state(alias, current.version if current is not None else None)


def _state(alias: str, version: int | None) -> str:
    return f"alias {alias} points to version {version}" if version is not None else f"alias {alias} is not set"


async def traffic_context(services: Services, model_id: str, split: dict[int, float]) -> list[dict[str, Any]]:
    """Every version that will receive traffic, with its best evaluation (policy judges each one)."""
    out: list[dict[str, Any]] = []
    for version, percent in sorted(split.items()):
        entry: dict[str, Any] = {"version": version, "percent": percent}
        found = await reads.version_facts(services.driver, services.settings.neo4j_database, model_id, version)
        metrics = found.metrics if found is not None else {}
        if metrics:
            entry["metrics"] = metrics
        out.append(entry)
    return out
