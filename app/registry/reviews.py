"""Changes flagged by policy wait as Reviews; an approver (never the requester) applies them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from app.errors import Conflict, NotFound
from app.events import catalog
from app.graph import unit
from app.graph.audit import AuditRecord, link_about
from app.graph.core_queries import REVIEW_ABOUT
from app.graph.ids import new_id
from app.graph.reads import rows, tx_one
from app.graph.review_queries import CREATE_REVIEW, DECIDE_REVIEW, GET_REVIEW, LIST_REVIEWS, LOCK_REVIEW
from app.policy.decision import Decision
from app.registry.actor import Actor, RequestMeta
from app.services import Services

REVIEW_TTL = timedelta(hours=72)


async def file_review(
    services: Services,
    meta: RequestMeta,
    command: str,
    payload: dict[str, Any],
    plan: Any,
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


async def decide_review(
    services: Services, meta: RequestMeta, review_id: str, approve: bool, comment: str | None
) -> dict[str, Any]:
    """Approve (apply the stored command as its requester) or reject; both need approve_review."""
    from app.registry.execute import Plan, decide, execute

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
            review["command"],
            json.loads(review["payload"]),
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
