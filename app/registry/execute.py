"""The one write path: validate -> gather facts -> policy decision -> (review | write + audit).

Commands are data (name + JSON payload), so a change that needs review can be stored as a
pending Review and applied later, exactly as first requested.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.errors import DependencyUnavailable, NotFound, PermissionDenied
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.unit import Work
from app.policy.decision import Decision
from app.registry.actor import RequestMeta
from app.services import Services


@dataclass
class Plan:
    """What a command will do and what the policy needs to judge it."""

    action: str  # publish | modify | retire | promote | ...
    resource: dict[str, Any]
    work: Work
    context: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Services, RequestMeta, dict[str, Any]], Awaitable[Plan]]
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


COMMAND_MODULES = ("app.registry.core", "app.registry.governance", "app.registry.history", "app.registry.vocab")


def handler_for(command_name: str) -> Handler:
    """Look up a command, importing the modules that register commands on first use."""
    if command_name not in HANDLERS:
        import importlib

        for module in COMMAND_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
    handler = HANDLERS.get(command_name)
    if handler is None:
        raise NotFound(f"command: unknown command {command_name!r}", field="command")
    return handler


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] | None = None
    replayed: bool = False
    review: dict[str, Any] | None = None
    decision: Decision | None = None


# Larger requests (e.g. health batches) are audited by digest: the event stays small and the
# single-writer audit chain stays fast, while the digest still pins exactly what was requested.
MAX_AUDITED_PAYLOAD = 4096


def audited_payload(payload: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(payload, default=str, sort_keys=True, separators=(",", ":"))
    if len(text) <= MAX_AUDITED_PAYLOAD:
        return {"payload": json.loads(text)}
    return {"payload_sha256": hashlib.sha256(text.encode()).hexdigest(), "payload_bytes": len(text)}


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
            ),
        )
        reasons = list(decision.reasons) or ["policy denied the request"]
        raise PermissionDenied(f"{plan.action} denied: {'; '.join(reasons)}", reasons=reasons)
    return decision


async def execute(
    services: Services,
    meta: RequestMeta,
    command_name: str,
    payload: dict[str, Any],
    *,
    approved_by: str | None = None,
) -> Outcome:
    """Run one command end to end. `approved_by` is set when applying an approved review."""
    handler = handler_for(command_name)
    key = unit.scoped_key(meta.actor.name, meta.idempotency_key) if meta.idempotency_key else None
    fingerprint = unit.fingerprint(command_name, payload)
    if key is not None:
        previous = await unit.replay(services.driver, services.settings.neo4j_database, key, fingerprint)
        if previous is not None:
            return Outcome(result=previous, replayed=True)
    if not meta.grants:
        from app.registry.governance import grants_of

        meta = RequestMeta(
            actor=meta.actor,
            request_id=meta.request_id,
            idempotency_key=meta.idempotency_key,
            purpose=meta.purpose,
            grants=await grants_of(services, meta.actor.name),
        )
    plan = await handler(services, meta, payload)
    decision = await decide(services, meta, plan, command_name)
    if decision.requires_review and approved_by is None:
        from app.registry.reviews import file_review

        review = await file_review(services, meta, command_name, payload, plan, decision, key, fingerprint)
        return Outcome(review=review, decision=decision)
    record = AuditRecord(
        actor=meta.actor.name,
        action=f"{plan.action}:{command_name}",
        target_id=plan.resource.get("id"),
        target_kind=plan.resource.get("kind"),
        decision="allowed",
        reasons=list(decision.reasons),
        request_id=meta.request_id,
        purpose=meta.purpose,
        details={**audited_payload(payload), "approved_by": approved_by},
    )
    written = await unit.write(
        services.driver,
        services.settings.neo4j_database,
        plan.work,
        record,
        idempotency_key=key,
        request_fingerprint=fingerprint,
    )
    return Outcome(result=written.result, replayed=written.replayed, decision=decision)
