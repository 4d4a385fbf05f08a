"""Reads of reviews for the API: filtered, keyset-paged lists."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver

from app.domain.entities import time_of
from app.graph.props import Props, required, text_of
from app.graph.reads import rows
from app.graph.review_queries import PAGE_REVIEWS


@dataclass(frozen=True, kw_only=True)
class Review:
    """A change waiting for (or decided by) an approver, with the request decoded from its JSON."""

    id: str
    command: str
    payload: Any
    action: str
    target_id: str | None
    requested_by: str
    reasons: list[str]
    status: str
    created_at: datetime | None
    expires_at: datetime | None
    decided_by: str | None
    comment: str | None
    result_id: str | None
    escalated_at: datetime | None
    escalated_to: list[str]
    should_have_acted: list[str]

    @classmethod
    def of(cls, p: Props) -> Review:
        return cls(
            id=str(p["id"]),
            command=str(required(p, "command", cls)),
            payload=json.loads(required(p, "payload", cls)),
            action=str(required(p, "action", cls)),
            target_id=text_of(p.get("target_id")),
            requested_by=str(required(p, "requested_by", cls)),
            reasons=list(p.get("reasons") or []),
            status=str(required(p, "status", cls)),
            created_at=time_of(p.get("created_at")),
            expires_at=time_of(p.get("expires_at")),
            decided_by=text_of(p.get("decided_by")),
            comment=text_of(p.get("comment")),
            result_id=text_of(p.get("result_id")),
            escalated_at=time_of(p.get("escalated_at")),
            escalated_to=list(p.get("escalated_to") or []),
            should_have_acted=list(p.get("should_have_acted") or []),
        )


@dataclass(frozen=True)
class ReviewFilter:
    status: str | None = None
    requested_by: str | None = None
    not_requested_by: str | None = None  # "waiting for me": not my own requests
    model: str | None = None  # reviews of changes whose input names this model


async def page_reviews(
    driver: AsyncDriver, database: str, f: ReviewFilter, before: tuple[datetime, str] | None, limit: int
) -> list[Review]:
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
    return [Review.of(r["props"]) for r in found]
