"""A review decodes once in app/graph: its request JSON and driver times."""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j.time import DateTime

from app.graph.review_reads import Review


def test_a_review_decodes_its_request_and_times() -> None:
    stored = {"id": "rev_1", "command": "archive_version", "payload": '{"model": "m"}', "action": "modify"}
    r = Review.of(
        {**stored, "requested_by": "ana", "status": "PENDING", "created_at": DateTime(2026, 1, 2, tzinfo=UTC)}
    )
    assert (r.payload, r.created_at, r.expires_at, r.reasons) == (
        {"model": "m"},
        datetime(2026, 1, 2, tzinfo=UTC),
        None,
        [],
    )
