"""A registry event decodes once from its outbox row; the GraphQL type reads its attributes."""

from __future__ import annotations

from datetime import UTC, datetime

from app.events.registry_event import OutboxEvent

ROW = {
    "id": "evt_1",
    "seq": 7,
    "type": "alias.moved",
    "subject": "al_1",
    "model": "churn",
    "actor": "pat",
    "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    "stream": "model:churn",
    "audit_id": "ae_1",
    "audit_seq": 12,
    "data": {"alias": "production"},
}


def test_an_outbox_row_decodes_with_its_audit_position_and_envelope() -> None:
    e = OutboxEvent.of(ROW)
    assert (e.sequence, e.id, e.type, e.subject, e.model, e.actor) == (
        7,
        "evt_1",
        "alias.moved",
        "al_1",
        "churn",
        "pat",
    )
    assert (e.at, e.audit_stream, e.audit_seq, e.data) == (ROW["at"], "model:churn", 12, {"alias": "production"})
    assert (e.envelope["type"], e.envelope["sequence"], e.envelope["auditid"]) == (
        "io.modelgraph.alias.moved",
        7,
        "ae_1",
    )
    assert not e.admin_only


def test_an_event_without_optional_parts_names_none_and_governance_events_are_admin_only() -> None:
    e = OutboxEvent.of({"id": "evt_2", "seq": 8, "type": "grant.created"})
    assert (e.subject, e.model, e.actor, e.audit_stream, e.audit_seq, e.data) == (None, None, None, None, None, {})
    assert e.admin_only
