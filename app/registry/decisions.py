"""Asking policy about a planned command: the question, the timed call, and a denial that is audited
and explained only as far as the requester may read the target."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from app.errors import DependencyUnavailable, PermissionDenied
from app.graph import unit
from app.graph.audit import AuditRecord
from app.policy.decision import Decision
from app.registry.actor import RequestMeta
from app.registry.plan import Plan
from app.services import Services


def policy_input(meta: RequestMeta, plan: Plan) -> dict[str, Any]:
    return {
        "action": plan.action,
        "principal": meta.actor.policy_view(),
        "resource": plan.resource,
        "context": {
            "now": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "grants": meta.grants,
            **plan.context,
        },
    }


async def timed_decision(services: Services, action: str, question: dict[str, Any]) -> Decision:
    """Ask OPA (raises DependencyUnavailable when it cannot answer) and report how long it took."""
    started = time.perf_counter()
    try:
        decision = await services.policy.decide(question)
    except DependencyUnavailable:
        services.observe_policy(action, time.perf_counter() - started, "unavailable")
        raise
    services.observe_policy(action, time.perf_counter() - started, "allow" if decision.allow else "deny")
    return decision


async def decide(services: Services, meta: RequestMeta, plan: Plan, command_name: str) -> Decision:
    """Ask OPA; deny (and audit the denial) unless it explicitly allows."""
    decision = await timed_decision(services, plan.action, policy_input(meta, plan))
    if not decision.allow:
        await unit.record_only(
            services.driver,
            services.settings.neo4j_database,
            AuditRecord(
                actor=meta.actor.name,
                action=f"{plan.action}:{command_name}",
                target_id=plan.resource.get("id"),
                target_kind=plan.resource.get("kind"),
                decision="denied",
                reasons=list(decision.reasons),
                request_id=meta.request_id,
                purpose=meta.purpose,
                details=meta.audit_details(),
                stream=plan.audit_stream(),
            ),
        )
        reasons = await shown_reasons(services, meta, plan, list(decision.reasons))
        raise PermissionDenied(f"{plan.action} denied: {'; '.join(reasons)}", reasons=reasons)
    return decision


# Reasons that quote a target's evaluation; a principal that may not read the target sees them summarised.
REVEALING = ("evaluation", "incumbent", "threshold", "candidate has no")
WITHHELD = "promotion criteria are not met (details need read access to the target)"


async def shown_reasons(services: Services, meta: RequestMeta, plan: Plan, reasons: list[str]) -> list[str]:
    """Denial reasons as the requester may see them (the audit event keeps them all)."""
    if not reasons:
        return ["policy denied the request"]
    if not any(word in r for r in reasons for word in REVEALING):
        return reasons
    target = {k: plan.resource[k] for k in ("kind", "id", "name") if plan.resource.get(k) is not None}
    may_read = await services.policy.decide(policy_input(meta, Plan("read", target, plan.work)))
    if may_read.allow:
        return reasons
    return sorted({WITHHELD if any(word in r for word in REVEALING) else r for r in reasons})
