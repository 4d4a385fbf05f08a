"""Webhook subscriptions as registry commands (validated, decided by policy, audited, and emitting
their own events), plus the reads of subscriptions and deliveries.

Who may manage a subscription: with a model filter, whoever may modify that model (its owners,
admins); without one (every model, and registry-wide events such as grants), admins only. Both
are ordinary policy decisions (`modify` on the model, `admin` on the registry).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from app.domain import validation as v
from app.domain.streams import NEW_AGGREGATE
from app.errors import NotFound, PermissionDenied
from app.events import webhooks
from app.events.catalog import TYPES, short_type
from app.graph.reads import rows, tx_one
from app.graph.webhook_records import WebhookDelivery, WebhookSubscription
from app.registry.actor import RequestMeta
from app.registry.commands import webhooks as cmd
from app.registry.decisions import policy_input
from app.registry.grants import grants_of
from app.registry.lookups import model_named
from app.registry.plan import Plan
from app.registry.resources import owned
from app.services import Services

CREATE: LiteralString = """
OPTIONAL MATCH (c:OutboxCounter {id: 'outbox'})
CREATE (s:WebhookSubscription)
SET s = $props, s.after_seq = coalesce(c.seq, 0), s.created_at = $at
RETURN s.id AS id
"""
DEACTIVATE: LiteralString = """
MATCH (s:WebhookSubscription {id: $id}) WHERE s.active
SET s.active = false, s.deleted_at = $at, s.deleted_by = $actor
WITH s
OPTIONAL MATCH (d:WebhookDelivery {subscription_id: $id}) WHERE d.state IN ['pending', 'retrying']
SET d.state = 'cancelled'
RETURN s.id AS id
"""
GET: LiteralString = "MATCH (s:WebhookSubscription {id: $id}) RETURN s {.*} AS s"
LIST: LiteralString = """
MATCH (s:WebhookSubscription) WHERE s.active AND ($mine IS NULL OR s.created_by = $mine)
RETURN s {.*} AS s ORDER BY s.created_at DESC LIMIT $limit
"""
REDELIVER: LiteralString = """
MATCH (d:WebhookDelivery {id: $id})
MATCH (s:WebhookSubscription {id: d.subscription_id}) WHERE s.active
SET d.state = 'pending', d.next_attempt_at = $at, d.first_attempt_at = null,
    d.lease_until = null, d.lease_owner = null, d.lease_token = null, d.redelivered_at = $at
