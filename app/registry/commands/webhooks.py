"""Commands of webhook subscriptions and deliveries."""

from __future__ import annotations

from dataclasses import dataclass

from app.registry.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class CreateWebhookSubscription(Command):
    command_name = "create_webhook_subscription"
    url: str | None = None
    event_types: tuple[str, ...] | None = None
    model: str | None = None
    description: str | None = None
    # Sealed before it reaches the command: the audit event and any review keep only this.
    secret_sealed: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeleteWebhookSubscription(Command):
    command_name = "delete_webhook_subscription"
    id: str


@dataclass(frozen=True, kw_only=True)
class RedeliverWebhook(Command):
    command_name = "redeliver_webhook"
    id: str
