"""Pure rules for performance history and deployment health: per-minute roll-up of health
samples, health status from thresholds, drift and baseline flags, traffic splits.

Roll-up semantics (documented approximation): a HealthWindow keeps, per minute and deployment,
`count`, and for every signal its `min`, `max` and `sum` (so the mean is `sum / count`). Latency
percentiles reported by agents are themselves aggregates, so a window's p95 is the *worst* (max)
p95 reported in that minute, not a recomputed percentile; mean p95 is also available.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.errors import ValidationFailed

LATENCIES = ("latency_p50_ms", "latency_p95_ms", "latency_p99_ms")
RATES = ("error_rate", "request_rate", "cpu", "memory_mb")
SIGNALS = LATENCIES + RATES
FUTURE_SKEW = timedelta(minutes=5)
# Agents may start reporting while a deployment is being registered (and clocks differ): samples
# up to this long before its creation are accepted, anything older is refused.
CREATION_GRACE = timedelta(minutes=10)
MAX_BATCH = 5000
RETENTION_DAYS = 30  # HealthWindows older than this may be pruned; raw samples are never stored

HEALTHY, DEGRADED, UNHEALTHY, UNKNOWN = "HEALTHY", "DEGRADED", "UNHEALTHY", "UNKNOWN"


@dataclass(frozen=True)
class HealthThresholds:
    """Worst p95 latency and mean error rate per window that still count as healthy/degraded."""

    p95_degraded_ms: float = 500.0
    p95_unhealthy_ms: float = 2000.0
    error_degraded: float = 0.01
    error_unhealthy: float = 0.05


DEFAULT_THRESHOLDS = HealthThresholds()
BASELINE_MARGIN = 0.05  # a production metric this far (absolute) below its baseline is flagged


@dataclass(frozen=True)
class Sample:
    deployment_id: str
    at: datetime
    values: dict[str, float]


@dataclass
class Window:
    """One deployment-minute: count and per-signal min/max/sum."""

    deployment_id: str
    minute: datetime
    count: int = 0
    stats: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, values: Mapping[str, float], count: int = 1) -> None:
        self.count += count
        for name, value in values.items():
            self.merge(name, {"min": value, "max": value, "sum": value * count})

    def merge(self, name: str, other: Mapping[str, float]) -> None:
        mine = self.stats.get(name)
        if mine is None:
            self.stats[name] = dict(other)
            return
        mine["min"] = min(mine["min"], other["min"])
        mine["max"] = max(mine["max"], other["max"])
        mine["sum"] = mine["sum"] + other["sum"]

    def mean(self, name: str) -> float | None:
        stat = self.stats.get(name)
        return stat["sum"] / self.count if stat and self.count else None

    def worst(self, name: str) -> float | None:
        stat = self.stats.get(name)
        return stat["max"] if stat else None


def minute_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def check_sample(
    index: int,
    deployment_id: object,
    at: object,
    values: Mapping[str, object],
    now: datetime,
    retention: timedelta | None = None,
) -> Sample:
    """Validate one reported sample; errors name `samples[i].field`. Samples older than the
    retention window are refused: an old sample would become a deployment's "current" health."""
    where = f"samples[{index}]"
    if not isinstance(deployment_id, str) or not deployment_id:
        raise ValidationFailed(f"{where}.deploymentId: is required", field=f"{where}.deploymentId")
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValidationFailed(f"{where}.at: must be a timestamp with a timezone", field=f"{where}.at")
    if at > now + FUTURE_SKEW:
        raise ValidationFailed(f"{where}.at: must not be more than 5 minutes in the future", field=f"{where}.at")
    if retention is not None and at < now - retention:
        raise ValidationFailed(
            f"{where}.at: is older than the health retention window ({retention.days} days)", field=f"{where}.at"
        )
    checked: dict[str, float] = {}
    for name, value in values.items():
        if value is None:
            continue
        checked[name] = _value(f"{where}.{name}", name, value)
    if not checked:
        raise ValidationFailed(f"{where}: needs at least one of {', '.join(SIGNALS)}", field=where)
    return Sample(deployment_id, at.astimezone(UTC), checked)


