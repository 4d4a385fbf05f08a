"""Asking policy about a planned command: the question, the timed call, and a denial that is audited
and explained only as far as the requester may read the target.

A GraphQL request is also asked whether its caller may read the registry at all (app/graphql/read_gate.py).
For a mutation that question waits in a `ReadCheck` and goes to OPA together with the mutation's first
command decision, in one call; a mutation that ends before deciding anything asks it alone before its
answer is sent. Either way it is asked once, and nothing is written before it is allowed.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from app.errors import DependencyUnavailable, PermissionDenied, RegistryError
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


async def timed_decisions(services: Services, questions: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Decision]:
    """`timed_decision` for several (action, input) questions in one call; each is reported with the
    call's duration."""
    started = time.perf_counter()
    try:
        answers = await services.policy.decide_many({name: q for name, (_, q) in questions.items()})
    except DependencyUnavailable:
        for action, _ in questions.values():
            services.observe_policy(action, time.perf_counter() - started, "unavailable")
        raise
    for name, (action, _) in questions.items():
        services.observe_policy(action, time.perf_counter() - started, "allow" if answers[name].allow else "deny")
    return answers


async def _nothing(*_: object) -> dict[str, object]:
    return {}


READ_REGISTRY = Plan("read", {"kind": "registry"}, _nothing)


class ReadCheck:
    """Whether one request's caller may read the registry, asked at most once per request."""

    def __init__(self, services: Services, meta: RequestMeta) -> None:
        self.services, self.meta = services, meta
        self._answer: asyncio.Future[RegistryError | None] | None = None

    @property
    def pending(self) -> bool:
        """Not asked yet (by itself or together with a command)."""
        return self._answer is None

    async def refusal(self) -> RegistryError | None:
        """None when the caller may read, else the error that says why not; asks OPA on first use."""
        if self._answer is None:
            self._answer = asyncio.get_running_loop().create_future()
            try:
                question = policy_input(self.meta, READ_REGISTRY)
                self._settle(await self._judged(await timed_decision(self.services, "read", question)))
            except RegistryError as exc:
                self._settle(exc)
            except BaseException:
                self._settle(DependencyUnavailable("policy engine unavailable; the read was refused"))
                raise
        return await asyncio.shield(self._answer)

    async def with_command(self, meta: RequestMeta, plan: Plan) -> Decision:
        """The command's decision, asked in the same call as the read check (which must be pending);
        raises the read refusal instead when the caller may not read."""
        self._answer = asyncio.get_running_loop().create_future()
        try:
            read, command = policy_input(self.meta, READ_REGISTRY), policy_input(meta, plan)
            answers = await timed_decisions(self.services, {"read": ("read", read), "command": (plan.action, command)})
            refused = await self._judged(answers["read"])
        except RegistryError as exc:
            self._settle(exc)
            raise
        except BaseException:
            self._settle(DependencyUnavailable("policy engine unavailable; the read was refused"))
            raise
        self._settle(refused)
        if refused is not None:
            raise refused
        return answers["command"]

    async def _judged(self, decision: Decision) -> RegistryError | None:
        try:
            await refuse_unless_allowed(self.services, self.meta, READ_REGISTRY, "read", decision)
        except PermissionDenied as exc:
            return exc
        return None

    def _settle(self, refusal: RegistryError | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(refusal)


async def decide(services: Services, meta: RequestMeta, plan: Plan, command_name: str) -> Decision:
    """Ask OPA; deny (and audit the denial) unless it explicitly allows. A request's pending read
    check goes along in the same call."""
    check = meta.read_check
    if check is not None and check.pending:
        decision = await check.with_command(meta, plan)
    else:
        if check is not None and (refused := await check.refusal()) is not None:
            raise refused
        decision = await timed_decision(services, plan.action, policy_input(meta, plan))
    await refuse_unless_allowed(services, meta, plan, command_name, decision)
    return decision


async def refuse_unless_allowed(
    services: Services, meta: RequestMeta, plan: Plan, command_name: str, decision: Decision
) -> None:
    """Raise PermissionDenied, after auditing the denial, unless the decision allows."""
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
