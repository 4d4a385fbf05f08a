"""Facts the promotion and retire policies need: the candidate's evaluation, the incumbent,
and whether a version serves production. Evaluations and deployments extend these."""

from __future__ import annotations

from typing import Any

from app.graph import promotion_reads as reads
from app.graph.model_records import ModelVersion
from app.services import Services


async def serving_production(services: Services, model_id: str, version: int) -> bool:
    return await reads.serving_production(services.driver, services.settings.neo4j_database, model_id, version)


async def metrics_of(
    services: Services, model_id: str, version: int, run_metrics: dict[str, float]
) -> dict[str, float]:
    """Latest non-superseded evaluation's metrics, else the training run's final metrics."""
    found = await reads.best_evaluation(services.driver, services.settings.neo4j_database, model_id, version)
    return found.metrics if found is not None else run_metrics


async def _version_metrics(
    services: Services, model_id: str, version: int, found: ModelVersion | None
) -> dict[str, float]:
    """`metrics_of` a version, falling back on the metrics of the run that trained it."""
    run = await services.repos.core.run(found.run_id) if found is not None and found.run_id else None
    return await metrics_of(services, model_id, version, run.metrics if run is not None else {})


async def promotion_context(services: Services, model_id: str, alias: str, version: int) -> dict[str, Any]:
    context: dict[str, Any] = {}
    candidate = await services.repos.core.version(model_id, version)
    if candidate is not None:
        metrics = await _version_metrics(services, model_id, version, candidate)
        if metrics:
            context["evaluation"] = {"metrics": metrics}
    incumbent = await reads.alias_target(services.driver, services.settings.neo4j_database, model_id, alias)
    if incumbent is not None and incumbent.version != version:
        metrics = await _version_metrics(services, model_id, incumbent.version, incumbent)
        context["incumbent"] = {"version": incumbent.version, "metrics": metrics}
    return context


async def alias_state(services: Services, model_id: str, alias: str) -> str:
    """Where the alias points now, as a review remembers it: approving later re-checks it is unchanged."""
    current = await reads.alias_target(services.driver, services.settings.neo4j_database, model_id, alias)
    return f"alias {alias} points to version {current.version}" if current is not None else f"alias {alias} is not set"


async def traffic_context(services: Services, model_id: str, split: dict[int, float]) -> list[dict[str, Any]]:
    """Every version that will receive traffic, with its best evaluation (policy judges each one)."""
    out: list[dict[str, Any]] = []
    for version, percent in sorted(split.items()):
        entry: dict[str, Any] = {"version": version, "percent": percent}
        found = await services.repos.core.version(model_id, version)
        metrics = await _version_metrics(services, model_id, version, found)
        if metrics:
            entry["metrics"] = metrics
        out.append(entry)
    return out
