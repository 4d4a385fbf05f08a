"""Deployment, health and event records decode stored properties (and published events) in app/graph."""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j.time import DateTime

from app.graph.history_records import Deployment, DeploymentEvent, HealthWindow

STORED = {"id": "dev_1", "deployment_id": "dep_1", "seq": 2, "type": "rolled_back", "reason": "p95 doubled"}
AT = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def test_an_event_reads_alike_from_the_graph_and_from_the_broker() -> None:
    stored = DeploymentEvent.of({**STORED, "occurred_at": DateTime(2026, 1, 2, 3, 4, 5, 123456000, tzinfo=UTC)})
    published = DeploymentEvent.of({**STORED, "occurred_at": AT.isoformat(), "details": '{"traffic": [90, 10]}'})
    assert stored.occurred_at == published.occurred_at == AT
    assert (stored.details, published.details) == (None, {"traffic": [90, 10]})
    assert (published.seq, published.type, published.from_state) == (2, "rolled_back", None)


def test_a_health_window_rolls_up_each_signal_and_means_over_its_samples() -> None:
    w = HealthWindow.of({"id": "hw_1", "count": 4, "latency_p95_ms.max": 900, "error_rate.sum": 0.2})
    assert w.signals["latency_p95_ms"].max == 900.0 and w.signals["latency_p95_ms"].sum is None
    assert (w.mean("error_rate"), w.mean("request_rate"), w.status, w.minute) == (0.05, None, "UNKNOWN", None)


def test_a_deployment_not_yet_reported_on_is_of_unknown_health() -> None:
    d = Deployment.of({"id": "dep_1", "name": "scorer", "rollback_target_id": ""})
    assert (d.health_status, d.health_at, d.rollback_target_id) == ("UNKNOWN", None, None)