RETURN d.id AS id
"""
GET_DELIVERY: LiteralString = "MATCH (d:WebhookDelivery {id: $id}) RETURN d {.*} AS d"
LIST_DELIVERIES: LiteralString = """
MATCH (d:WebhookDelivery {subscription_id: $subscription})
WHERE ($state IS NULL OR d.state = $state) AND ($before IS NULL OR d.created_at < $before)
RETURN d {.*} AS d ORDER BY d.created_at DESC LIMIT $limit
"""


def _event_types(raw: tuple[str, ...] | None) -> list[str]:
    if raw is None:
        return []
    if len(raw) > len(TYPES):
        raise v.fail("eventTypes", "must be a list of event types")
    found = []
    for index, item in enumerate(raw):
        short = short_type(str(item))
        if short not in TYPES:
            raise v.fail(f"eventTypes[{index}]", f"unknown event type {item!r}; known: {', '.join(sorted(TYPES))}")
        found.append(short)
    return sorted(set(found))


async def manage_plan(services: Services, model: str | None, work: Any, subscription: str | None = None) -> Plan:
    """The policy question for managing a subscription of this model filter (None: registry-wide)."""
    stream = f"webhooksubscription:{subscription}" if subscription else NEW_AGGREGATE
    if model:
        return Plan("modify", owned(await model_named(services, model), "model"), work, stream=stream)
    return Plan("admin", {"kind": "registry", "name": "webhooks"}, work, stream=stream)


async def create_subscription(services: Services, meta: RequestMeta, c: cmd.CreateWebhookSubscription) -> Plan:
    url = str(c.url or "")
    webhooks.check_url(url)
    try:  # the address is checked again at every delivery; refusing early is kinder
        await webhooks.resolve(url, services.settings.webhook_allow_hosts)
    except webhooks.Blocked as exc:
        raise v.fail("url", str(exc)) from None
    sealed = c.secret_sealed
    if not isinstance(sealed, str) or not sealed:
        raise v.fail("secret", "is required")
    props = {
        "id": "whs_" + uuid.uuid4().hex,
        "url": url.strip(),
        "event_types": _event_types(c.event_types),
        "model": v.name("model", c.model) if c.model else None,
        "description": v.text("description", c.description),
        "secret_sealed": sealed,
        "active": True,
        "created_by": meta.actor.name,
    }
    props = {k: val for k, val in props.items() if val is not None}

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, CREATE, props=props, at=at)
        assert row is not None
        return {"id": row["id"], "kind": "WebhookSubscription"}

    model = props.get("model")
    plan = await manage_plan(services, model if isinstance(model, str) else None, work)
    plan.context["webhook"] = {"url": props["url"]}
    return plan


async def delete_subscription(services: Services, meta: RequestMeta, c: cmd.DeleteWebhookSubscription) -> Plan:
    found = await get_subscription(services, str(c.id))

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, DEACTIVATE, id=found["id"], at=at, actor=meta.actor.name)
        if row is None:
            raise NotFound(f"id: webhook subscription {found['id']!r} is already deleted", field="id")
        return {"id": found["id"], "kind": "WebhookSubscription"}

    return await manage_plan(services, found.get("model"), work, found["id"])


async def redeliver(services: Services, meta: RequestMeta, c: cmd.RedeliverWebhook) -> Plan:
    delivery = await get_delivery(services, str(c.id))
    found = await get_subscription(services, str(delivery["subscription_id"]))

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, REDELIVER, id=delivery["id"], at=at)
        if row is None:
            raise NotFound("id: the delivery's subscription was deleted", field="id")
        return {"id": delivery["id"], "kind": "WebhookDelivery"}

    return await manage_plan(services, found.get("model"), work, found["id"])


async def get_subscription(services: Services, subscription_id: str) -> dict[str, Any]:
    found = await rows(services.driver, services.settings.neo4j_database, GET, id=subscription_id)
    if not found or not found[0]["s"].get("active"):
        raise NotFound(f"id: no webhook subscription {subscription_id!r}", field="id")
    props: dict[str, Any] = found[0]["s"]
    return props


async def get_delivery(services: Services, delivery_id: str) -> dict[str, Any]:
    found = await rows(services.driver, services.settings.neo4j_database, GET_DELIVERY, id=delivery_id)
    if not found:
        raise NotFound(f"id: no webhook delivery {delivery_id!r}", field="id")
    props: dict[str, Any] = found[0]["d"]
    return props


async def may_manage(services: Services, meta: RequestMeta, subscription: dict[str, Any]) -> bool:
    """The same question as managing it: asked of OPA, never cached."""

    async def noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        return {}

    plan = await manage_plan(services, subscription.get("model"), noop)
    if not meta.grants:
        meta = RequestMeta(
            actor=meta.actor, request_id=meta.request_id, grants=await grants_of(services, meta.actor.name)
        )
    decision = await services.policy.decide(policy_input(meta, plan))
    return bool(decision.allow)


async def list_subscriptions(services: Services, meta: RequestMeta, limit: int) -> list[WebhookSubscription]:
    """Admins see every subscription; others those they created and may still manage."""
    admin = "admin" in meta.actor.roles
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        LIST,
        mine=None if admin else meta.actor.name,
        limit=limit,
    )
    return [WebhookSubscription.of(r["s"]) for r in found if admin or await may_manage(services, meta, r["s"])]


async def list_deliveries(
    services: Services,
    meta: RequestMeta,
    subscription_id: str,
    state: str | None,
    before: datetime | None,
    limit: int,
) -> list[WebhookDelivery]:
    subscription = await get_subscription(services, subscription_id)
    if not await may_manage(services, meta, subscription):
        raise PermissionDenied("only who may manage a webhook subscription sees its deliveries")
    found = await rows(
        services.driver,
        services.settings.neo4j_database,
        LIST_DELIVERIES,
        subscription=subscription_id,
        state=state,
        before=before,
        limit=limit,
    )
    return [WebhookDelivery.of(r["d"]) for r in found]


def now() -> datetime:
    return datetime.now(UTC)
