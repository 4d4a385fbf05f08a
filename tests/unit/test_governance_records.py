"""Grants and audit events decode once in app/graph: driver times and the audit details' JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j.time import DateTime

from app.graph.governance_records import AuditEvent, Grant

EVENT = {"seq": 3, "position": 41, "actor": "ana", "decision": "applied", "hash": "h3", "prev_hash": "h2"}


def test_an_applied_review_names_its_approver_from_the_details() -> None:
    e = AuditEvent.of(
        {
            **EVENT,
            "action": "modify:archive_version",
            "at": DateTime(2026, 1, 2, tzinfo=UTC),
            "details": '{"approved_by": "bo", "review_id": "rev_1"}',
        }
    )
    assert (e.stream, e.at, e.approved_by, e.review_id, e.subjects) == (
        "legacy",
        datetime(2026, 1, 2, tzinfo=UTC),
        "bo",
        "rev_1",
        [],
    )


def test_unreadable_details_are_no_details_and_an_approval_is_its_actors() -> None:
    e = AuditEvent.of({**EVENT, "action": "review:approved", "at": None, "details": "{not json"})
    assert (e.approved_by, e.review_id, e.at) == ("ana", None, None)


def test_a_grant_for_any_resource_covers_star() -> None:
    g = Grant.of(
        {"id": "gr_1", "principal": "gus", "action": "publish", "expires_at": DateTime(2026, 2, 1, tzinfo=UTC)}
    )
    assert (g.resource_id, g.expires_at, g.revoked_at) == ("*", datetime(2026, 2, 1, tzinfo=UTC), None)