def _value(field_name: str, name: str, value: object) -> float:
    if name not in SIGNALS:
        raise ValidationFailed(f"{field_name}: unknown signal (known: {', '.join(SIGNALS)})", field=field_name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationFailed(
            f"{field_name}: must be a finite number (NaN and Infinity are not allowed)",
            field=field_name,
        )
    if value < 0:
        raise ValidationFailed(f"{field_name}: must not be negative", field=field_name)
    if name == "error_rate" and value > 1:
        raise ValidationFailed(f"{field_name}: is a fraction between 0 and 1", field=field_name)
    return float(value)


def roll_up(samples: Iterable[Sample]) -> list[Window]:
    """Group samples into deployment-minute windows (order of first appearance)."""
    windows: dict[tuple[str, datetime], Window] = {}
    for sample in samples:
        slot = (sample.deployment_id, minute_of(sample.at))
        window = windows.setdefault(slot, Window(*slot))
        window.add(sample.values)
    return list(windows.values())


def health_status(window: Window, limits: HealthThresholds = DEFAULT_THRESHOLDS) -> str:
    """UNHEALTHY/DEGRADED when worst p95 or mean error rate passes a threshold; else HEALTHY."""
    p95 = window.worst("latency_p95_ms")
    errors = window.mean("error_rate")
    if p95 is None and errors is None:
        return UNKNOWN
    if (p95 or 0) >= limits.p95_unhealthy_ms or (errors or 0) >= limits.error_unhealthy:
        return UNHEALTHY
    if (p95 or 0) >= limits.p95_degraded_ms or (errors or 0) >= limits.error_degraded:
        return DEGRADED
    return HEALTHY


def drift_flagged(value: float, threshold: float) -> bool:
    """A drift statistic (PSI, KS, ...) is flagged when it reaches its threshold."""
    return value >= threshold


def below_baseline(
    value: float, baseline: float, margin: float = BASELINE_MARGIN, lower_is_better: bool = False
) -> bool:
    """A production metric is flagged when it is worse than its baseline by more than `margin`."""
    if lower_is_better:
        return value > baseline + margin
    return value < baseline - margin


def traffic_split(split: Mapping[int, float]) -> dict[int, float]:
    """Traffic percentages per version: each 0 < p <= 100, together exactly 100."""
    if not split:
        raise ValidationFailed("serving: at least one version must serve traffic", field="serving")
    for version, pct in split.items():
        if not math.isfinite(pct) or pct <= 0 or pct > 100:
            raise ValidationFailed(
                f"serving[{version}].trafficPercent: must be > 0 and <= 100",
                field="serving.trafficPercent",
            )
    if abs(sum(split.values()) - 100) > 1e-6:
        raise ValidationFailed(
            f"serving: traffic percentages must add up to 100 (got {sum(split.values()):g})",
            field="serving",
        )
    return dict(split)


def window_props(window: Window, limits: HealthThresholds = DEFAULT_THRESHOLDS) -> dict[str, object]:
    """Flat properties of a stored HealthWindow: count, `<signal>.min|max|sum`, status."""
    props: dict[str, object] = {"count": window.count, "status": health_status(window, limits)}
    for name, stat in window.stats.items():
        for part, value in stat.items():
            props[f"{name}.{part}"] = value
    return props


def window_from_props(deployment_id: str, minute: datetime, props: Mapping[str, object]) -> Window:
    window = Window(deployment_id, minute, int(props.get("count") or 0))  # type: ignore[call-overload]
    for name in SIGNALS:
        parts = {part: props.get(f"{name}.{part}") for part in ("min", "max", "sum")}
        if all(isinstance(v, int | float) for v in parts.values()):
            window.stats[name] = {k: float(v) for k, v in parts.items()}  # type: ignore[arg-type]
    return window


def merge_windows(stored: Window, new: Window) -> Window:
    merged = Window(
        stored.deployment_id,
        stored.minute,
        stored.count + new.count,
        {k: dict(v) for k, v in stored.stats.items()},
    )
    for name, stat in new.stats.items():
        merged.merge(name, stat)
    return merged


LOWER_IS_BETTER = frozenset({"latency_p95_ms", "rmse", "mae", "log_loss", "error_rate"})
EVENT_TYPES = (
    "promoted",
    "canary_started",
    "traffic_shifted",
    "rolled_back",
    "incident_opened",
    "incident_resolved",
    "retired",
)
TIERS = ("dev", "staging", "production")


@dataclass(frozen=True)
class HistoryPoint:
    """One evaluation's value of one metric, for plotting."""

    evaluation_id: str
    version: int
    at: datetime
    value: float
    dataset_version_id: str | None
    slice: str | None


class Resolution(enum.Enum):
    """Bucket widths for long metric histories."""

    HOUR = 3600
    DAY = 86_400
    WEEK = 604_800


@dataclass(frozen=True)
class HistoryBucket:
    """One version's evaluations of one metric within one time bucket."""

    version: int
    start: datetime
    count: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class ServingSpan:
    """A deployment serving a version with a share of traffic during [since, until)."""

    deployment_id: str
    deployment: str | None
    environment: str | None
    model: str
    version: int
    version_id: str
    traffic_percent: float
    since: datetime
    until: datetime | None


# Where a span stands in "in production at T" order: model, deployment name, deployment id, and its
# place in the deployment's split (by traffic, then newer version first).
ProductionKey = tuple[str, str, str, int]
