"""Changes flagged by policy wait as Reviews; an approver (never the requester) applies them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from app.errors import NotFound
from app.events import catalog
from app.graph import unit
from app.graph.audit import AuditRecord, link_about
from app.graph.core_queries import REVIEW_ABOUT
from app.graph.ids import new_id
from app.graph.reads import rows, tx_one
from app.graph.review_queries import CREATE_REVIEW, GET_REVIEW, LIST_REVIEWS
from app.policy.decision import Decision
from app.registry.actor import RequestMeta
from app.registry.plan import Plan
from app.services import Services

REVIEW_TTL = timedelta(hours=72)


async def file_review(
    services: Services,
    meta: RequestMeta,
    command: str,
    payload: dict[str, Any],
    plan: Plan,
    decision: Decision,
    key: str | None,
    fingerprint: str,
) -> dict[str, Any]:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(
            tx,
            CREATE_REVIEW,
            id=new_id("Review"),
            command=command,
            payload=json.dumps(payload, default=str),
            action=plan.action,
            target_id=plan.resource.get("id"),
            target_kind=plan.resource.get("kind"),
            requested_by=meta.actor.name,
            requester_kind=meta.actor.kind,
            roles=list(meta.actor.roles),
            teams=list(meta.actor.teams),
            reasons=list(decision.reasons),
            at=at,
            expires_at=at + REVIEW_TTL,
            purpose=meta.purpose,
            target_state=plan.state,
        )
        assert row is not None
        await link_about(tx, REVIEW_ABOUT, row["props"]["id"], plan.resource.get("id"))
        return {"id": row["props"]["id"], "kind": "Review"}

    record = AuditRecord(
        actor=meta.actor.name,
        action=f"{plan.action}:{command}",
        target_id=plan.resource.get("id"),
        target_kind=plan.resource.get("kind"),
        decision="review",
        reasons=list(decision.reasons),
        request_id=meta.request_id,
        purpose=meta.purpose,
        stream=plan.audit_stream(),
    )
    stream = plan.audit_stream()
    written = await unit.write(
        services.driver,
        services.settings.neo4j_database,
        work,
        record,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        events=lambda result: [catalog.review_filed(result, command, payload, stream)],
    )
    return written.result


async def get_review(services: Services, review_id: str) -> dict[str, Any]:
    found = await rows(services.driver, services.settings.neo4j_database, GET_REVIEW, id=review_id)
    if not found:
        raise NotFound(f"id: no review {review_id!r}", field="id")
    props: dict[str, Any] = found[0]["props"]
    return props


async def list_reviews(services: Services, status: str | None, limit: int) -> list[dict[str, Any]]:
    found = await rows(services.driver, services.settings.neo4j_database, LIST_REVIEWS, status=status, limit=limit)
    return [r["props"] for r in found]
