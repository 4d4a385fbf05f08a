"""The one write path: validate -> gather facts -> policy decision -> (review | write + audit).

Commands are typed data (app/registry/commands) with a JSON payload form, so a change that needs
review can be stored as a pending Review and applied later, exactly as first requested.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from app.errors import Conflict
from app.events.catalog import Event, events_for
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.unit import Work
from app.policy.decision import Decision
from app.registry.actor import RequestMeta
from app.registry.commands.base import Command
from app.registry.decisions import decide, policy_input
from app.registry.grants import grants_of
from app.registry.handlers import CHANGES_PRINCIPALS, handler_for
from app.registry.plan import Outcome, Plan
from app.registry.privacy import screen as screen_personal_data
from app.registry.reviews import file_review
from app.services import Services

# Larger requests (e.g. health batches) are audited by digest: the event stays small and the
# audit chain stays fast, while the digest still pins exactly what was requested.
MAX_AUDITED_PAYLOAD = 4096


def audited_payload(payload: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(payload, default=str, sort_keys=True, separators=(",", ":"))
    if len(text) <= MAX_AUDITED_PAYLOAD:
        return {"payload": json.loads(text)}
    return {"payload_sha256": hashlib.sha256(text.encode()).hexdigest(), "payload_bytes": len(text)}


async def execute(
    services: Services,
    meta: RequestMeta,
    command: Command,
    *,
    approved_by: str | None = None,
    reviewed_state: str | None = None,
) -> Outcome:
    """Run one command end to end. `approved_by` is set when applying an approved review, with the
    target's state the review was filed against: a change judged against another state is refused."""
    handler = handler_for(command)
    command_name, payload = command.command_name, command.to_payload()
    key = unit.scoped_key(meta.actor.name, meta.idempotency_key) if meta.idempotency_key else None
    fingerprint = unit.fingerprint(command_name, payload)
    if key is not None:
        previous = await unit.replay(services.driver, services.settings.neo4j_database, key, fingerprint)
        if previous is not None:
            return Outcome(result=previous, replayed=True)
    if not meta.grants:
        meta = replace(meta, grants=await grants_of(services, meta.actor.name))
    screened, personal_data = await screen_personal_data(services, payload)
    if screened is not payload:  # personal data masked as policy says: the command carries the masked text
        payload, command = screened, type(command).from_payload(screened)
    plan = await handler(services, meta, command)
    if personal_data:
        plan.context["personal_data"] = personal_data
    if approved_by is not None and reviewed_state is not None and plan.state != reviewed_state:
        raise Conflict(
            f"review: the request was filed when {reviewed_state}; now {plan.state or 'the target changed'}. "
            "It no longer applies as reviewed: reject it and file a new request"
        )
    decision = await decide(services, meta, plan, command_name)
    if decision.requires_review and approved_by is None:
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
        replay_checked=key is not None,
    )
    if type(command) in CHANGES_PRINCIPALS:
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


async def dry_run(services: Services, meta: RequestMeta, command: Command) -> Decision:
    """What policy would decide for this command now, without writing anything."""
    plan = await handler_for(command)(services, meta, command)
    return await services.policy.decide(policy_input(meta, plan))
