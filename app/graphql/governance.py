"""Governance API: principals, keys, grants, reviews, audit trail and policy dry runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from app.auth.tokens import hash_key, new_api_key
from app.domain import validation as v
from app.errors import RegistryError, ValidationFailed
from app.graph.principals import PrincipalStore
from app.graphql.context import Info
from app.graphql.payloads import ERROR_TYPES, error_payload, meta_of, run_command, to_payload
from app.registry import governance as gov
from app.registry import reviews as rv
from app.registry.execute import Outcome


@strawberry.type(description="A user or service account.")
class PrincipalInfo:
    name: str = strawberry.field(description="Unique name.")
    kind: str = strawberry.field(description="user or service.")
    roles: list[str] = strawberry.field(description="Roles.")
    teams: list[str] = strawberry.field(description="Teams.")


@strawberry.type(description="A change waiting for (or decided by) an approver.")
class Review:
    id: strawberry.ID = strawberry.field(description="Review id.")
    command: str = strawberry.field(description="The requested change.")
    payload: JSON = strawberry.field(description="Exactly what was requested.")
    action: str = strawberry.field(description="Policy action.")
    target_id: str | None = strawberry.field(description="What it is about.")
    requested_by: str = strawberry.field(description="Requester (may not approve it).")
    reasons: list[str] = strawberry.field(description="Why it was flagged.")
    status: str = strawberry.field(description="PENDING, APPROVED or REJECTED.")
    created_at: datetime | None = strawberry.field(description="Filed (UTC).")
    expires_at: datetime | None = strawberry.field(description="Expires (UTC); escalate before then.")
    decided_by: str | None = strawberry.field(description="Approver.")
    comment: str | None = strawberry.field(description="Approver's comment.")
    result_id: str | None = strawberry.field(description="Node created/changed when applied.")

    @classmethod
    def of(cls, p: dict[str, Any]) -> Review:
        def t(v: Any) -> datetime | None:
            return v.to_native() if hasattr(v, "to_native") else None

        return cls(
            id=strawberry.ID(p["id"]),
            command=p["command"],
            payload=json.loads(p["payload"]),
            action=p["action"],
            target_id=p.get("target_id"),
            requested_by=p["requested_by"],
            reasons=list(p.get("reasons") or []),
            status=p["status"],
            created_at=t(p.get("created_at")),
            expires_at=t(p.get("expires_at")),
            decided_by=p.get("decided_by"),
            comment=p.get("comment"),
            result_id=p.get("result_id"),
        )


@strawberry.type(description="One tamper-evident audit event.")
class AuditEventInfo:
    stream: str = strawberry.field(description="The audit stream (one per aggregate, e.g. model:<name>).")
    seq: int = strawberry.field(description="Position in its stream's hash chain.")
    position: str = strawberry.field(description="Trail order across streams; the cursor for beforePosition.")
    at: datetime | None = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="Who.")
    action: str = strawberry.field(description="policy action:command.")
    target_id: str | None = strawberry.field(description="About what.")
    decision: str = strawberry.field(description="allowed, denied, review, applied, rejected.")
    reasons: list[str] = strawberry.field(description="Policy reasons.")
    request_id: str | None = strawberry.field(description="Request id.")
    purpose: str | None = strawberry.field(description="Purpose given by the caller.")
    approved_by: str | None = strawberry.field(
        description="Who approved the review that let this change through (the actor is who asked for it)."
    )
    review_id: str | None = strawberry.field(description="The review this event applied or decided, if any.")
    subjects: list[str] = strawberry.field(
        description="Other nodes the change is about besides its target (e.g. the version an alias moved to)."
    )
    hash: str = strawberry.field(description="This event's hash.")
    prev_hash: str = strawberry.field(description="Previous event's hash.")


@strawberry.input(description="Filter the audit trail.")
class AuditTrailInput:
    target: str | None = strawberry.field(default=None, description="Target node id.")
    actor: str | None = strawberry.field(default=None, description="Actor name.")
    action: str | None = strawberry.field(default=None, description="Action prefix, e.g. promote.")
    from_: datetime | None = strawberry.field(default=None, name="from", description="From (inclusive).")
    to: datetime | None = strawberry.field(default=None, description="To (exclusive).")
    before_position: str | None = strawberry.field(
        default=None, description="Cursor: events before this position (an event's position)."
    )
    first: int = strawberry.field(default=50, description="Page size (at most 200).")


@strawberry.type(description="What policy would decide now, with nothing written.")
class PolicyDecision:
    allow: bool = strawberry.field(description="True only when policy explicitly allows.")
    requires_review: bool = strawberry.field(description="Would be routed to review.")
    reasons: list[str] = strawberry.field(description="Reasons.")


@strawberry.input(description="Ask policy about a command without running it (CI gates).")
class PolicyCheckInput:
    command: str = strawberry.field(description="e.g. move_alias, register_model_version, archive_version.")
    payload: JSON = strawberry.field(description="The command's input (snake_case keys).")


@strawberry.input(description="Create a principal.")
class CreatePrincipalInput:
    name: str = strawberry.field(description="Unique name.")
    kind: str = strawberry.field(default="user", description="user or service.")
    roles: list[str] = strawberry.field(description="viewer, contributor, publisher, approver, admin.")
    teams: list[str] | None = strawberry.field(default=None, description="Teams.")
    idempotency_key: str | None = strawberry.field(default=None, description="Retry-safe key.")


@strawberry.input(description="Issue an API key for a principal (shown once).")
class IssueApiKeyInput:
    principal: str = strawberry.field(description="Principal name.")
    label: str | None = strawberry.field(default=None, description="What the key is for.")
    expires_at: datetime | None = strawberry.field(default=None, description="Expiry (UTC).")


@strawberry.input(description="Grant an action on a resource (or *) until a time.")
class CreateGrantInput:
    principal: str = strawberry.field(description="Principal name.")
    action: str = strawberry.field(description="publish, modify, retire, promote, read_artifact, ...")
    resource_id: str | None = strawberry.field(default=None, description="Resource id or * (default).")
    expires_at: datetime | None = strawberry.field(default=None, description="Stops working at this instant.")
    idempotency_key: str | None = strawberry.field(default=None, description="Retry-safe key.")


@strawberry.type(description="A time-bound permission for one principal (kept on record after revocation).")
class GrantInfo:
    id: strawberry.ID = strawberry.field(description="Grant id.")
    principal: str = strawberry.field(description="Who it is for.")
    action: str = strawberry.field(description="The action it permits.")
    resource_id: str = strawberry.field(description="The resource id it covers, or *.")
    expires_at: datetime | None = strawberry.field(description="Stops working at this instant (UTC); null: never.")
    created_at: datetime | None = strawberry.field(description="Granted (UTC).")
    created_by: str | None = strawberry.field(description="Who granted it.")
    revoked_at: datetime | None = strawberry.field(description="Revoked (UTC); null while in force.")
    revoked_by: str | None = strawberry.field(description="Who revoked it.")

    @classmethod
    def of(cls, p: dict[str, Any]) -> GrantInfo:
        return cls(
            id=strawberry.ID(p["id"]),
            principal=p["principal"],
            action=p["action"],
            resource_id=p.get("resource_id") or "*",
            expires_at=p.get("expires_at"),
            created_at=p.get("created_at"),
            created_by=p.get("created_by"),
            revoked_at=p.get("revoked_at"),
            revoked_by=p.get("revoked_by"),
        )


@strawberry.input(description="Revoke a grant; it stops working at once and stays on record.")
class RevokeGrantInput:
    id: strawberry.ID = strawberry.field(description="Grant id.")
    reason: str | None = strawberry.field(default=None, description="Why (kept with the grant and the audit event).")
    idempotency_key: str | None = strawberry.field(default=None, description="Retry-safe key.")


@strawberry.type(description="The grant was revoked.")
class GrantRevoked:
    id: strawberry.ID = strawberry.field(description="The revoked grant.")
    principal: str = strawberry.field(description="Whose grant it was.")
    replayed: bool = strawberry.field(description="True when this repeats an earlier request with the same key.")


RevokeGrantPayload = Annotated[
    GrantRevoked
    | ERROR_TYPES[0]
    | ERROR_TYPES[1]
    | ERROR_TYPES[2]
    | ERROR_TYPES[3]  # type: ignore[valid-type]
    | ERROR_TYPES[4]
    | ERROR_TYPES[5],
    strawberry.union("RevokeGrantPayload"),
]


@strawberry.type(description="Result of an admin write.")
class AdminResult:
    id: str | None = strawberry.field(description="Created or changed node id.")
    secret: str | None = strawberry.field(description="An issued API key; shown only once.")
    error: str | None = strawberry.field(description="Error code when it failed.")
    message: str | None = strawberry.field(description="What went wrong, naming the field and rule.")
    reasons: list[str] = strawberry.field(description="Policy reasons when denied.")


def _position(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 19:
        raise ValidationFailed("beforePosition: must be the position of an audit event", field="beforePosition")
    return int(cursor)


def _admin_error(exc: RegistryError) -> AdminResult:
    p = error_payload(exc)
    return AdminResult(id=None, secret=None, error=exc.code, message=exc.message, reasons=getattr(p, "reasons", []))


async def _admin(info: Info, command: str, inp: Any, secret: str | None = None) -> AdminResult:
    async def ok(outcome: Outcome) -> AdminResult:
        return AdminResult(
            id=(outcome.result or {}).get("id"),
            secret=None if outcome.replayed else secret,
            error=None,
            message=None,
            reasons=[],
        )

    result = await run_command(info, command, inp, ok)
    if isinstance(result, AdminResult):
        return result
    return AdminResult(
        id=None,
        secret=None,
        error=getattr(result, "code", "REVIEW_REQUIRED"),
        message=getattr(result, "message", None),
        reasons=list(getattr(result, "reasons", [])),
    )


@strawberry.type
class GovernanceQuery:
    @strawberry.field(description="Who you are.")
    def me(self, info: Info) -> PrincipalInfo:
        a = meta_of(info, None).actor
        return PrincipalInfo(name=a.name, kind=a.kind, roles=list(a.roles), teams=list(a.teams))

    @strawberry.field(description="Registered principals.")
    async def principals(self, info: Info) -> list[PrincipalInfo]:
        s = info.context.services
        return [
            PrincipalInfo(name=a.name, kind=a.kind, roles=list(a.roles), teams=list(a.teams))
            for a in await PrincipalStore(s.driver, s.settings.neo4j_database).list()
        ]

    @strawberry.field(description="A principal's grants, newest first (revoked ones only when asked).")
    async def grants(self, info: Info, principal: str, include_revoked: bool = False) -> list[GrantInfo]:
        found = await gov.list_grants(info.context.services, principal, include_revoked=include_revoked)
        return [GrantInfo.of(g) for g in found]

    @strawberry.field(description="Reviews, newest first (optionally by status).")
    async def reviews(self, info: Info, status: str | None = None, first: int = 50) -> list[Review]:
        return [Review.of(p) for p in await rv.list_reviews(info.context.services, status, max(1, min(first, 200)))]

    @strawberry.field(description="The audit trail, newest first.")
    async def audit_trail(self, info: Info, input: AuditTrailInput) -> list[AuditEventInfo]:
        events = await gov.audit_trail(
            info.context.services,
            target=input.target,
            actor=input.actor,
            action=input.action,
            start=v.aware("from", input.from_),
            end=v.aware("to", input.to),
            before=_position(input.before_position),
            limit=max(1, min(input.first, 200)),
        )
        return [_event_info(e) for e in events]

    @strawberry.field(description="What policy would decide for a command now (nothing is written).")
    async def policy_check(self, info: Info, input: PolicyCheckInput) -> PolicyDecision:
        payload = dict(v.mapping("payload", input.payload))
        d = await gov.dry_run(info.context.services, meta_of(info, None), input.command, payload)
        return PolicyDecision(allow=d.allow, requires_review=d.requires_review, reasons=list(d.reasons))


def _event_info(e: dict[str, Any]) -> AuditEventInfo:
    details = gov.audit_details(e)
    return AuditEventInfo(
        stream=e.get("chain") or "legacy",
        seq=e["seq"],
        position=str(e.get("position")),
        at=e["at"].to_native(),
        actor=e["actor"],
        action=e["action"],
        target_id=e.get("target_id"),
        decision=e["decision"],
        reasons=list(e.get("reasons") or []),
        request_id=e.get("request_id"),
        purpose=e.get("purpose"),
        approved_by=details.get("approved_by") or (e["actor"] if e["action"] == "review:approved" else None),
        review_id=details.get("review_id"),
        subjects=[str(s) for s in details.get("subjects") or []],
        hash=e["hash"],
        prev_hash=e["prev_hash"],
    )


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(description="Create a principal (admin).")
    async def create_principal(self, info: Info, input: CreatePrincipalInput) -> AdminResult:
        return await _admin(info, "create_principal", input)

    @strawberry.mutation(description="Issue an API key (admin); the key is returned once and stored hashed.")
    async def issue_api_key(self, info: Info, input: IssueApiKeyInput) -> AdminResult:
        key = new_api_key()
        payload = {**to_payload(input), "key_hash": hash_key(key)}
        try:
            from app.registry.execute import execute

            outcome = await execute(info.context.services, meta_of(info, None), "issue_api_key", payload)
        except RegistryError as exc:
            return _admin_error(exc)
        return AdminResult(id=(outcome.result or {}).get("id"), secret=key, error=None, message=None, reasons=[])

    @strawberry.mutation(description="Revoke an API key (admin).")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> AdminResult:
        try:
            from app.registry.execute import execute

            outcome = await execute(info.context.services, meta_of(info, None), "revoke_api_key", {"id": str(id)})
        except RegistryError as exc:
            return _admin_error(exc)
        return AdminResult(id=(outcome.result or {}).get("id"), secret=None, error=None, message=None, reasons=[])

    @strawberry.mutation(description="Grant an action until a time (admin).")
    async def create_grant(self, info: Info, input: CreateGrantInput) -> AdminResult:
        return await _admin(info, "create_grant", input)

    @strawberry.mutation(description="Revoke a grant (decided like createGrant, audited).")
    async def revoke_grant(self, info: Info, input: RevokeGrantInput) -> RevokeGrantPayload:  # type: ignore[valid-type]
        async def ok(outcome: Outcome) -> GrantRevoked:
            result = outcome.result or {}
            return GrantRevoked(
                id=strawberry.ID(str(result["id"])), principal=str(result.get("principal")), replayed=outcome.replayed
            )

        return await run_command(info, "revoke_grant", input, ok)

    @strawberry.mutation(description="Approve a pending review; the change is applied as requested.")
    async def approve_review(self, info: Info, id: strawberry.ID, comment: str | None = None) -> Review | None:
        return Review.of(await rv.decide_review(info.context.services, meta_of(info, None), str(id), True, comment))

    @strawberry.mutation(description="Reject a pending review.")
    async def reject_review(self, info: Info, id: strawberry.ID, comment: str | None = None) -> Review | None:
        return Review.of(await rv.decide_review(info.context.services, meta_of(info, None), str(id), False, comment))
