"""Webhook subscriptions and deliveries decode once in app/graph: driver times, optional fields."""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j.time import DateTime

from app.graph.webhook_records import WebhookDelivery


def test_a_delivery_not_yet_attempted_has_no_answer_and_aware_times() -> None:
    d = WebhookDelivery.of(
        {
            "id": "whd_1",
            "subscription_id": "whs_1",
            "event_id": "evt_1",
            "event_seq": 7,
            "event_type": "model_version.registered",
            "state": "pending",
            "created_at": DateTime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        }
    )
    assert (d.event_sequence, d.attempts, d.last_status, d.last_attempt_at) == (7, 0, None, None)
    assert d.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
