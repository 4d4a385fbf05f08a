"""Commands for performance history and deployment status: evaluations (with corrections),
annotations, production feedback and drift, deployments and their events, health reports.

Every applied write emits its registry events through the outbox (app/events/catalog.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain import history as rules
from app.domain import validation as v
from app.domain.entities import PREFIX_METRIC
from app.errors import NotFound, ValidationFailed
from app.graph import history_writes as w
from app.graph.history_reads import HistoryReader
from app.graph.history_records import Deployment
from app.graph.model_records import Model, ModelVersion
from app.graph.unit import Work
from app.registry.actor import RequestMeta
from app.registry.commands import history as cmd
from app.registry.core import _model, reader
from app.registry.plan import Plan
from app.registry.promotion import metrics_of, promotion_context, traffic_context
from app.registry.resources import deployment_owners, deployment_resource, owned
from app.services import Services

PRODUCTION = "production"


def history(services: Services) -> HistoryReader:
    return services.repos.history


def when(field: str, value: Any, *, required: bool = False) -> datetime | None:
    """A timestamp from GraphQL (datetime) or JSON (ISO 8601 string): timezone-aware, not future."""
    if value is None:
        if required:
            raise v.fail(field, "is required")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise v.fail(field, "must be an ISO 8601 timestamp with a timezone") from None
    if not isinstance(value, datetime):
        raise v.fail(field, "must be an ISO 8601 timestamp with a timezone")
    return v.utc(field, value)


def number(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise v.fail(field, "must be a positive whole number")
    return value


async def _version(services: Services, model_name: str, version: int) -> tuple[Model, ModelVersion]:
    model = await _model(services, model_name)
    found = await reader(services).version(model.id, version)
    if found is None:
        raise NotFound(f"version: model {model_name!r} has no version {version}", field="version")
    return model, found


# ---- evaluations, annotations, feedback ------------------------------------------------------
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


# ---- deployments ----------------------------------------------------------------------------
def _split(field: str, items: tuple[cmd.Traffic, ...] | None) -> dict[int, float]:
    if not items:
        raise v.fail(field, "must list at least one {version, trafficPercent}")
    split: dict[int, float] = {}
    for i, item in enumerate(items):
        n = number(f"{field}[{i}].version", item.version)
        if n in split:
            raise v.fail(f"{field}[{i}].version", "appears twice")
        share = 100.0 if item.traffic_percent is None else item.traffic_percent
        split[n] = v.finite(f"{field}[{i}].trafficPercent", share)
    return rules.traffic_split(split)


def _environment(raw: cmd.Environment) -> dict[str, Any]:
    tier = v.one_of("environment.tier", raw.tier, rules.TIERS)
    if tier is None:
        raise v.fail("environment.tier", f"is required ({', '.join(rules.TIERS)})")
    region = v.name("environment.region", raw.region) if raw.region else None
    cluster = v.name("environment.cluster", raw.cluster) if raw.cluster else None
    return {
        "name": "/".join(x for x in (tier, region, cluster) if x),
        "tier": tier,
        "region": region,
        "cluster": cluster,
    }


async def create_deployment(services: Services, meta: RequestMeta, c: cmd.CreateDeployment) -> Plan:
    model = await _model(services, c.model)
    data: dict[str, Any] = {
        "name": v.name("name", c.name),
        "owners": v.labels("owners", c.owners) or [meta.actor.name],
        "model": model.name,
        "model_id": model.id,
        "environment": _environment(c.environment or cmd.Environment()),
        "endpoint": v.short("endpoint", c.endpoint),
        "max_concurrency": v.non_negative_int("maxConcurrency", c.max_concurrency),
        "serving": _split("serving", c.serving),
        "rollback_version": number("rollbackVersion", c.rollback_version) if c.rollback_version else None,
        "approved_by": meta.approved_by,
    }
    work = w.create_deployment(data, meta.actor.name)
    if data["environment"]["tier"] == PRODUCTION:
        return await _promotion(services, model, data["name"], data["serving"], work)
    return Plan("publish", {"kind": "deployment", "name": data["name"]}, work)


async def _promotion(
    services: Services,
    model: Model,
    deployment: str,
    split: dict[int, float],
    work: Work,
    state: str | None = None,
) -> Plan:
    """Serving versions in production is a promotion: the production thresholds apply to every version
    that receives traffic (a 50/50 split, a 1 % canary), and reasons name the deployment, not an alias."""
    primary = max(split, key=lambda n: split[n])
    resource = {**owned(model, "deployment"), "name": deployment, "environment": PRODUCTION, "version": primary}
    context = await promotion_context(services, model.id, PRODUCTION, primary)
    context["traffic"] = await traffic_context(services, model.id, split)
    return Plan("promote", resource, work, context, state=state)


EVENT_INPUTS = {
    "promoted": ("version",),
    "canary_started": ("version", "traffic_percent"),
    "traffic_shifted": ("split",),
    "rolled_back": ("reason",),
    "incident_opened": ("reason",),
    "incident_resolved": (),
    "retired": (),
}


async def record_deployment_event(services: Services, meta: RequestMeta, c: cmd.RecordDeploymentEvent) -> Plan:
    deployment = await history(services).deployment(v.short("deploymentId", c.deployment_id, required=True) or "")
    if deployment is None:
        raise NotFound(f"deploymentId: no deployment {c.deployment_id!r}", field="deploymentId")
    data = _event_input(c)
    event = {**data, "deployment_id": deployment.id, "approved_by": meta.approved_by}
    work = w.record_deployment_event(event, meta.actor.name)
    split = _event_split(data)
    state = await _serving_state(services, deployment)
    if split and deployment.environment == PRODUCTION:
        model = await _model(services, deployment.model_name)
        return await _promotion(services, model, deployment.name, split, work, state)
    action = "retire" if data["type"] == "retired" else "modify"
    return Plan(action, deployment_resource(deployment), work, state=state)


def _event_split(data: dict[str, Any]) -> dict[int, float]:
    """The versions an event puts traffic on: the promoted version, the canary, or the new split."""
    if data["type"] == "canary_started":
        return {data["version"]: data["traffic_percent"]}
    if "version" in data:
        return {data["version"]: 100.0}
    return dict(data.get("split") or {})


async def _serving_state(services: Services, deployment: Deployment) -> str:
    """What the deployment serves now, as a review remembers it (approval re-checks it is unchanged)."""
    spans = await history(services).serving_at(deployment, datetime.now(UTC))
    served = ", ".join(f"version {s.version} at {s.traffic_percent:g}%" for s in sorted(spans, key=lambda s: s.version))
    return f"deployment {deployment.name} serves {served or 'nothing'}"


def _event_input(c: cmd.RecordDeploymentEvent) -> dict[str, Any]:
    kind = v.one_of("type", c.type, rules.EVENT_TYPES)
    if kind is None:
        raise v.fail("type", f"is required ({', '.join(rules.EVENT_TYPES)})")
    for needed in EVENT_INPUTS[kind]:
        if getattr(c, needed) in (None, "", ()):
            raise v.fail(needed, f"is required for a {kind} event")
    data: dict[str, Any] = {
        "type": kind,
        "reason": v.text("reason", c.reason, max_len=4000),
        "occurred_at": when("occurredAt", c.occurred_at),
    }
    if "version" in EVENT_INPUTS[kind]:
        data["version"] = number("version", c.version)
    if kind == "canary_started":
        assert c.traffic_percent is not None  # required for a canary, checked above
        data["traffic_percent"] = v.finite("trafficPercent", c.traffic_percent)
        if not 0 < data["traffic_percent"] < 100:
            raise v.fail("trafficPercent", "a canary takes more than 0 and less than 100 percent")
    if kind == "traffic_shifted":
        data["split"] = _split("split", c.split)
    return data


# ---- health ---------------------------------------------------------------------------------
async def report_health(services: Services, meta: RequestMeta, c: cmd.ReportHealth) -> Plan:
    raw = c.samples
    if not raw:
        raise v.fail("samples", "must list at least one sample")
    if len(raw) > rules.MAX_BATCH:
        raise v.fail("samples", f"at most {rules.MAX_BATCH} samples per request")
    now = datetime.now(UTC)
    retention = timedelta(days=services.settings.health_retention_days)
    samples = [_sample(i, s, now, retention) for i, s in enumerate(raw)]
    windows = rules.roll_up(samples)
    deployments = await _deployments(services, sorted({s.deployment_id for s in samples}))
    _not_before_creation(samples, deployments)
    owners = _owners(deployments)
    resource = {"kind": "deployment", "owners": owners}
    return Plan("modify", resource, w.report_health(windows, len(samples), meta.actor.name))


def _sample(index: int, raw: Any, now: datetime, retention: timedelta) -> rules.Sample:
    if not isinstance(raw, dict):
        raise ValidationFailed(f"samples[{index}]: must be an object", field=f"samples[{index}]")
    at = (
        when(f"samples[{index}].at", raw.get("at"), required=False) if isinstance(raw.get("at"), str) else raw.get("at")
    )
    if at is None:
        raise v.fail(f"samples[{index}].at", "is required")
    values = {k: val for k, val in raw.items() if k not in ("deployment_id", "at")}
    return rules.check_sample(index, raw.get("deployment_id"), at, values, now, retention)


async def _deployments(services: Services, ids: list[str]) -> dict[str, Deployment]:
    if len(ids) > MAX_DEPLOYMENTS_PER_BATCH:
        raise v.fail("samples", f"at most {MAX_DEPLOYMENTS_PER_BATCH} deployments per request")
    found: dict[str, Deployment] = {}
    for deployment_id in ids:
        deployment = await history(services).deployment(deployment_id)
        if deployment is None:
            raise NotFound(f"deploymentId: no deployment {deployment_id!r}", field="deploymentId")
        found[deployment_id] = deployment
    return found


def _not_before_creation(samples: list[rules.Sample], deployments: dict[str, Deployment]) -> None:
    """A sample from before its deployment existed (beyond a short grace) is refused."""
    for index, sample in enumerate(samples):
        created = deployments[sample.deployment_id].created_at
        if created is not None and sample.at < created - rules.CREATION_GRACE:
            where = f"samples[{index}].at"
            raise v.fail(where, f"is before the deployment was created ({created.isoformat()})")


def _owners(deployments: dict[str, Deployment]) -> list[str | None]:
    """Owners common to every deployment in the batch: a reporter must own all of them."""
    common: set[str | None] | None = None
    for found in deployments.values():
        owners = set(deployment_owners(found))
        common = owners if common is None else common & owners
    return sorted(common or set(), key=str) or [NO_COMMON_OWNER]


MAX_DEPLOYMENTS_PER_BATCH = 50
NO_COMMON_OWNER = "(no common owner)"  # keeps ownership required when the batch's owners differ
