"""Reviews that do not stall. A pending review older than policy's `after_hours` escalates once, to
whom policy names (the owner teams' leads, else the next roles); one past its expiry becomes EXPIRED
and says who should have acted (who it was escalated to, else every role that could approve). Each
step is an audit event in the review's stream, so the trail shows the reminder and the expiry.
The service runs this with the validator under the same lease; `modelgraph escalate-reviews` on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from app.errors import Conflict
from app.events.catalog import Event
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.escalation_queries import ESCALATE_REVIEW, EXPIRE_REVIEW, PENDING_REVIEWS
from app.graph.reads import native, rows, tx_one
from app.services import Services

ACTOR = "modelgraph-reviews"
REVIEWS_PACKAGE = "modelgraph.reviews"


@dataclass
class EscalationReport:
    escalated: list[dict[str, Any]] = field(default_factory=list)  # {review, to}
    expired: list[dict[str, Any]] = field(default_factory=list)  # {review, should_have_acted}


async def escalate_reviews(services: Services, now: datetime | None = None, limit: int = 500) -> EscalationReport:
    now = now or datetime.now(UTC)
    report = EscalationReport()
    db = services.settings.neo4j_database
    for row in await rows(services.driver, db, PENDING_REVIEWS, limit=limit):
        review: dict[str, Any] = row["props"]
        question = {"review": {"id": review["id"], "owners": row["owners"], "owner_teams": row["owner_teams"]}}
        routing: dict[str, Any] = await services.policy.query(REVIEWS_PACKAGE, "escalation", question) or {}
        expires_at = native(review["expires_at"])
        if expires_at <= now:
            should = sorted(review.get("escalated_to") or routing.get("approvers") or [])
            if await _step(services, review, EXPIRE_REVIEW, "review:expired", {"should_have_acted": should}):
                report.expired.append({"review": review["id"], "should_have_acted": should})
            continue
        after = timedelta(hours=float(routing.get("after_hours") or 0))
        waiting_since = native(review["created_at"])
        if int(review.get("escalation_level") or 0) == 0 and after > timedelta(0) and waiting_since + after <= now:
            to = sorted(routing.get("to") or [])
            if await _step(services, review, ESCALATE_REVIEW, "review:escalated", {"to": to}):
                report.escalated.append({"review": review["id"], "to": to})
    return report


async def _step(services: Services, review: dict[str, Any], query: Any, action: str, details: dict[str, Any]) -> bool:
    """Escalate or expire one review with its audit event; False when it was decided meanwhile."""
    review_id = review["id"]
    params = {"to": details.get("to"), "should_have_acted": details.get("should_have_acted")}

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, query, id=review_id, at=at, **{k: v for k, v in params.items() if v is not None})
        if row is None:  # decided (or escalated) meanwhile: roll back, no audit event
            raise Conflict(f"review {review_id} changed meanwhile")
        return {"id": review_id, "kind": "Review"}

    record = AuditRecord(
        actor=ACTOR,
        action=action,
        target_id=review.get("target_id") or review_id,
        target_kind=review.get("target_kind") or "review",
        decision="applied",
        details={**details, "review_id": review_id, "waiting_since": str(native(review["created_at"]))},
        stream=f"review:{review_id}",
    )
    kind = "review.expired" if action == "review:expired" else "review.escalated"
    event = Event(
        kind, review_id, None, {"id": review_id, "kind": "Review", "target_id": review.get("target_id"), **details}
    )
    try:
        await unit.write(services.driver, services.settings.neo4j_database, work, record, events=lambda _: [event])
    except Conflict:
        return False
    return True
