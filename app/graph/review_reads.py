"""Reads of reviews for the API: filtered, keyset-paged lists."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver

from app.graph.reads import rows
from app.graph.review_queries import PAGE_REVIEWS


@dataclass(frozen=True)
class ReviewFilter:
    status: str | None = None
    requested_by: str | None = None
    not_requested_by: str | None = None  # "waiting for me": not my own requests
    model: str | None = None  # reviews of changes whose input names this model


async def page_reviews(
    driver: AsyncDriver, database: str, f: ReviewFilter, before: tuple[datetime, str] | None, limit: int
) -> list[dict[str, Any]]:
    found = await rows(
        driver,
        database,
        PAGE_REVIEWS,
        status=f.status,
        requested_by=f.requested_by,
        not_requested_by=f.not_requested_by,
        # the stored payload is the change's input as JSON: match its "model" member exactly
        model_needle=None if f.model is None else '"model": ' + json.dumps(f.model),
        before_at=before[0] if before else None,
        before_id=before[1] if before else None,
        limit=limit,
    )
    return [r["props"] for r in found]
