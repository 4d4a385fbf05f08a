"""Registry events (from the outbox) and webhook subscriptions over GraphQL.

`registryEvents` as a query pages through committed events after a sequence number; as a
subscription it first catches up from `afterSequence` (from the outbox) and then stays live (fed
by this process's outbox tail, whichever process made the change), so a client that reconnects
with the last sequence it saw misses nothing and sees nothing twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.errors import Unauthenticated
from app.events import outbox, retention, webhooks
from app.events import subscriptions as subs
from app.events.broker import ALL, REGISTRY_EVENTS, broker
from app.events.catalog import TYPES, short_type
from app.events.registry_event import OutboxEvent
from app.graph import webhook_records as wh
from app.graphql.context import Info
from app.graphql.payloads import as_payload, meta_of, payload_union, run_command
from app.registry.commands import webhooks as webhooks_cmd
from app.registry.execute import execute

CATCH_UP_PAGE = 200


@strawberry.type(description="One committed registry change, as its CloudEvents 1.0 envelope and its parts.")
class RegistryEvent:
    sequence: int = strawberry.field(description="Position in the outbox: strictly increasing, without gaps.")
    id: strawberry.ID = strawberry.field(description="Event id (the CloudEvent id and the webhook-id header).")
    type: str = strawberry.field(
        description="Event type, e.g. alias.moved (the envelope says io.modelgraph.alias.moved)."
    )
    subject: str | None = strawberry.field(description="The entity the event is about (its id).")
    model: str | None = strawberry.field(description="The model it concerns, when there is one.")
    actor: str | None = strawberry.field(description="Who made the change (the requester of an approved review).")
    time: datetime | None = strawberry.field(description="When it committed (UTC).")
    audit_stream: str | None = strawberry.field(description="The audit stream of the change's audit event.")
    audit_seq: int | None = strawberry.field(description="The audit event's position in its stream.")
    data: JSON = strawberry.field(description="Entity ids and names the event carries.")
    cloud_event: JSON = strawberry.field(
        description="The CloudEvents 1.0 envelope (structured JSON), as webhooks get it."
    )

    @classmethod
    def of(cls, e: OutboxEvent) -> RegistryEvent:
        return cls(
            sequence=e.sequence,
            id=strawberry.ID(e.id),
            type=e.type,
            subject=e.subject,
            model=e.model,
            actor=e.actor,
            time=e.at,
            audit_stream=e.audit_stream,
            audit_seq=e.audit_seq,
            data=JSON(e.data),
            cloud_event=JSON(e.envelope),
        )


@strawberry.input(description="Which registry events (all conditions hold).")
class RegistryEventFilter:
    types: list[str] | None = strawberry.field(
        default=None, description="Only these types (short or envelope form); none: every type."
    )
    model: str | None = strawberry.field(default=None, description="Only events about this model.")


@strawberry.type(description="A page of registry events, oldest first.")
class RegistryEventPage:
    events: list[RegistryEvent] = strawberry.field(description="The events.")
    last_sequence: int = strawberry.field(description="Ask again with afterSequence: this to read on.")
    has_more: bool = strawberry.field(description="More events are committed after this page.")


def _types(f: RegistryEventFilter | None) -> list[str] | None:
    if f is None or not f.types:
        return None
    return sorted({short_type(t) for t in f.types})


def _visible(info: Info) -> Callable[[OutboxEvent], bool]:
    """Admin-only events (OutboxEvent.admin_only) are shown to admins only."""
    actor = info.context.principal
    if actor is None:
        raise Unauthenticated("a bearer token is required")
    admin = "admin" in getattr(actor, "roles", ())

    def visible(e: OutboxEvent) -> bool:
        return admin or not e.admin_only

    return visible


def _wanted(f: RegistryEventFilter | None, e: OutboxEvent) -> bool:
    types = _types(f)
    if types is not None and e.type not in types:
        return False
    return not (f is not None and f.model and e.model != f.model)


@strawberry.type(description="A webhook subscription (its secret is never shown again after creation).")
class WebhookSubscription:
    id: strawberry.ID = strawberry.field(description="Subscription id.")
    url: str = strawberry.field(description="Where events are POSTed.")
    event_types: list[str] = strawberry.field(description="Event types sent (empty: all).")
    model: str | None = strawberry.field(description="Only events of this model (none: every model; admins only).")
    description: str | None = strawberry.field(description="What it is for.")
    created_by: str | None = strawberry.field(description="Who created it.")
    created_at: datetime | None = strawberry.field(description="Created (UTC).")

    @classmethod
    def of(cls, r: wh.WebhookSubscription) -> WebhookSubscription:
        return cls(
            id=strawberry.ID(r.id),
            url=r.url,
            event_types=r.event_types,
            model=r.model,
            description=r.description,
            created_by=r.created_by,
            created_at=r.created_at,
        )


@strawberry.type(description="One event to send to one subscription, and how its last attempt went.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="Delivery id (redeliverWebhook takes it).")
    subscription_id: strawberry.ID = strawberry.field(description="The subscription.")
    event_id: strawberry.ID = strawberry.field(description="The event (the webhook-id header).")
    event_sequence: int = strawberry.field(description="The event's outbox sequence.")
    event_type: str = strawberry.field(description="The event's type.")
    state: str = strawberry.field(description="pending, retrying, delivered, dead (dead letter) or cancelled.")
    attempts: int = strawberry.field(description="Attempts made.")
    created_at: datetime | None = strawberry.field(description="When the event was fanned out to it.")
    next_attempt_at: datetime | None = strawberry.field(description="When it is due (pending, retrying).")
    last_attempt_at: datetime | None = strawberry.field(description="The last attempt.")
    last_status: int | None = strawberry.field(description="HTTP status of the last attempt (none: no answer).")
    last_response: str | None = strawberry.field(description="The first 512 bytes of the last response body.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed without a status.")
    last_duration_ms: float | None = strawberry.field(description="How long the last attempt took.")
    delivered_at: datetime | None = strawberry.field(description="When a 2xx answered.")
    dead_at: datetime | None = strawberry.field(description="When retries ran out.")

    @classmethod
    def of(cls, d: wh.WebhookDelivery) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(d.id),
            subscription_id=strawberry.ID(d.subscription_id),
            event_id=strawberry.ID(d.event_id),
            event_sequence=d.event_sequence,
            event_type=d.event_type,
            state=d.state,
            attempts=d.attempts,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            last_attempt_at=d.last_attempt_at,
            last_status=d.last_status,
            last_response=d.last_response,
            last_error=d.last_error,
            last_duration_ms=d.last_duration_ms,
            delivered_at=d.delivered_at,
            dead_at=d.dead_at,
        )


@strawberry.input(description="Subscribe a URL to registry events.")
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(description="http(s) URL; private and metadata addresses only when allow-listed.")
    event_types: list[str] | None = strawberry.field(default=None, description="Event types to send (none: all).")
    model: str | None = strawberry.field(
        default=None, description="Only this model's events (its owners may subscribe); none: all (admins only)."
    )
    description: str | None = strawberry.field(default=None, description="What it is for.")
    secret: str | None = strawberry.field(
        default=None, description="Signing secret whsec_<base64> (24-64 bytes); none: one is generated."
    )


@strawberry.type(description="The subscription was created; the secret is shown here once.")
class WebhookSubscriptionCreated:
    subscription: WebhookSubscription = strawberry.field(description="The subscription.")
    secret: str = strawberry.field(description="Signing secret (Standard Webhooks whsec_ format); shown only here.")


@strawberry.input(description="Delete a webhook subscription (its pending deliveries are cancelled).")
class DeleteWebhookSubscriptionInput:
    id: strawberry.ID = strawberry.field(description="Subscription id.")


@strawberry.input(description="Send a delivery again (e.g. a dead-lettered one), with a fresh retry window.")
class RedeliverWebhookInput:
    id: strawberry.ID = strawberry.field(description="Delivery id.")


@strawberry.type(description="Done; the id names what changed.")
class WebhookChanged:
    id: strawberry.ID = strawberry.field(description="The subscription or delivery.")


CreateWebhookSubscriptionPayload = payload_union("CreateWebhookSubscriptionPayload", WebhookSubscriptionCreated)
WebhookChangedPayload = payload_union("WebhookChangedPayload", WebhookChanged)


async def _page(info: Info, f: RegistryEventFilter | None, after: int, first: int) -> RegistryEventPage:
    services = info.context.services
    visible = _visible(info)
    limit = max(1, min(first, 500))
    await retention.check_after(services.driver, services.settings.neo4j_database, after)
    rows = await outbox.read_after(
        services.driver,
        services.settings.neo4j_database,
        after,
        limit=limit + 1,
        types=_types(f),
        model=f.model if f else None,
    )
    page = [OutboxEvent.of(r) for r in rows[:limit]]
    last = page[-1].sequence if page else after
    return RegistryEventPage(
        events=[RegistryEvent.of(e) for e in page if visible(e)], last_sequence=last, has_more=len(rows) > limit
    )


@strawberry.type
class EventsQuery:
    @strawberry.field(
        description="Committed registry events after a sequence number, oldest first. Events older than the "
        "outbox retention are removed: continuing from a removed sequence is refused (CONFLICT naming "
        "afterSequence); 0 reads from the oldest kept."
    )
    async def registry_events(
        self, info: Info, filter: RegistryEventFilter | None = None, after_sequence: int = 0, first: int = 100
    ) -> RegistryEventPage:
        return await _page(info, filter, after_sequence, first)

    @strawberry.field(description="The event types the registry emits, with what each means.")
    def registry_event_types(self) -> list[str]:
        return sorted(TYPES)

    @strawberry.field(description="Webhook subscriptions you may manage (admins: all).")
    async def webhook_subscriptions(self, info: Info, first: int = 50) -> list[WebhookSubscription]:
        found = await subs.list_subscriptions(info.context.services, meta_of(info, None), max(1, min(first, 200)))
        return [WebhookSubscription.of(p) for p in found]

    @strawberry.field(description="Deliveries of one subscription, newest first, with their last responses.")
    async def webhook_deliveries(
        self,
        info: Info,
        subscription_id: strawberry.ID,
        state: str | None = None,
        before: datetime | None = None,
        first: int = 50,
    ) -> list[WebhookDelivery]:
        found = await subs.list_deliveries(
            info.context.services, meta_of(info, None), str(subscription_id), state, before, max(1, min(first, 200))
        )
        return [WebhookDelivery.of(d) for d in found]


@strawberry.type
class EventsMutation:
    @strawberry.mutation(description="Subscribe a URL to registry events (admins, or owners of the model).")
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> CreateWebhookSubscriptionPayload:
        return await as_payload(info, _create(info, input))

    @strawberry.mutation(description="Delete a webhook subscription; its pending deliveries are cancelled.")
    async def delete_webhook_subscription(
        self, info: Info, input: DeleteWebhookSubscriptionInput
    ) -> WebhookChangedPayload:
        return await run_command(info, webhooks_cmd.DeleteWebhookSubscription, input, _changed)

    @strawberry.mutation(description="Queue a delivery again now (dead-lettered or not), with a new retry window.")
    async def redeliver_webhook(self, info: Info, input: RedeliverWebhookInput) -> WebhookChangedPayload:
        return await run_command(info, webhooks_cmd.RedeliverWebhook, input, _changed)


async def _changed(outcome: Any) -> WebhookChanged:
    return WebhookChanged(id=strawberry.ID(str((outcome.result or {}).get("id"))))


async def _create(info: Info, input: CreateWebhookSubscriptionInput) -> Any:
    from app.graphql.payloads import review_required

    services = info.context.services
    secret = input.secret or webhooks.new_secret()
    webhooks.secret_key(secret)  # refuses a malformed one
    command = webhooks_cmd.CreateWebhookSubscription(
        url=input.url,
        event_types=None if input.event_types is None else tuple(input.event_types),
        model=input.model,
        description=input.description,
        secret_sealed=webhooks.seal(services.settings.artifact_key.get_secret_value(), secret),
    )
    outcome = await execute(services, meta_of(info, None), command)
    if outcome.review is not None:
        reasons = list(outcome.decision.reasons) if outcome.decision else []
        return review_required(str(outcome.review["id"]), reasons)
    found = await subs.get_subscription(services, str((outcome.result or {})["id"]))
    created = WebhookSubscription.of(wh.WebhookSubscription.of(found))
    return WebhookSubscriptionCreated(subscription=created, secret=secret)


@strawberry.type
class EventsSubscription:
    @strawberry.subscription(
        description="Registry events: first those after afterSequence (catch-up from the outbox), then live. "
        "Without afterSequence, only events committed from now on; from a sequence the outbox retention "
        "removed, refused (CONFLICT naming afterSequence)."
    )
    async def registry_events(
        self, info: Info, filter: RegistryEventFilter | None = None, after_sequence: int | None = None
    ) -> AsyncGenerator[RegistryEvent, None]:
        services = info.context.services
        database = services.settings.neo4j_database
        visible = _visible(info)
        # Listen first, then read: whatever commits while catching up is in the queue already.
        if after_sequence is not None:
            await retention.check_after(services.driver, database, after_sequence)
        async with broker.listen(REGISTRY_EVENTS, ALL) as queue:
            committed = await outbox.last_sequence(services.driver, database)
            last = after_sequence if after_sequence is not None else committed
            async for caught in _catch_up(info, filter, last, None):
                last = caught.sequence
                if visible(caught):
                    yield RegistryEvent.of(caught)
            # Everything up to `committed` was read (filtered); later rows come through the queue.
            last = max(last, committed)
            while True:
                event = OutboxEvent.of(await queue.get())
                seq = event.sequence
                if seq <= last:
                    continue
                if seq > last + 1:  # the queue overflowed (a slow client): read the gap from the outbox
                    async for missed in _catch_up(info, filter, last, seq):
                        if visible(missed):
                            yield RegistryEvent.of(missed)
                last = seq
                if _wanted(filter, event) and visible(event):
                    yield RegistryEvent.of(event)
                await asyncio.sleep(0)


async def _catch_up(
    info: Info, f: RegistryEventFilter | None, after: int, before: int | None
) -> AsyncGenerator[OutboxEvent, None]:
    """Committed events after `after` (and before `before`) that match the filter."""
    services = info.context.services
    while True:
        rows = await outbox.read_after(
            services.driver,
            services.settings.neo4j_database,
            after,
            limit=CATCH_UP_PAGE,
            types=_types(f),
            model=f.model if f else None,
        )
        for event in (OutboxEvent.of(r) for r in rows):
            if before is not None and event.sequence >= before:
                return
            yield event
        if len(rows) < CATCH_UP_PAGE:
            return
        after = int(rows[-1]["seq"])
