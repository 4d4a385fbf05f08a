"""Governance API: principals, keys, grants, reviews, audit trail and policy dry runs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from app.auth.tokens import hash_key, new_api_key
from app.domain import validation as v
from app.errors import ValidationFailed
from app.graph.governance_records import AuditEvent as StoredAuditEvent
from app.graph.governance_records import Grant as StoredGrant
from app.graph.review_reads import Review as StoredReview
from app.graph.review_reads import ReviewFilter, page_reviews
from app.graphql.connection import Connection, connection, decode, page_size, sliced, time_cursor_key, time_key
from app.graphql.context import Info
from app.graphql.payloads import as_payload, meta_of, payload_union, run_command, to_payload
from app.registry import approvals
from app.registry import governance as gov
from app.registry.commands import governance as governance_cmd
from app.registry.execute import dry_run
from app.registry.handlers import command_from
from app.registry.plan import Outcome


@strawberry.enum(description="Where a review stands.")
class ReviewStatus(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


@strawberry.enum(description="What happened to an audited request.")
class AuditDecision(Enum):
    ALLOWED = "allowed"
    DENIED = "denied"
    REVIEW = "review"
    APPLIED = "applied"
    REJECTED = "rejected"


@strawberry.type(description="A user or service account.")
class Principal:
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
    target_id: strawberry.ID | None = strawberry.field(description="What it is about.")
    requested_by: str = strawberry.field(description="Requester (may not approve it).")
    reasons: list[str] = strawberry.field(description="Why it was flagged.")
    status: ReviewStatus = strawberry.field(description="Where the review stands.")
    created_at: datetime | None = strawberry.field(description="Filed (UTC).")
    expires_at: datetime | None = strawberry.field(description="Expires (UTC); escalate before then.")
    decided_by: str | None = strawberry.field(description="Approver.")
    comment: str | None = strawberry.field(description="Approver's comment.")
    result_id: strawberry.ID | None = strawberry.field(description="Node created/changed when applied.")
    escalated_at: datetime | None = strawberry.field(description="When it escalated for waiting too long.")
    escalated_to: list[str] = strawberry.field(description="Whom it escalated to (role:<name> or principal:<name>).")
    should_have_acted: list[str] = strawberry.field(description="For an expired review: who should have acted.")

    @classmethod
    def of(cls, r: StoredReview) -> Review:
        return cls(
            id=strawberry.ID(r.id),
            command=r.command,
            payload=r.payload,
            action=r.action,
            target_id=strawberry.ID(r.target_id) if r.target_id is not None else None,
            requested_by=r.requested_by,
            reasons=r.reasons,
            status=ReviewStatus(r.status),
            created_at=r.created_at,
            expires_at=r.expires_at,
            decided_by=r.decided_by,
            comment=r.comment,
            result_id=strawberry.ID(r.result_id) if r.result_id is not None else None,
            escalated_at=r.escalated_at,
            escalated_to=r.escalated_to,
            should_have_acted=r.should_have_acted,
        )


@strawberry.type(description="One tamper-evident audit event.")
class AuditEvent:
    stream: str = strawberry.field(description="The audit stream (one per aggregate, e.g. model:<name>).")
    seq: int = strawberry.field(description="Position in its stream's hash chain.")
    position: str = strawberry.field(description="Trail order across streams (newest first).")
    at: datetime | None = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="Who.")
    action: str = strawberry.field(description="policy action:command.")
    target_id: strawberry.ID | None = strawberry.field(description="About what.")
    decision: AuditDecision = strawberry.field(description="What happened to the request.")
    reasons: list[str] = strawberry.field(description="Policy reasons.")
    request_id: str | None = strawberry.field(description="Request id.")
    purpose: str | None = strawberry.field(description="Purpose given by the caller.")
    approved_by: str | None = strawberry.field(
        description="Who approved the review that let this change through (the actor is who asked for it)."
    )
    review_id: strawberry.ID | None = strawberry.field(description="The review this event applied or decided, if any.")
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
    after: str | None = strawberry.field(default=None, description="Cursor from a previous page: older events.")
    first: int = strawberry.field(default=50, description="Page size (at most 100).")


@strawberry.input(description="Which reviews to list (all conditions hold), newest first.")
class ReviewsInput:
    status: ReviewStatus | None = strawberry.field(default=None, description="Only reviews in this state.")
    model: str | None = strawberry.field(default=None, description="Only reviews of changes to this model.")
    requested_by: str | None = strawberry.field(default=None, description="Only reviews this principal filed.")
    waiting_for_me: bool = strawberry.field(
        default=False, description="Only pending reviews I may approve and did not file myself."
    )
    first: int = strawberry.field(default=50, description="Page size (at most 100).")
    after: str | None = strawberry.field(default=None, description="Cursor from a previous page.")


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
class Grant:
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
    def of(cls, g: StoredGrant) -> Grant:
        return cls(
            id=strawberry.ID(g.id),
            principal=g.principal,
            action=g.action,
            resource_id=g.resource_id,
            expires_at=g.expires_at,
            created_at=g.created_at,
            created_by=g.created_by,
            revoked_at=g.revoked_at,
            revoked_by=g.revoked_by,
        )


@strawberry.input(description="Revoke a grant; it stops working at once and stays on record.")
class RevokeGrantInput:
    id: strawberry.ID = strawberry.field(description="Grant id.")
    reason: str | None = strawberry.field(default=None, description="Why (kept with the grant and the audit event).")
    idempotency_key: str | None = strawberry.field(default=None, description="Retry-safe key.")


@strawberry.type(description="The grant was created or revoked.")
class GrantSuccess:
    id: strawberry.ID = strawberry.field(description="The grant (its id is what revokeGrant takes).")
    principal: str = strawberry.field(description="Whose grant it was.")
    replayed: bool = strawberry.field(description="True when this repeats an earlier request with the same key.")


RevokeGrantPayload = payload_union("RevokeGrantPayload", GrantSuccess)


@strawberry.type(description="The principal was created.")
class PrincipalCreated:
    id: strawberry.ID = strawberry.field(description="Id of the new principal.")
    principal: Principal = strawberry.field(description="The principal as created.")
    replayed: bool = strawberry.field(description="True when this repeats an earlier request with the same key.")


@strawberry.type(description="The API key was issued; its secret is shown here once and stored hashed.")
class ApiKeyIssued:
    id: strawberry.ID = strawberry.field(description="Key id (for revokeApiKey).")
    principal: str = strawberry.field(description="Whose key it is.")
    secret: str = strawberry.field(description="The bearer token; shown only in this response.")


@strawberry.input(description="Revoke an API key; it stops working at once.")
class RevokeApiKeyInput:
    id: strawberry.ID = strawberry.field(description="Key id, as issueApiKey returned it.")


@strawberry.type(description="The API key was revoked.")
class ApiKeyRevoked:
    id: strawberry.ID = strawberry.field(description="The revoked key.")


@strawberry.input(description="Approve or reject a pending review.")
class DecideReviewInput:
    id: strawberry.ID = strawberry.field(description="The pending review.")
    comment: str | None = strawberry.field(default=None, description="Why (kept with the review and the audit event).")


@strawberry.type(description="The review was decided (and, when approved, its change applied).")
class ReviewDecided:
    review: Review = strawberry.field(description="The review as decided.")


CreatePrincipalPayload = payload_union("CreatePrincipalPayload", PrincipalCreated)
IssueApiKeyPayload = payload_union("IssueApiKeyPayload", ApiKeyIssued)
RevokeApiKeyPayload = payload_union("RevokeApiKeyPayload", ApiKeyRevoked)
CreateGrantPayload = payload_union("CreateGrantPayload", GrantSuccess)
DecideReviewPayload = payload_union("DecideReviewPayload", ReviewDecided)


async def _grant_success(outcome: Outcome) -> GrantSuccess:
    principal = str((outcome.result or {}).get("principal"))
    return GrantSuccess(id=_id(outcome), principal=principal, replayed=outcome.replayed)


def _id(outcome: Outcome) -> strawberry.ID:
    return strawberry.ID(str((outcome.result or {}).get("id")))


def _review_filter(inp: ReviewsInput, me: str) -> ReviewFilter:
    if inp.waiting_for_me:
        return ReviewFilter(status="PENDING", requested_by=inp.requested_by, not_requested_by=me, model=inp.model)
    status = inp.status.value if inp.status else None
    return ReviewFilter(status=status, requested_by=inp.requested_by, model=inp.model)


def _position(cursor: str | None) -> int | None:
    key = decode(cursor)
    if key is None:
        return None
    if not key.isdigit() or len(key) > 19:
        raise ValidationFailed("after: not a cursor returned by this API", field="after")
    return int(key)


@strawberry.type
class GovernanceQuery:
    @strawberry.field(description="Who you are.")
    def me(self, info: Info) -> Principal:
        a = meta_of(info, None).actor
        return Principal(name=a.name, kind=a.kind, roles=list(a.roles), teams=list(a.teams))

    @strawberry.field(description="Registered principals, by name.")
    async def principals(self, info: Info, first: int = 50, after: str | None = None) -> Connection[Principal]:
        found = await info.context.services.repos.principals.list()
        rows = [(a.name, Principal(name=a.name, kind=a.kind, roles=list(a.roles), teams=list(a.teams))) for a in found]
        return sliced(rows, first, after)

    @strawberry.field(description="A principal's grants, newest first (revoked ones only when asked).")
    async def grants(self, info: Info, principal: str, include_revoked: bool = False) -> list[Grant]:
        found = await gov.list_grants(info.context.services, principal, include_revoked=include_revoked)
        return [Grant.of(g) for g in found]

    @strawberry.field(description="Reviews, newest first: by state, model, requester, or waiting for me.")
    async def reviews(self, info: Info, input: ReviewsInput | None = None) -> Connection[Review]:
        inp = input or ReviewsInput()
        limit, services, meta = page_size(inp.first), info.context.services, meta_of(info, None)
        if inp.waiting_for_me and not await gov.may_approve_reviews(services, meta):
            return connection([], limit)
        found = await page_reviews(
            services.driver,
            services.settings.neo4j_database,
            _review_filter(inp, meta.actor.name),
            time_key(inp.after),
            limit + 1,
        )
        return connection([(time_cursor_key(r.created_at, r.id), Review.of(r)) for r in found], limit)

    @strawberry.field(description="The audit trail, newest first.")
    async def audit_trail(self, info: Info, input: AuditTrailInput) -> Connection[AuditEvent]:
        limit = page_size(input.first)
        events = await gov.audit_trail(
            info.context.services,
            target=input.target,
            actor=input.actor,
            action=input.action,
            start=v.aware("from", input.from_),
            end=v.aware("to", input.to),
            before=_position(input.after),
            limit=limit + 1,
        )
        return connection([(str(e.position), _event_info(e)) for e in events], limit)

    @strawberry.field(description="What policy would decide for a command now (nothing is written).")
    async def policy_check(self, info: Info, input: PolicyCheckInput) -> PolicyDecision:
        payload = dict(v.mapping("payload", input.payload))
        d = await dry_run(info.context.services, meta_of(info, None), command_from(input.command, payload))
        return PolicyDecision(allow=d.allow, requires_review=d.requires_review, reasons=list(d.reasons))


def _event_info(e: StoredAuditEvent) -> AuditEvent:
    return AuditEvent(
        stream=e.stream,
        seq=e.seq,
        position=str(e.position),
        at=e.at,
        actor=e.actor,
        action=e.action,
        target_id=strawberry.ID(e.target_id) if e.target_id is not None else None,
        decision=AuditDecision(e.decision),
        reasons=e.reasons,
        request_id=e.request_id,
        purpose=e.purpose,
        approved_by=e.approved_by,
        review_id=strawberry.ID(e.review_id) if e.review_id is not None else None,
        subjects=e.subjects,
        hash=e.hash,
        prev_hash=e.prev_hash,
    )


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(description="Create a principal (admin).")
    async def create_principal(self, info: Info, input: CreatePrincipalInput) -> CreatePrincipalPayload:
        async def ok(outcome: Outcome) -> PrincipalCreated:
            created = Principal(name=input.name, kind=input.kind, roles=input.roles, teams=input.teams or [])
            return PrincipalCreated(id=_id(outcome), principal=created, replayed=outcome.replayed)

        return await run_command(info, governance_cmd.CreatePrincipal, input, ok)

    @strawberry.mutation(description="Issue an API key (admin); the key is returned once and stored hashed.")
    async def issue_api_key(self, info: Info, input: IssueApiKeyInput) -> IssueApiKeyPayload:
        key = new_api_key()

        async def ok(outcome: Outcome) -> ApiKeyIssued:
            return ApiKeyIssued(id=_id(outcome), principal=input.principal, secret=key)

        return await run_command(info, governance_cmd.IssueApiKey, {**to_payload(input), "key_hash": hash_key(key)}, ok)

    @strawberry.mutation(description="Revoke an API key (admin).")
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
        async def ok(outcome: Outcome) -> ApiKeyRevoked:
            return ApiKeyRevoked(id=_id(outcome))

        return await run_command(info, governance_cmd.RevokeApiKey, input, ok)

    @strawberry.mutation(description="Grant an action until a time (admin).")
    async def create_grant(self, info: Info, input: CreateGrantInput) -> CreateGrantPayload:
        return await run_command(info, governance_cmd.CreateGrant, input, _grant_success)

    @strawberry.mutation(description="Revoke a grant (decided like createGrant, audited).")
    async def revoke_grant(self, info: Info, input: RevokeGrantInput) -> RevokeGrantPayload:
        return await run_command(info, governance_cmd.RevokeGrant, input, _grant_success)

    @strawberry.mutation(description="Approve a pending review; the change is applied as requested.")
    async def approve_review(self, info: Info, input: DecideReviewInput) -> DecideReviewPayload:
        return await as_payload(info, _decide(info, input, approve=True))

    @strawberry.mutation(description="Reject a pending review.")
    async def reject_review(self, info: Info, input: DecideReviewInput) -> DecideReviewPayload:
        return await as_payload(info, _decide(info, input, approve=False))


async def _decide(info: Info, input: DecideReviewInput, *, approve: bool) -> ReviewDecided:
    meta = meta_of(info, None)
    decided = await approvals.decide_review(info.context.services, meta, str(input.id), approve, input.comment)
    return ReviewDecided(review=Review.of(StoredReview.of(decided)))
