"""Commands about how a version performs: evaluations (with corrections), annotations, and production
feedback and drift, flagged against a baseline or threshold."""

from __future__ import annotations

from typing import Any

from app.domain import history as rules
from app.domain import validation as v
from app.domain.entities import PREFIX_METRIC
from app.errors import NotFound
from app.graph import history_writes as w
from app.graph.model_records import Model, ModelVersion
from app.registry.actor import RequestMeta
from app.registry.commands import history as cmd
from app.registry.history import number, when
from app.registry.lookups import model_named, reader
from app.registry.plan import Plan
from app.registry.promotion import metrics_of
from app.registry.resources import owned
from app.services import Services


async def _version(services: Services, model_name: str, version: int) -> tuple[Model, ModelVersion]:
    model = await model_named(services, model_name)
    found = await reader(services).version(model.id, version)
    if found is None:
        raise NotFound(f"version: model {model_name!r} has no version {version}", field="version")
    return model, found


async def record_evaluation(services: Services, meta: RequestMeta, c: cmd.RecordEvaluation) -> Plan:
    model, version = await _version(services, c.model, number("version", c.version))
    metrics = v.metrics("metrics", c.metrics)
    if not metrics:
        raise v.fail("metrics", "at least one metric is required")
    data = {
        "model_id": model.id,
        "version": version.version,
        "version_id": version.id,
        "dataset_version_id": v.short("datasetVersionId", c.dataset_version_id),
        "slice": v.short("slice", c.slice),
        "method": v.text("method", c.method),
        "code_version": v.short("codeVersion", c.code_version),
        "evaluator": v.short("evaluator", c.evaluator),
        "evaluated_at": when("evaluatedAt", c.evaluated_at),
        "confidence": _intervals(dict(v.mapping("confidence", c.confidence)), metrics),
        "reports": v.string_list("reports", c.reports, item_max=512),
        "notes": v.text("notes", c.notes),
        "supersedes": v.short("supersedes", c.supersedes),
        "metrics": {PREFIX_METRIC + k: val for k, val in metrics.items()},
    }
    # An evaluation counts toward the model's promotions: publishing one needs ownership of the model (or a grant).
    return Plan(
        "publish",
        {**owned(model, "evaluation"), "version": data["version"]},
        w.record_evaluation(data, meta.actor.name),
    )


def _intervals(raw: dict[str, Any], metrics: dict[str, float]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for name, bounds in raw.items():
        field = f"confidence.{name}"
        if name not in metrics:
            raise v.fail(field, "names a metric that is not in metrics")
        if not isinstance(bounds, list | tuple) or len(bounds) != 2:
            raise v.fail(field, "must be [low, high]")
        low, high = v.finite(f"{field}[0]", bounds[0]), v.finite(f"{field}[1]", bounds[1])
        if low > high:
            raise v.fail(field, "low must not be greater than high")
        out[name] = [low, high]
    return out


async def annotate(services: Services, meta: RequestMeta, c: cmd.Annotate) -> Plan:
    target = v.short("targetId", c.target_id, required=True) or ""
    text = v.text("text", c.text, max_len=4000, required=True) or ""
    return Plan("publish", {"kind": "annotation", "id": target}, w.annotate(target, text, meta.actor.name))


async def record_feedback(services: Services, meta: RequestMeta, c: cmd.RecordFeedback) -> Plan:
    model, version = await _version(services, c.model, number("version", c.version))
    kind = v.one_of("kind", c.kind or "metric", ("metric", "drift"))
    statistic = v.key("statistic", c.statistic)
    value = v.finite("value", c.value)
    threshold = v.finite("threshold", c.threshold) if c.threshold is not None else None
    margin = v.finite("margin", c.margin) if c.margin is not None else rules.BASELINE_MARGIN
    baseline = v.finite("baseline", c.baseline) if c.baseline is not None else None
    if kind == "drift" and threshold is None:
        raise v.fail("threshold", "is required for a drift statistic")
    if kind == "metric" and baseline is None:
        baseline = (await metrics_of(services, model.id, version.version, {})).get(statistic)
    reason = _flag(kind, statistic, value, threshold, baseline, margin)
    data = {
        "model_id": model.id,
        "version": version.version,
        "kind": kind,
        "statistic": statistic,
        "deployment_id": v.short("deploymentId", c.deployment_id),
        "value": value,
        "threshold": threshold,
        "baseline": baseline,
        "margin": margin,
        "slice": v.short("slice", c.slice),
        "flagged": reason is not None,
        "flag_reason": reason,
        "observed_at": when("observedAt", c.observed_at),
    }
    return Plan(
        "publish",
        {"kind": "evaluation", "name": model.name, "version": data["version"]},
        w.record_feedback(data, meta.actor.name),
    )


def _flag(
    kind: str | None, statistic: str, value: float, threshold: float | None, baseline: float | None, margin: float
) -> str | None:
    if kind == "drift" and threshold is not None and rules.drift_flagged(value, threshold):
        return f"drift: {statistic} {value:g} reached its threshold {threshold:g}"
    lower = statistic in rules.LOWER_IS_BETTER
    if kind == "metric" and baseline is not None and rules.below_baseline(value, baseline, margin, lower):
        return f"metric: {statistic} {value:g} is worse than its baseline {baseline:g} by more than {margin:g}"
    return None
