"""Principals, API keys, time-bound grants; audit queries; policy dry runs for CI gates."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from app.domain import validation as v
from app.errors import Conflict, NotFound
from app.graph import principals as pr
from app.graph.governance_queries import (
    AUDIT_TRAIL,
    AUDIT_TRAIL_OF_TARGET,
    CREATE_GRANT,
    GRANT_BY_ID,
    LIST_GRANTS,
    REVOKE_GRANT,
)
from app.graph.governance_records import AuditEvent, Grant
from app.graph.ids import new_id
from app.graph.reads import rows, tx_one
from app.registry.actor import RequestMeta
from app.registry.commands import governance as cmd
from app.registry.decisions import policy_input
from app.registry.grants import grants_of
from app.registry.plan import Plan
from app.services import Services

ROLES = ("viewer", "contributor", "publisher", "approver", "admin")
GRANT_ACTIONS = (
    "read",
    "publish",
    "modify",
    "retire",
    "promote",
    "read_artifact",
    "approve_review",
)


async def create_principal(services: Services, meta: RequestMeta, c: cmd.CreatePrincipal) -> Plan:
    data = {
        "name": v.name("name", c.name),
        "kind": v.one_of("kind", c.kind or "user", ("user", "service")),
        "roles": [v.one_of("roles", r, ROLES) for r in v.string_list("roles", c.roles)],
        "teams": v.labels("teams", c.teams),
    }
    return Plan(
        "admin",
        {"kind": "principal", "name": data["name"]},
        pr.create_principal(data, meta.actor.name),
    )


async def issue_api_key(services: Services, meta: RequestMeta, c: cmd.IssueApiKey) -> Plan:
    data = {
        "principal": v.name("principal", c.principal),
        "key_hash": c.key_hash,
        "label": v.short("label", c.label),
        "expires_at": v.utc("expiresAt", c.expires_at, allow_future=True),
    }
    return Plan(
        "admin",
        {"kind": "principal", "name": data["principal"]},
        pr.create_key(data, meta.actor.name),
    )


async def revoke_api_key(services: Services, meta: RequestMeta, c: cmd.RevokeApiKey) -> Plan:
    key_id = v.short("id", c.id, required=True) or ""
    return Plan("admin", {"kind": "principal", "id": key_id}, pr.revoke_key(key_id))


async def create_grant(services: Services, meta: RequestMeta, c: cmd.CreateGrant) -> Plan:
    data = {
        "principal": v.name("principal", c.principal),
        "action": v.one_of("action", c.action, GRANT_ACTIONS),
        "resource_id": v.short("resourceId", c.resource_id or "*"),
        "expires_at": v.utc("expiresAt", c.expires_at, allow_future=True),
    }

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, CREATE_GRANT, id=new_id("Grant"), at=at, actor=meta.actor.name, **data)
        if row is None:
            raise NotFound(f"principal: no principal {data['principal']!r}", field="principal")
        return {"id": row["id"], "kind": "Grant", "principal": data["principal"]}

    return Plan("grant", {"kind": "grant", "name": data["principal"]}, work)


async def revoke_grant(services: Services, meta: RequestMeta, c: cmd.RevokeGrant) -> Plan:
    """Decided like create_grant (action `grant`); the grant stays on record with who revoked it."""
    grant_id = v.short("id", c.id, required=True) or ""
    reason = v.text("reason", c.reason, max_len=4000)
    found = await rows(services.driver, services.settings.neo4j_database, GRANT_BY_ID, id=grant_id)
    if not found:
        raise NotFound(f"id: no grant {grant_id!r}", field="id")
    principal = found[0]["props"]["principal"]

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, REVOKE_GRANT, id=grant_id, at=at, actor=meta.actor.name, reason=reason)
        if row is None:
            raise NotFound(f"id: no grant {grant_id!r}", field="id")
        if row["revoked_before"] is not None:
            when = row["revoked_before"].to_native().isoformat()
            raise Conflict(f"id: grant {grant_id} was already revoked at {when}", field="id")
        return {"id": row["id"], "kind": "Grant", "principal": row["principal"]}

    return Plan("grant", {"kind": "grant", "id": grant_id, "name": principal}, work)


async def list_grants(
    services: Services, principal: str, *, include_revoked: bool = False, limit: int = 200
) -> list[Grant]:
    """A principal's grants, newest first (revoked ones only when asked)."""
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        LIST_GRANTS,
        principal=v.name("principal", principal),
        include_revoked=include_revoked,
        limit=limit,
    )
    return [Grant.of(r["props"]) for r in found]


async def audit_trail(
    services: Services,
    *,
    target: str | None,
    actor: str | None,
    action: str | None,
    start: datetime | None,
    end: datetime | None,
    before: int | None,
    limit: int,
) -> list[AuditEvent]:
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        AUDIT_TRAIL_OF_TARGET if target else AUDIT_TRAIL,
        target=target,
        actor=actor,
        action=action,
        to=end,
        before=before,
        limit=limit,
        **{"from": start},
    )
    return [AuditEvent.of(r["props"]) for r in found]


async def may_approve_reviews(services: Services, meta: RequestMeta) -> bool:
    """Whether policy lets the caller approve reviews others filed ("waiting for me"); nothing is audited."""

    async def noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        return {}

    someone_else = {"requested_by": f"{meta.actor.id}\u241fother"}  # a requester that is not the caller
    plan = Plan("approve_review", {"kind": "review", "id": "*"}, noop, context={"review": someone_else})
    meta = replace(meta, grants=await grants_of(services, meta.actor.name))
    return (await services.policy.decide(policy_input(meta, plan))).allow
