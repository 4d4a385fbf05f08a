"""Reads for the facts promotion and retire policies need, as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from app.graph.model_records import Evaluation, ModelVersion
from app.graph.promotion_queries import (
    ALIAS_TARGET_FACTS,
    BEST_EVALUATION,
    CURRENT_TARGET,
    SERVING_PRODUCTION,
    VERSION_FACTS,
)
from app.graph.reads import rows
from app.graph.run_records import Run


@dataclass(frozen=True)
class VersionFacts:
    """A version as policy judges it: the version and its metrics (its latest non-superseded
    evaluation's, else the final metrics of the run that trained it, else none)."""

    version: ModelVersion
    metrics: dict[str, float]

    @classmethod
    def of(cls, row: dict[str, Any]) -> VersionFacts:
        if row["evaluation"] is not None:
            metrics = Evaluation.of(row["evaluation"]).metrics
        else:
            metrics = Run.of(row["run"]).metrics if row["run"] is not None else {}
        return cls(ModelVersion.of(row["version"]), metrics)


async def version_facts(driver: AsyncDriver, database: str, model_id: str, version: int) -> VersionFacts | None:
    """The version's facts in one round trip (None when the model has no such version)."""
    found = await rows(driver, database, VERSION_FACTS, model_id=model_id, version=version)
    return VersionFacts.of(found[0]) if found else None


async def alias_target_facts(driver: AsyncDriver, database: str, model_id: str, alias: str) -> VersionFacts | None:
    """The facts of the version the alias points to now (None when it is not set)."""
    found = await rows(driver, database, ALIAS_TARGET_FACTS, model_id=model_id, alias=alias)
    return VersionFacts.of(found[0]) if found else None


async def serving_production(driver: AsyncDriver, database: str, model_id: str, version: int) -> bool:
    """Whether the version serves an active production deployment."""
    found = await rows(driver, database, SERVING_PRODUCTION, model_id=model_id, version=version)
    return bool(found and found[0]["serving"])


async def best_evaluation(driver: AsyncDriver, database: str, model_id: str, version: int) -> Evaluation | None:
    """The version's latest evaluation that no other supersedes."""
    found = await rows(driver, database, BEST_EVALUATION, model_id=model_id, version=version)
    return Evaluation.of(found[0]["props"]) if found else None


async def alias_target(driver: AsyncDriver, database: str, model_id: str, alias: str) -> ModelVersion | None:
    """The version the alias points to now (None when it is not set)."""
    found = await rows(driver, database, CURRENT_TARGET, model_id=model_id, alias=alias)
    return ModelVersion.of(found[0]["props"]) if found else None
