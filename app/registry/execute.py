"""The one write path: validate -> gather facts -> policy decision -> (review | write + audit).

Commands are data (name + JSON payload), so a change that needs review can be stored as a
pending Review and applied later, exactly as first requested.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from app.domain.streams import stream_for
from app.errors import Conflict, DependencyUnavailable, NotFound, PermissionDenied
from app.events.catalog import Event, events_for
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.unit import Work
from app.policy.decision import Decision
from app.registry.actor import RequestMeta
from app.registry.grants import grants_of
from app.registry.privacy import screen as screen_personal_data
from app.services import Services


@dataclass
class Plan:
    """What a command will do and what the policy needs to judge it."""

    action: str  # publish | modify | retire | promote | ...
    resource: dict[str, Any]
    work: Work
    context: dict[str, Any] = field(default_factory=dict)
    # The state of the target the decision was taken against ("alias production points to version 3").
    # A review stores it; approving re-plans the command and refuses when the target has moved since.
    state: str | None = None
    # The audit stream (see app/domain/streams.py); None derives it from the resource.
    stream: str | None = None
    # Nodes the change is about besides the policy resource (e.g. the version an alias moves to);
    # the audit event lists them in details.subjects, so the trail of each of them shows it.
    subjects: tuple[str, ...] = ()
    # The node the work creates is a subject too (e.g. a newly registered version).
    result_is_subject: bool = False

    def audit_stream(self) -> str | None:
        """None when the write creates the aggregate whose stream it starts."""
        stream = stream_for(self.resource) if self.stream is None else self.stream
        return stream or None


Handler = Callable[[Services, RequestMeta, dict[str, Any]], Awaitable[Plan]]
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


COMMAND_MODULES = (
    "app.registry.core",
    "app.registry.governance",
    "app.registry.history",
    "app.registry.vocab",
    "app.events.subscriptions",
    "app.registry.run_metrics",
)


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


# Commands after which nothing cached about who may do what is valid any more.
CHANGES_PRINCIPALS = frozenset(
    {"create_principal", "issue_api_key", "revoke_api_key", "create_grant", "revoke_grant", "disable_principal"}
)


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] | None = None
    replayed: bool = False
    review: dict[str, Any] | None = None
    decision: Decision | None = None
    subjects: tuple[str, ...] = ()


# Larger requests (e.g. health batches) are audited by digest: the event stays small and the
# audit chain stays fast, while the digest still pins exactly what was requested.
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


async def execute(
    services: Services,
    meta: RequestMeta,
    command_name: str,
    payload: dict[str, Any],
    *,
    approved_by: str | None = None,
    reviewed_state: str | None = None,
) -> Outcome:
    """Run one command end to end. `approved_by` is set when applying an approved review, with the
    target's state the review was filed against: a change judged against another state is refused."""
    handler = handler_for(command_name)
    key = unit.scoped_key(meta.actor.name, meta.idempotency_key) if meta.idempotency_key else None
    fingerprint = unit.fingerprint(command_name, payload)
    if key is not None:
        previous = await unit.replay(services.driver, services.settings.neo4j_database, key, fingerprint)
        if previous is not None:
            return Outcome(result=previous, replayed=True)
    if not meta.grants:
        meta = replace(meta, grants=await grants_of(services, meta.actor.name))
    payload, personal_data = await screen_personal_data(services, payload)
    plan = await handler(services, meta, payload)
    if personal_data:
        plan.context["personal_data"] = personal_data
    if approved_by is not None and reviewed_state is not None and plan.state != reviewed_state:
        raise Conflict(
            f"review: the request was filed when {reviewed_state}; now {plan.state or 'the target changed'}. "
            "It no longer applies as reviewed: reject it and file a new request"
        )
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
        details={**audited_payload(payload), "approved_by": approved_by, **meta.audit_details()},
        stream=plan.audit_stream(),
    )
    if plan.subjects:
        record.details["subjects"] = list(plan.subjects)
    stream = plan.audit_stream()

    def events(result: dict[str, Any]) -> list[Event]:
        return events_for(command_name, payload, result, stream=stream, approved_by=approved_by)

    written = await unit.write(
        services.driver,
        services.settings.neo4j_database,
        _naming_result(plan, record),
        record,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        events=events,
    )
    if command_name in CHANGES_PRINCIPALS:
        services.forget_principals()
    subjects = tuple(record.details.get("subjects") or ())
    return Outcome(result=written.result, replayed=written.replayed, decision=decision, subjects=subjects)


def _naming_result(plan: Plan, record: AuditRecord) -> Work:
    """The plan's work, adding what it created to the event's subjects (the event is appended
    after the work in the same transaction; a retried transaction sets the list afresh)."""
    if not plan.result_is_subject:
        return plan.work

    async def work(tx: Any, at: datetime) -> dict[str, Any]:
        result = await plan.work(tx, at)
        record.details["subjects"] = [*plan.subjects, str(result["id"])]
        return result

    return work
