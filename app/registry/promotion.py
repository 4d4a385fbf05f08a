"""Facts the promotion and retire policies need: the candidate's evaluation, the incumbent,
and whether a version serves production. Evaluations and deployments extend these."""

from __future__ import annotations

from typing import Any

from app.domain.entities import Entity
from app.graph.promotion_queries import BEST_EVALUATION, CURRENT_TARGET, SERVING_PRODUCTION
from app.graph.reads import rows
from app.services import Services


async def serving_production(services: Services, model_id: str, version: int) -> bool:
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        SERVING_PRODUCTION,
        model_id=model_id,
        version=version,
    )
    return bool(found and found[0]["serving"])


async def metrics_of(
    services: Services, model_id: str, version: int, run_metrics: dict[str, float]
) -> dict[str, float]:
    """Latest non-superseded evaluation's metrics, else the training run's final metrics."""
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        BEST_EVALUATION,
        model_id=model_id,
        version=version,
    )
    if found:
        return Entity.of("Evaluation", found[0]["props"]).metrics
    return run_metrics


async def promotion_context(services: Services, model: dict[str, Any], alias: str, version: int) -> dict[str, Any]:
    core = services.repos.core
    context: dict[str, Any] = {}
    candidate = await core.version(model["id"], version)
    if candidate is not None:
        run = await core.node(candidate.get("run_id"))
        metrics = await metrics_of(services, model["id"], version, run.metrics if run else {})
        if metrics:
            context["evaluation"] = {"metrics": metrics}
    current = await rows(
        services.driver,
        services.settings.neo4j_database,
        CURRENT_TARGET,
        model_id=model["id"],
        alias=alias,
    )
    if current:
        incumbent = Entity.of("ModelVersion", current[0]["props"])
        if incumbent.get("version") != version:
            run = await core.node(incumbent.get("run_id"))
            metrics = await metrics_of(services, model["id"], incumbent.get("version"), run.metrics if run else {})
            context["incumbent"] = {"version": incumbent.get("version"), "metrics": metrics}
    return context


async def alias_state(services: Services, model_id: str, alias: str) -> str:
    """Where the alias points now, as a review remembers it: approving later re-checks it is unchanged."""
    current = await rows(
        services.driver, services.settings.neo4j_database, CURRENT_TARGET, model_id=model_id, alias=alias
    )
    version = current[0]["props"].get("version") if current else None
    return f"alias {alias} points to version {version}" if version is not None else f"alias {alias} is not set"


async def traffic_context(services: Services, model: dict[str, Any], split: dict[int, float]) -> list[dict[str, Any]]:
    """Every version that will receive traffic, with its best evaluation (policy judges each one)."""
    core = services.repos.core
    out: list[dict[str, Any]] = []
    for version, percent in sorted(split.items()):
        entry: dict[str, Any] = {"version": version, "percent": percent}
        found = await core.version(model["id"], version)
        run = await core.node(found.get("run_id")) if found is not None else None
        metrics = await metrics_of(services, model["id"], version, run.metrics if run else {})
        if metrics:
            entry["metrics"] = metrics
        out.append(entry)
    return out
