"""Reads for the facts promotion and retire policies need, as typed records."""

from __future__ import annotations

from neo4j import AsyncDriver

from app.graph.model_records import Evaluation, ModelVersion
from app.graph.promotion_queries import BEST_EVALUATION, CURRENT_TARGET, SERVING_PRODUCTION
from app.graph.reads import rows


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
