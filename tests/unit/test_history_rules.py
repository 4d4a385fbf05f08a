"""Pure rules of performance history and deployment health (no services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import history as rules
from app.errors import ValidationFailed

NOW = datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)


def sample(**values: float) -> rules.Sample:
    return rules.check_sample(0, "dep_1", NOW, values, NOW)


def test_roll_up_groups_samples_per_deployment_minute_with_min_max_sum() -> None:
    samples = [
        rules.Sample("dep_1", NOW + timedelta(seconds=s), {"latency_p95_ms": v})
        for s, v in ((0, 100.0), (10, 300.0), (45, 200.0))
    ]
    windows = rules.roll_up(samples)
    assert [(w.minute, w.count) for w in windows] == [(NOW.replace(second=0), 2), (NOW.replace(second=0, minute=1), 1)]
    assert windows[0].stats["latency_p95_ms"] == {"min": 100.0, "max": 300.0, "sum": 400.0}
    assert windows[0].mean("latency_p95_ms") == 200.0


def test_merging_a_stored_window_keeps_counts_and_extremes() -> None:
    first = rules.roll_up([rules.Sample("d", NOW, {"error_rate": 0.0})])[0]
    stored = rules.window_from_props("d", first.minute, rules.window_props(first))
    merged = rules.merge_windows(stored, rules.roll_up([rules.Sample("d", NOW, {"error_rate": 0.1})])[0])
    assert merged.count == 2 and merged.stats["error_rate"] == {"min": 0.0, "max": 0.1, "sum": 0.1}
    assert rules.window_props(merged)["status"] == rules.UNHEALTHY  # mean error rate 5%


@pytest.mark.parametrize(
    ("p95", "errors", "status"),
    [
        (100, 0.0, rules.HEALTHY),
        (600, 0.0, rules.DEGRADED),
        (100, 0.02, rules.DEGRADED),
        (2500, 0.0, rules.UNHEALTHY),
        (100, 0.2, rules.UNHEALTHY),
    ],
)
def test_health_status_from_thresholds(p95: float, errors: float, status: str) -> None:
    window = rules.roll_up([rules.Sample("d", NOW, {"latency_p95_ms": p95, "error_rate": errors})])[0]
    assert rules.health_status(window) == status


def test_status_unknown_without_latency_or_errors() -> None:
    assert rules.health_status(rules.roll_up([sample(cpu=0.5)])[0]) == rules.UNKNOWN


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"latency_p95_ms": -1.0}, "samples[0].latency_p95_ms: must not be negative"),
        ({"latency_p95_ms": float("nan")}, "samples[0].latency_p95_ms: must be a finite number"),
        ({"error_rate": 1.5}, "samples[0].error_rate: is a fraction between 0 and 1"),
        ({"latency_p42_ms": 1.0}, "samples[0].latency_p42_ms: unknown signal"),
        ({}, "samples[0]: needs at least one of"),
    ],
)
def test_bad_samples_are_rejected_with_the_field_named(values: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        rules.check_sample(0, "dep_1", NOW, values, NOW)
    assert message in err.value.message


def test_sample_far_in_the_future_is_rejected() -> None:
    with pytest.raises(ValidationFailed, match=r"samples\[0\]\.at: must not be more than 5 minutes in the future"):
        rules.check_sample(0, "dep_1", NOW + timedelta(minutes=6), {"cpu": 0.1}, NOW)
    assert rules.check_sample(0, "dep_1", NOW + timedelta(minutes=4), {"cpu": 0.1}, NOW).values == {"cpu": 0.1}


def test_drift_flag_when_statistic_reaches_threshold() -> None:
    assert rules.drift_flagged(0.25, 0.2) and rules.drift_flagged(0.2, 0.2)
    assert not rules.drift_flagged(0.19, 0.2)


def test_baseline_margin_respects_metric_direction() -> None:
    assert rules.below_baseline(0.79, 0.85, 0.05)
    assert not rules.below_baseline(0.81, 0.85, 0.05)
    assert rules.below_baseline(0.2, 0.1, 0.05, lower_is_better=True)
    assert not rules.below_baseline(0.12, 0.1, 0.05, lower_is_better=True)


def test_traffic_split_must_total_100() -> None:
    assert rules.traffic_split({1: 90, 2: 10}) == {1: 90, 2: 10}
    with pytest.raises(ValidationFailed, match="must add up to 100"):
        rules.traffic_split({1: 90, 2: 20})
    with pytest.raises(ValidationFailed, match="must be > 0"):
        rules.traffic_split({1: 100, 2: 0})
