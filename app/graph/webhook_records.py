"""Typed records of webhook subscriptions and their deliveries, decoded from stored properties here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Self

from app.domain.entities import time_of
from app.graph.props import Props, float_of, int_of, required, text_of


@dataclass(frozen=True, kw_only=True)
class WebhookSubscription:
    """Where events are POSTed (its secret never leaves the write that created it)."""

    id: str
    url: str
    event_types: list[str]
    model: str | None
    description: str | None
    created_by: str | None
    created_at: datetime | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            url=str(required(p, "url", cls)),
            event_types=list(p.get("event_types") or []),
            model=text_of(p.get("model")),
            description=text_of(p.get("description")),
            created_by=text_of(p.get("created_by")),
            created_at=time_of(p.get("created_at")),
        )


@dataclass(frozen=True, kw_only=True)
class WebhookDelivery:
    """One event to send to one subscription, and how its last attempt went."""

    id: str
    subscription_id: str
    event_id: str
    event_sequence: int
    event_type: str
    state: str
    attempts: int
    created_at: datetime | None
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status: int | None
    last_response: str | None
    last_error: str | None
    last_duration_ms: float | None
    delivered_at: datetime | None
    dead_at: datetime | None

    @classmethod
    def of(cls, d: Props) -> Self:
        return cls(
            id=str(d["id"]),
            subscription_id=str(d["subscription_id"]),
            event_id=str(d["event_id"]),
            event_sequence=int(d["event_seq"]),
            event_type=str(d["event_type"]),
            state=str(d["state"]),
            attempts=int(d.get("attempts") or 0),
            created_at=time_of(d.get("created_at")),
            next_attempt_at=time_of(d.get("next_attempt_at")),
            last_attempt_at=time_of(d.get("last_attempt_at")),
            last_status=int_of(d.get("last_status")),
            last_response=text_of(d.get("last_response")),
            last_error=text_of(d.get("last_error")),
            last_duration_ms=float_of(d.get("last_duration_ms")),
            delivered_at=time_of(d.get("delivered_at")),
            dead_at=time_of(d.get("dead_at")),
        )
