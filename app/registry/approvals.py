"""Deciding a pending review: an approver (never the requester) rejects it, or approves it and the
stored command is applied as its requester asked, through the one write path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from app.errors import Conflict
from app.events import catalog
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.reads import tx_one
from app.graph.review_queries import DECIDE_REVIEW, LOCK_REVIEW
from app.registry.actor import Actor, RequestMeta
from app.registry.decisions import decide
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.registry.plan import Plan
from app.registry.reviews import get_review
from app.services import Services


async def decide_review(
    services: Services, meta: RequestMeta, review_id: str, approve: bool, comment: str | None
) -> dict[str, Any]:
    """Approve (apply the stored command as its requester) or reject; both need approve_review."""
    review = await get_review(services, review_id)
    if review["status"] != "PENDING":
        raise Conflict(f"review {review_id} is already {review['status']}")
    if review["expires_at"].to_native() <= datetime.now(UTC):
        raise Conflict(f"review {review_id} expired at {review['expires_at'].to_native().isoformat()}; ask again")

    async def noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        return {}

    gate = Plan(
        action="approve_review",
        resource={"kind": "review", "id": review_id},
        work=noop,
        context={"review": {"requested_by": review["requested_by"]}},
    )
    await decide(services, meta, gate, "decide_review")
    result_id: str | None = None
    subjects: tuple[str, ...] = ()
    if approve:
        requester = Actor(
            id=review["requested_by"],
            name=review["requested_by"],
            kind=review["requester_kind"],
            roles=tuple(review["requester_roles"]),
            teams=tuple(review["requester_teams"]),
        )
        # Keyed by the review: two approvals racing apply the change once; the second replays it.
        applied = await execute(
            services,
            RequestMeta(
                actor=requester,
                request_id=meta.request_id,
                idempotency_key=f"review:{review_id}",
                purpose=review.get("purpose"),
                approved_by=meta.actor.name,
            ),
            command_from(review["command"], json.loads(review["payload"])),
            approved_by=meta.actor.name,
            reviewed_state=review.get("target_state"),
        )
        result_id, subjects = (applied.result or {}).get("id"), applied.subjects
    status = "APPROVED" if approve else "REJECTED"

    async def close(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        locked = await tx_one(tx, LOCK_REVIEW, id=review_id)
        if locked is None or locked["props"]["status"] != "PENDING":
            raise Conflict(f"review {review_id} was decided concurrently")
        await tx_one(
            tx,
            DECIDE_REVIEW,
            id=review_id,
            status=status,
            actor=meta.actor.name,
            at=at,
            comment=comment,
            result_id=result_id,
        )
        return {"id": review_id, "kind": "Review", "result_id": result_id}

    # About the reviewed resource (e.g. the model), so its trail shows who approved; the review's
    # own trail finds the event in the review's stream.
    record = AuditRecord(
        actor=meta.actor.name,
        action=f"review:{status.lower()}",
        target_id=review.get("target_id") or review_id,
        target_kind=review.get("target_kind") or "review",
        decision="applied" if approve else "rejected",
        request_id=meta.request_id,
        details={"comment": comment, "result_id": result_id, "review_id": review_id, "subjects": list(subjects)},
        stream=f"review:{review_id}",
    )
    decided_by = meta.actor.name
    await unit.write(
        services.driver,
        services.settings.neo4j_database,
        close,
        record,
        events=lambda result: [catalog.review_decided(review, status, result_id, decided_by)],
    )
    return await get_review(services, review_id)
