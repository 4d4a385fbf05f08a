"""Commands of deployments: creating one and recording its events. Serving versions in production is
a promotion, judged like moving the production alias."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.domain import history as rules
from app.domain import validation as v
from app.errors import NotFound
from app.graph import history_writes as w
from app.graph.history_records import Deployment
from app.graph.model_records import Model
from app.graph.unit import Work
from app.registry.actor import RequestMeta
from app.registry.commands import history as cmd
from app.registry.history import history, number, when
from app.registry.lookups import model_named
from app.registry.plan import Plan
from app.registry.promotion import promotion_context, traffic_context
from app.registry.resources import deployment_resource, owned
from app.services import Services

PRODUCTION = "production"


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
    model = await model_named(services, c.model)
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
        model = await model_named(services, deployment.model_name)
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
